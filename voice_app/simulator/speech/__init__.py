"""The simulator hears and speaks: a small speech model (ear.py) turns each committed turn into
words, and a synthesizer (mouth.py) says the answers, in the session's voice and at its speed.

It is a test tool and a demo, not the model: it understands only what grammar.py describes, and
says back the rest. Without its packages, or with `VOICE_SIMULATOR_SPEECH=0`, it falls back to the
placeholder (speech labelled `[speech, N s]`, answered by playing it back, and a chime), and says
so once in the log and on the page.
"""

import logging
from functools import cache

import numpy as np

from voice_app.simulator.speaker import tone
from voice_app.simulator.speech import ear, mouth
from voice_app.simulator.vad import RATE

log = logging.getLogger(__name__)
TURNED_OFF = "turned off: VOICE_SIMULATOR_SPEECH=0 or --no-speech"
MAX_WAITING = 8  # turns waiting for the ear at once, in this process (each takes about 0.6 s of a core)
EAR_TURNS_AT_ONCE = 2  # of one call: one page cannot take the ear from the others


@cache
def missing() -> str:
    """Why speech cannot work in this process ('' if it can): a package that did not install."""
    try:
        import espeakng_loader
        import faster_whisper  # noqa: F401

        espeakng_loader.get_data_path()  # raises if the voices are not there
        if not all((ear.weights() / name).is_file() for name in ("model.bin", "tokenizer.json", "config.json")):
            return "the speech model's weights are missing"
    except ImportError as error:
        return f"the package {error.name} is not installed"
    except RuntimeError as error:
        return str(error)
    return ""


@cache
def _say_off_once(reason: str) -> None:
    mend = "" if reason == TURNED_OFF else " `make setup` installs them."
    log.warning("The simulator's ear and voice are off (%s): it labels speech [speech, N s] and plays it back.%s", reason, mend)


def unheard(audio: np.ndarray) -> str:
    """The transcript of speech the ear did not hear: honestly, only how long it was."""
    return f"[speech, {audio.size / RATE:.1f} s]"


@cache
def _say_mute_once(error: str) -> None:
    log.warning("The simulator's voice failed (%s): it chimes instead", error)


@cache
def _say_busy_once() -> None:
    log.warning(
        "The simulator's ear has %d turns waiting: it labels the next ones [speech, N s] until it catches up", MAX_WAITING
    )


class Speech:
    """One simulator's ear and voice, shared by its calls: on when wanted and installed."""

    def __init__(self, wanted: bool = True) -> None:
        reason = missing() if wanted else TURNED_OFF
        self.on = not reason
        self.off_because = reason

    def announce(self) -> None:
        """Say once per process, in the log, that speech is off and why (nothing when it is on)."""
        if self.off_because:
            _say_off_once(self.off_because)

    def warm(self) -> None:
        """Load the model now, in the background, so the first turn does not wait for it."""
        if self.on:
            ear.warm()

    async def words(self, audio: np.ndarray) -> str | None:
        """What was said in `audio` ('' for no words); None if it was not heard: the model failed, or
        too many turns wait for it already (a flood must not pile up their audio and time). The
        caller then answers as the placeholder does."""
        if ear.waiting() >= MAX_WAITING:
            _say_busy_once()
            return None
        try:
            return await ear.transcribe(audio)
        except Exception as error:  # a broken install or a model error: not the caller's to handle
            log.warning("The simulator's ear failed on a turn of %.1f s: %r", audio.size / RATE, error)
            return None

    def sayable(self, text: str, speed: float) -> str:
        """What of `text` an answer says (and so shows): all of it, unless it would be too long to say."""
        return mouth.sayable(text, speed) if self.on else text

    async def voice(self, text: str, voice: str, speed: float) -> np.ndarray:
        """The text said; a chime about as long as saying it would take when speech is off, or the
        synthesizer fails (the answer goes on)."""
        if self.on:
            try:
                return await mouth.say(text, voice, speed)
            except Exception as error:  # a library that will not load, or a text it cannot take
                _say_mute_once(repr(error))
        return tone(min(6.0, max(1.0, 0.25 * len(text.split()))))


SILENT = Speech(wanted=False)  # for conversations made without a simulator: the benchmark's replays
