"""An energy voice-activity detector over mono 16-bit PCM: pure numpy, no I/O.

It stands in for the API's server VAD: speech starts after a short run of loud
audio and stops after `silence_duration_ms` of quiet; each utterance keeps
`prefix_padding_ms` of audio from before it started, as the real buffer does.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np

RATE = 48_000
MIN_SPEECH_MS = 60  # shorter bursts (clicks, pops) are not speech
MAX_UTTERANCE_MS = 30_000
_SEMANTIC_SILENCE_MS = {"low": 1200, "medium": 700, "high": 350, "auto": 700}


@dataclass(frozen=True)
class VadSettings:
    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500

    @property
    def level_dbfs(self) -> float:
        # threshold 0..1 maps onto -55..-20 dBFS: 0.5 is about a quiet talker close to the mic.
        return -55.0 + 35.0 * self.threshold

    @classmethod
    def for_turn_detection(cls, turn_detection) -> "VadSettings":
        if turn_detection.type == "semantic_vad":
            return cls(silence_duration_ms=_SEMANTIC_SILENCE_MS[turn_detection.eagerness])
        return cls(turn_detection.threshold, turn_detection.prefix_padding_ms, turn_detection.silence_duration_ms)


@dataclass(frozen=True)
class SpeechStarted:
    audio_start_ms: int


@dataclass(frozen=True)
class SpeechStopped:
    audio_end_ms: int
    audio: np.ndarray  # the utterance, prefix padding included, trailing quiet trimmed


def dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64)))))
    return 20.0 * np.log10(max(rms, 1e-6) / 32768.0)


def ms(samples: int) -> int:
    return samples * 1000 // RATE


class EnergyVad:
    def __init__(self, settings: VadSettings, clock: int = 0) -> None:
        self.settings = settings
        self._seen = clock  # samples of the session's audio so far: the clock of audio_*_ms
        self._recent: deque[np.ndarray] = deque()  # quiet audio kept for prefix padding
        self._utterance: list[np.ndarray] = []
        self._loud_run = 0  # samples of consecutive loud audio
        self._quiet_run = 0  # samples of consecutive quiet audio inside speech
        self._quiet_tail: list[np.ndarray] = []
        self.speaking = False

    def feed(self, chunk: np.ndarray) -> list[SpeechStarted | SpeechStopped]:
        loud = dbfs(chunk) >= self.settings.level_dbfs
        self._seen += chunk.size
        if self.speaking:
            return self._during_speech(chunk, loud)
        return self._before_speech(chunk, loud)

    def _before_speech(self, chunk: np.ndarray, loud: bool) -> list:
        self._recent.append(chunk)
        self._loud_run = self._loud_run + chunk.size if loud else 0
        keep = self.settings.prefix_padding_ms * RATE // 1000 + self._loud_run
        while self._recent and sum(c.size for c in self._recent) - self._recent[0].size >= keep:
            self._recent.popleft()
        if ms(self._loud_run) < MIN_SPEECH_MS:
            return []
        self.speaking = True
        self._utterance = list(self._recent)
        self._recent.clear()
        self._quiet_run, self._quiet_tail = 0, []
        return [SpeechStarted(audio_start_ms=ms(self._seen - self._loud_run))]

    def _during_speech(self, chunk: np.ndarray, loud: bool) -> list:
        if loud:
            self._utterance += self._quiet_tail + [chunk]
            self._quiet_run, self._quiet_tail = 0, []
        else:
            self._quiet_run += chunk.size
            self._quiet_tail.append(chunk)
        too_long = ms(sum(c.size for c in self._utterance)) >= MAX_UTTERANCE_MS
        if ms(self._quiet_run) < self.settings.silence_duration_ms and not too_long:
            return []
        self.speaking = False
        self._loud_run = 0
        audio = np.concatenate(self._utterance)
        self._utterance, self._quiet_tail, self._quiet_run = [], [], 0
        return [SpeechStopped(audio_end_ms=ms(self._seen), audio=audio)]
