"""The input audio buffer of a session without turn detection: filled by the microphone,
committed or cleared by the client."""

import numpy as np

from voice_app.realtime import catalog
from voice_app.simulator.errors import ApiError
from voice_app.simulator.vad import RATE

MAX_SAMPLES = 60 * RATE


class InputAudioBuffer:
    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = []
        self._samples = 0  # kept as a count: summing the chunks per frame would grow with the turn

    def add(self, samples: np.ndarray) -> None:
        if self._samples < MAX_SAMPLES:
            self._chunks.append(samples)
            self._samples += samples.size

    def take(self) -> np.ndarray:
        """All of the buffered audio, which empties the buffer; too little fails and keeps it, as the API does."""
        buffered_ms = self._samples * 1000 / RATE
        if buffered_ms < catalog.MIN_COMMIT_MS:
            raise ApiError(
                400,
                "Error committing input audio buffer: buffer too small. Expected at least "
                f"{catalog.MIN_COMMIT_MS}ms of audio, but buffer only has {buffered_ms:.2f}ms of audio.",
                code="input_audio_buffer_commit_empty",
            )
        audio = np.concatenate(self._chunks)
        self.clear()
        return audio

    def clear(self) -> None:
        self._chunks, self._samples = [], 0
