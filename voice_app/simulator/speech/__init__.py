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
TURNED_OFF = "VOICE_SIMULATOR_SPEECH=0"


@cache
def missing() -> str:
    """Why speech cannot work in this process ('' if it can): a package that did not install."""
    try:
        import espeakng_loader  # noqa: F401
        import faster_whisper  # noqa: F401

        if not (ear.weights() / "model.bin").is_file():
            return "the speech model's weights are missing"
    except ImportError as error:
        return f"the package {error.name} is not installed"
    return ""


@cache
def _say_off_once(reason: str) -> None:
    mend = "" if reason == TURNED_OFF else " `make setup` installs them."
    log.warning("The simulator's ear and voice are off (%s): it labels speech [speech, N s] and plays it back.%s", reason, mend)


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

    async def words(self, audio: np.ndarray) -> str:
        """What was said in `audio` ('' for none, or when the model fails: the turn still gets an answer)."""
        try:
            return await ear.transcribe(audio)
        except Exception as error:  # a broken install or a model error: not the caller's to handle
            log.warning("The simulator's ear failed on a turn of %.1f s: %r", audio.size / RATE, error)
            return ""

    async def voice(self, text: str, voice: str, speed: float) -> np.ndarray:
        """The text said, or a chime about as long as saying it would take when speech is off."""
        if self.on:
            return await mouth.say(text, voice, speed)
        return tone(min(6.0, max(1.0, 0.25 * len(text.split()))))


SILENT = Speech(wanted=False)  # for conversations made without a simulator: the benchmark's replays
