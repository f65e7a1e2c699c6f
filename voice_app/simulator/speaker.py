"""The simulator's voice: an outgoing audio track that is silent unless answering."""

import asyncio
import fractions
import time

import av
import numpy as np
from aiortc import MediaStreamTrack

from voice_app.simulator.vad import RATE

FRAME = RATE // 50  # 20 ms, the Opus frame size
_TIME_BASE = fractions.Fraction(1, RATE)


def to_mono(frame: av.AudioFrame) -> np.ndarray:
    """16-bit mono samples of a decoded frame (aiortc decodes Opus to packed s16)."""
    samples = frame.to_ndarray().reshape(-1, len(frame.layout.channels))
    return samples.mean(axis=1).astype(np.int16)


def tone(seconds: float) -> np.ndarray:
    """A soft two-note chime, the voice of answers that have no user audio to echo."""
    t = np.arange(int(seconds * RATE)) / RATE
    pitch = np.where((t * 4).astype(int) % 2 == 0, 440.0, 660.0)
    envelope = np.minimum(1.0, np.minimum(t, seconds - t) * 20)
    return (0.2 * 32767 * envelope * np.sin(2 * np.pi * pitch * t)).astype(np.int16)


class Speaker(MediaStreamTrack):
    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue = np.zeros(0, dtype=np.int16)
        self._drained: asyncio.Future | None = None
        self._start: float | None = None
        self._pts = 0

    @property
    def playing(self) -> bool:
        return self._queue.size > 0

    def play(self, audio: np.ndarray) -> asyncio.Future:
        """Queue audio; the future resolves when it has all been sent (True) or cleared (False)."""
        self._queue = np.concatenate([self._queue, audio.astype(np.int16)])
        if self._drained is None or self._drained.done():
            self._drained = asyncio.get_running_loop().create_future()
        return self._drained

    def clear(self) -> bool:
        """Drop what is left to say; True if anything was playing."""
        was_playing = self.playing
        self._queue = np.zeros(0, dtype=np.int16)
        self._settle(False)
        return was_playing

    def _settle(self, finished: bool) -> None:
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(finished)

    async def recv(self) -> av.AudioFrame:
        # Pace frames in real time, as a live source does: aiortc sends as fast as recv returns.
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += FRAME
            await asyncio.sleep(max(0.0, self._start + self._pts / RATE - time.monotonic()))
        chunk, self._queue = self._queue[:FRAME], self._queue[FRAME:]
        if chunk.size < FRAME:
            chunk = np.concatenate([chunk, np.zeros(FRAME - chunk.size, dtype=np.int16)])
            self._settle(True)
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self._pts, _TIME_BASE
        return frame
