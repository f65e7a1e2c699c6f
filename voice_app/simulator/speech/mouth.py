"""The simulator's mouth: eSpeak NG says a text, at a simulated voice's pitch and the session's speed.

The library and its voices come from the pinned `espeakng-loader` wheel, driven through the C API
of `speak_lib.h` (no Python binding of it synthesizes to memory). eSpeak keeps one global state, so
all speech is made on one thread, in turn.
"""

import ctypes
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from voice_app.simulator.vad import RATE

MAX_CHARACTERS = 2000  # said of one text at most (about two minutes): a page's long message is not read out whole
WORDS_PER_MINUTE = 175  # eSpeak's own default rate, said at speed 1.0
_RATE_RANGE = (80, 450)  # what eSpeak accepts
_SYNCHRONOUS, _UTF8, _POSITION_CHARACTER, _PARAMETER_RATE = 2, 1, 1, 1

# A variant of eSpeak's English for each of the API's voices: a distinct pitch and timbre each.
VOICES = {
    "alloy": "f3",
    "ash": "m3",
    "ballad": "m7",
    "coral": "f2",
    "echo": "m1",
    "sage": "f4",
    "shimmer": "f5",
    "verse": "m2",
    "marin": "f1",
    "cedar": "m6",
}

_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_pool = ThreadPoolExecutor(1, thread_name_prefix="simulator-mouth")
_lock = threading.Lock()
_engine: "_Espeak | None" = None


class _Espeak:
    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.rate = self.lib.espeak_Initialize(_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0)
        if self.rate <= 0:
            raise RuntimeError("eSpeak NG could not start (its voices were not found)")
        self._chunks: list[np.ndarray] = []
        self._keep = _CALLBACK(self._heard)  # held: the library calls it for as long as it runs
        self.lib.espeak_SetSynthCallback(self._keep)
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]

    def _heard(self, samples, count, _events) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(samples, shape=(count,)).copy())
        return 0  # go on

    def say(self, text: str, variant: str, words_per_minute: int) -> np.ndarray:
        self._chunks = []
        self.lib.espeak_SetVoiceByName(f"en-us+{variant}".encode())
        self.lib.espeak_SetParameter(_PARAMETER_RATE, words_per_minute, 0)
        data = text[:MAX_CHARACTERS].encode() + b"\0"
        self.lib.espeak_Synth(data, len(data), 0, _POSITION_CHARACTER, 0, _UTF8, None, None)
        said = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return _resampled(said, self.rate, RATE)


def _resampled(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    if samples.size == 0:
        return samples.astype(np.int16)
    times = np.arange(samples.size * to // rate) * rate / to
    return np.interp(times, np.arange(samples.size), samples.astype(np.float32)).astype(np.int16)


def words_per_minute(speed: float) -> int:
    low, high = _RATE_RANGE
    return int(min(high, max(low, round(WORDS_PER_MINUTE * speed))))


def say_now(text: str, voice: str = "alloy", speed: float = 1.0) -> np.ndarray:
    """16-bit mono samples at the simulator's rate of `text` said; on the calling thread."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Espeak()
        return _engine.say(text, VOICES.get(voice, VOICES["alloy"]), words_per_minute(speed))


async def say(text: str, voice: str = "alloy", speed: float = 1.0) -> np.ndarray:
    """As say_now, off the event loop."""
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(_pool, say_now, text, voice, speed)
