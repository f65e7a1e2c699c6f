"""The simulator's mouth: eSpeak NG says a text, at a simulated voice's pitch and the session's speed.

The library and its voices come from the pinned `espeakng-loader` wheel, driven through the C API
of `speak_lib.h` (no Python binding of it synthesizes to memory). eSpeak keeps one global state, so
all speech is made on one thread, in turn.
"""

import asyncio
import ctypes
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from voice_app.simulator.speech.rates import resampled
from voice_app.simulator.vad import RATE

MAX_SECONDS = 90  # of speech for one text at most: a page's long message is not read out whole
CHARACTERS_PER_SECOND = 17  # at speed 1.0: eSpeak's 175 words a minute, of about six characters each
WORDS_PER_MINUTE = 175  # eSpeak's own default rate, said at speed 1.0
_RATE_RANGE = (80, 450)  # what eSpeak accepts
_SYNCHRONOUS, _UTF8, _POSITION_CHARACTER, _PARAMETER_RATE = 2, 1, 1, 1
_DONT_EXIT = 0x8000  # espeakINITIALIZE_DONT_EXIT: without it, missing voices end the whole process

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
_engine: "_Espeak | Exception | None" = None


class _Espeak:
    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        path = espeakng_loader.get_data_path().encode()
        self.rate = self.lib.espeak_Initialize(_SYNCHRONOUS, 0, path, _DONT_EXIT)
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
        data = text.encode(errors="replace") + b"\0"  # a lone surrogate a page sent is said as "?"
        self.lib.espeak_Synth(data, len(data), 0, _POSITION_CHARACTER, 0, _UTF8, None, None)
        said = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        return resampled(said, self.rate, RATE)


def sayable(text: str, speed: float) -> str:
    """As much of `text` as is said within MAX_SECONDS at `speed`, ending at a word."""
    most = int(MAX_SECONDS * CHARACTERS_PER_SECOND * speed)
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + "…"


def words_per_minute(speed: float) -> int:
    low, high = _RATE_RANGE
    return int(min(high, max(low, round(WORDS_PER_MINUTE * speed))))


def say_now(text: str, voice: str = "alloy", speed: float = 1.0) -> np.ndarray:
    """16-bit mono samples at the simulator's rate of `text` said; on the calling thread."""
    global _engine
    with _lock:
        if isinstance(_engine, Exception):  # it could not start: once is enough to know
            raise _engine
        if _engine is None:
            try:
                _engine = _Espeak()
            except Exception as error:
                _engine = error
                raise
        return _engine.say(sayable(text, speed), VOICES.get(voice, VOICES["alloy"]), words_per_minute(speed))


async def say(text: str, voice: str = "alloy", speed: float = 1.0) -> np.ndarray:
    """As say_now, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, say_now, text, voice, speed)
