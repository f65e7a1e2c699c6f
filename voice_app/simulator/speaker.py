"""The simulator's voice: an outgoing audio track that is silent unless answering."""

import asyncio
import fractions
import time
from collections import deque
from dataclasses import dataclass

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


@dataclass
class _Utterance:
    start: int  # positions in samples of all the audio the speaker was given
    end: int
    played: asyncio.Future  # True once all of it was sent, False if it was cleared


class Speaker(MediaStreamTrack):
    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._queue = np.zeros(0, dtype=np.int16)
        self._sent = 0  # samples of queued audio sent so far: the position of the queue's head
        self._utterances: deque[_Utterance] = deque()
        self._start: float | None = None
        self._pts = 0

    @property
    def sent(self) -> int:
        """Samples sent so far: where the listener's ear is."""
        return self._sent

    @property
    def given(self) -> int:
        """Samples given so far: where the next audio will begin."""
        return self._sent + self._queue.size

    def play(self, audio: np.ndarray) -> asyncio.Future:
        """Queue audio; the future resolves when it has all been sent (True) or cleared (False)."""
        start = self._sent + self._queue.size
        self._queue = np.concatenate([self._queue, audio.astype(np.int16)])
        played = asyncio.get_running_loop().create_future()
        self._utterances.append(_Utterance(start, start + audio.size, played))
        return played

    def keep_last(self, samples: int) -> None:
        """Keep only the first `samples` of the latest utterance: the rest was never generated."""
        if not self._utterances:
            return
        last = self._utterances[-1]
        last.end = max(self._sent, min(last.end, last.start + samples))
        self._queue = self._queue[: last.end - self._sent]
        self._settle_played()

    @property
    def playing(self) -> bool:
        return self._queue.size > 0

    def clear(self) -> bool:
        """Drop what is left to say; True if anything was playing."""
        was_playing = self.playing
        self._queue = np.zeros(0, dtype=np.int16)
        while self._utterances:
            _settle(self._utterances.popleft().played, False)
        return was_playing

    def _settle_played(self) -> None:
        while self._utterances and self._utterances[0].end <= self._sent:
            _settle(self._utterances.popleft().played, True)

    async def recv(self) -> av.AudioFrame:
        # Pace frames in real time, as a live source does: aiortc sends as fast as recv returns.
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._pts += FRAME
            await asyncio.sleep(max(0.0, self._start + self._pts / RATE - time.monotonic()))
        chunk, self._queue = self._queue[:FRAME], self._queue[FRAME:]
        self._sent += chunk.size
        self._settle_played()
        if chunk.size < FRAME:
            chunk = np.concatenate([chunk, np.zeros(FRAME - chunk.size, dtype=np.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = RATE, self._pts, _TIME_BASE
        return frame


def _settle(future: asyncio.Future, played: bool) -> None:
    if not future.done():
        future.set_result(played)
