"""Sentences said by the simulator's own synthesizer, as a microphone's recording: made at test time."""

import wave
from pathlib import Path

import numpy as np

from voice_app.simulator.speech import mouth
from voice_app.simulator.vad import RATE


def spoken_wav(path: Path, *sentences: str, voice: str = "echo", gap_s: float = 2.5) -> str:
    """A 48 kHz mono WAV: a second of silence, then each sentence followed by `gap_s` of silence
    (longer than any turn detection's wait, so each is a turn of its own)."""
    pieces = [np.zeros(RATE, np.int16)]
    for sentence in sentences:
        pieces += [mouth.say_now(sentence, voice), np.zeros(int(gap_s * RATE), np.int16)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(np.concatenate(pieces).tobytes())
    return str(path)
