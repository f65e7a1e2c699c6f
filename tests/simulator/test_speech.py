"""The simulator's ear hears what its mouth says, the mouth speaks at the session's voice and speed,
and without its packages (or turned off) the simulator falls back to the placeholder and a chime.

A few seconds of CPU (the model loads once, in under a second or two), no real-time audio.
"""

import asyncio
import sys

import numpy as np
import pytest

from bench.speech import word_error_rate
from voice_app.simulator.speaker import tone
from voice_app.simulator.speech import TURNED_OFF, Speech, ear, missing, mouth
from voice_app.simulator.vad import RATE

# bench/speech.py measures 0.09 on these in voice alloy ("Tokyo" heard as "talk", "a" as "the"),
# at most 0.26 in the other voices tried: the bound leaves room for eSpeak's small random variations.
HEARD_WELL_ENOUGH = 0.35
SAID = ("Remember that my locker is 42.", "What time is it in Tokyo?", "Can you tell me a short story about a lighthouse keeper?")


def _pitch(samples: np.ndarray) -> float:
    """The median fundamental frequency (Hz) of the loud 40 ms frames, by autocorrelation."""
    size, found = RATE // 25, []
    for start in range(0, samples.size - size, size):
        frame = samples[start : start + size].astype(np.float64)
        if np.sqrt(np.mean(frame**2)) < 1000:
            continue
        frame -= frame.mean()
        correlation = np.fft.irfft(np.abs(np.fft.rfft(frame, 2 * size)) ** 2)[:size]
        shortest, longest = RATE // 400, RATE // 70  # periods of voices from 70 to 400 Hz
        found.append(RATE / (shortest + np.argmax(correlation[shortest:longest])))
    return float(np.median(found))


@pytest.fixture
def fresh_missing():
    missing.cache_clear()  # it is asked once per process; these tests ask again
    yield
    missing.cache_clear()


def test_the_ear_hears_what_the_mouth_says() -> None:
    heard = [ear.transcribe_now(mouth.say_now(sentence, "alloy", 1.0), RATE) for sentence in SAID]
    assert word_error_rate(list(SAID), heard) <= HEARD_WELL_ENOUGH, heard


def test_the_mouth_speaks_faster_at_a_higher_speed_and_in_each_voice_its_own_pitch() -> None:
    text = SAID[0]
    assert mouth.say_now(text, "alloy", 1.5).size < 0.8 * mouth.say_now(text, "alloy", 1.0).size
    high, low = _pitch(mouth.say_now(text, "alloy")), _pitch(mouth.say_now(text, "echo"))
    assert high > 1.5 * low, (high, low)  # eSpeak's f3 about 220 Hz, m1 about 100 Hz


def test_turned_off_it_chimes() -> None:
    speech = Speech(False)
    assert not speech.on and speech.off_because == TURNED_OFF
    said = asyncio.run(speech.voice("Hello there", "alloy", 1.0))
    assert np.array_equal(said, tone(1.0))


def test_a_missing_package_is_named_and_turns_speech_off(monkeypatch, fresh_missing) -> None:
    assert missing() == ""  # installed here by scripts/setup
    missing.cache_clear()
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # its import now fails
    assert missing() == "the package faster_whisper is not installed"
    speech = Speech(True)
    assert not speech.on and "faster_whisper" in speech.off_because


def test_the_mouth_says_what_a_page_sends_however_odd_and_only_so_long() -> None:
    assert mouth.say_now("hi \ud800 there").size > RATE // 2  # a lone surrogate: said, not raised
    long = "word " * 2000
    said = mouth.sayable(long, 1.0)
    assert len(said) < len(long) and said.endswith("…") and mouth.sayable(said, 1.0) == said
    assert len(mouth.sayable(long, 0.5)) < len(said)  # slower speech: fewer words in the same time
    assert mouth.say_now(long).size <= (mouth.MAX_SECONDS + 15) * RATE


def test_a_voice_that_fails_chimes_and_the_answer_goes_on(monkeypatch) -> None:
    async def broken(*_):
        raise OSError("libespeak-ng.so: cannot open shared object file")

    monkeypatch.setattr(mouth, "say", broken)
    speech = Speech()
    assert speech.on and np.array_equal(asyncio.run(speech.voice("Hello there", "alloy", 1.0)), tone(1.0))
