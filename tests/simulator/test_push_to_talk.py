"""The push-to-talk input buffer: what a commit takes, and what a refused commit leaves."""

import numpy as np
import pytest

from voice_app.simulator.errors import ApiError
from voice_app.simulator.push_to_talk import InputAudioBuffer
from voice_app.simulator.vad import RATE


def audio(ms: int) -> np.ndarray:
    return np.full(ms * RATE // 1000, 1000, dtype=np.int16)


def test_a_commit_under_100_ms_fails_with_the_apis_words_and_keeps_the_buffer():
    buffer = InputAudioBuffer()
    buffer.add(audio(42))
    with pytest.raises(ApiError) as refused:
        buffer.take()
    assert refused.value.code == "input_audio_buffer_commit_empty"
    assert refused.value.message == (
        "Error committing input audio buffer: buffer too small. "
        "Expected at least 100ms of audio, but buffer only has 42.00ms of audio."
    )
    buffer.add(audio(60))
    assert buffer.take().size == audio(102).size  # the refused 42 ms were kept


def test_a_commit_takes_the_audio_and_empties_the_buffer():
    buffer = InputAudioBuffer()
    buffer.add(audio(100))
    assert buffer.take().size == audio(100).size
    with pytest.raises(ApiError, match="only has 0.00ms"):
        buffer.take()


def test_clear_empties_the_buffer():
    buffer = InputAudioBuffer()
    buffer.add(audio(500))
    buffer.clear()
    with pytest.raises(ApiError, match="only has 0.00ms"):
        buffer.take()
