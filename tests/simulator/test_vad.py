"""The energy VAD on synthetic audio: pure numpy, no network."""

import numpy as np

from voice_app.simulator.vad import RATE, EnergyVad, SpeechStarted, SpeechStopped, VadSettings

CHUNK = RATE // 50


def noise(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    amplitude = 32768 * 10 ** (dbfs / 20) * np.sqrt(2)
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 300 * t)).astype(np.int16)


def run(vad: EnergyVad, audio: np.ndarray) -> list:
    changes = []
    for start in range(0, audio.size, CHUNK):
        changes += vad.feed(audio[start : start + CHUNK])
    return changes


def test_speech_between_silences_starts_and_stops_once():
    audio = np.concatenate([noise(1.0, -90), noise(1.5, -20), noise(1.0, -90)])
    changes = run(EnergyVad(VadSettings(silence_duration_ms=500)), audio)
    assert [type(c) for c in changes] == [SpeechStarted, SpeechStopped]
    started, stopped = changes
    assert 990 <= started.audio_start_ms <= 1010
    assert 2990 <= stopped.audio_end_ms <= 3030  # speech end + the silence it waited for
    # the utterance keeps 300 ms of padding before speech, and drops the trailing quiet
    assert abs(stopped.audio.size / RATE - 1.8) < 0.05


def test_quiet_audio_and_short_clicks_are_not_speech():
    audio = np.concatenate([noise(1.0, -70), noise(0.04, -10), noise(1.0, -90)])
    assert run(EnergyVad(VadSettings()), audio) == []


def test_a_pause_shorter_than_the_silence_duration_keeps_one_utterance():
    audio = np.concatenate([noise(0.5, -20), noise(0.3, -90), noise(0.5, -20), noise(1.0, -90)])
    changes = run(EnergyVad(VadSettings(silence_duration_ms=500)), audio)
    assert [type(c) for c in changes] == [SpeechStarted, SpeechStopped]


def test_higher_threshold_ignores_softer_speech():
    audio = np.concatenate([noise(1.0, -40), noise(1.0, -90)])
    assert run(EnergyVad(VadSettings(threshold=0.3)), audio) != []
    assert run(EnergyVad(VadSettings(threshold=0.9)), audio) == []


def test_clock_counts_the_whole_session_audio():
    audio = np.concatenate([noise(0.5, -20), noise(1.0, -90)])
    started = run(EnergyVad(VadSettings(), clock=RATE * 10), audio)[0]
    assert 10_000 <= started.audio_start_ms <= 10_020
