"""Audio from one sample rate to another (libswresample, through PyAV): the mouth's 22,050 Hz to
the simulator's 48 kHz, and the simulator's 48 kHz to the ear's 16 kHz."""

import av
import numpy as np


def resampled(samples: np.ndarray, rate: int, to: int) -> np.ndarray:
    """16-bit mono `samples` at `rate`, as 16-bit mono at `to`."""
    if rate == to or samples.size == 0:
        return samples.astype(np.int16)
    frame = av.AudioFrame.from_ndarray(samples.astype(np.int16).reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=to)
    frames = [*resampler.resample(frame), *resampler.resample(None)]  # None: what it still holds
    return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]) if frames else np.zeros(0, np.int16)
