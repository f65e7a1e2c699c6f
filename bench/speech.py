"""The simulator's ear and mouth: how fast, and how well the ear hears (issue 28).

    .venv/bin/python -m bench --parts speech      (or alone, with what was heard: python -m bench.speech)

Sentences a user would say to a voice assistant are said at run time by the mouth (eSpeak NG) in a
few voices at speed 1.0, and heard by the ear (Whisper tiny.en), as is the checked-in recording
tests/fixtures/hello.wav. The word error rate (jiwer's: words after lower-casing and removing
punctuation, numbers as they come) stands beside the placeholder's, which hears no words (1.0);
the times beside real time (one second per second of speech). Numbers only: nothing is asserted.
"""

import time
import wave
from pathlib import Path

import jiwer
import numpy as np

from voice_app.simulator.speech import ear, mouth
from voice_app.simulator.vad import RATE

SENTENCES = (
    "What time is it in Tokyo?",
    "Remember that my locker is 42.",
    "What is 12 times 7?",
    "What's the weather like tomorrow morning?",
    "Set a timer for ten minutes.",
    "Can you tell me a short story about a lighthouse keeper?",
    "Please remind me to call my sister tonight.",
    "How far is the moon from the earth?",
    "Turn the music down a little.",
    "Thank you, that is all for now.",
)
VOICES = ("alloy", "echo", "cedar")  # eSpeak variants f3, m1, m6
RECORDING = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hello.wav"
RECORDING_WORDS = "Hello, can you hear me clearly?"
_WORDS = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def word_error_rate(said: list[str], heard: list[str]) -> float:
    """Words substituted, deleted and inserted, over the words said (pooled over the set)."""
    return jiwer.wer(reference=said, hypothesis=heard, reference_transform=_WORDS, hypothesis_transform=_WORDS)


def recording() -> tuple[np.ndarray, int]:
    """The checked-in recording's 16-bit samples and rate (24 kHz mono)."""
    with wave.open(str(RECORDING)) as file:
        return np.frombuffer(file.readframes(file.getnframes()), np.int16), file.getframerate()


def _timed(work, *args):
    started = time.perf_counter()
    result = work(*args)
    return result, time.perf_counter() - started


def measure() -> dict:
    """Times (s) and what was heard, for each voice's set and the recording."""
    _, load_s = _timed(lambda: ear.warm().result())
    _, mouth_start_s = _timed(mouth.say_now, "Ready.")  # eSpeak's start, once per process
    heard: dict[str, list[str]] = {}
    seconds = {"saying": 0.0, "hearing": 0.0, "spoken": 0.0}
    for voice in VOICES:
        heard[voice] = []
        for sentence in SENTENCES:
            audio, said_s = _timed(mouth.say_now, sentence, voice, 1.0)
            words, heard_s = _timed(ear.transcribe_now, audio, RATE)
            heard[voice].append(words)
            seconds["saying"] += said_s
            seconds["hearing"] += heard_s
            seconds["spoken"] += audio.size / RATE
    samples, rate = recording()
    recording_words, recording_s = _timed(ear.transcribe_now, samples, rate)
    return {
        "load_s": load_s,
        "mouth_start_s": mouth_start_s,
        "heard": heard,
        **seconds,
        "recording_heard": recording_words,
        "recording_s": recording_s,
        "recording_spoken": samples.size / rate,
    }


def _row(name: str, ours: str, baseline: str, ratio: float | None) -> str:
    return f"| {name} | {ours} | {baseline} | {'–' if ratio is None else f'{ratio:.3g}'} |"


def _per_second(name: str, seconds: float, spoken: float, digits: int = 3) -> str:
    """Time taken per second of speech, beside real time."""
    return _row(f"{name} per second of speech", f"{seconds / spoken:.{digits}f} s", "real time: 1 s", seconds / spoken)


def _once(name: str, seconds: float) -> str:
    return _row(name, f"{seconds:.2f} s", "placeholder: none", None)


def _wer(name: str, said: list[str], heard: list[str]) -> str:
    wer = word_error_rate(said, heard)
    return _row(f"ear: word error rate, {name}", f"{wer:.3f}", "placeholder: 1.000", wer)


def rows(r: dict) -> list[str]:
    spoken, count = r["spoken"], len(VOICES) * len(SENTENCES)
    out = [
        "",
        "| speech: measure | simulator | baseline | ratio |",
        "|---|---|---|---|",
        _once("ear: model load, once per process", r["load_s"]),
        _per_second(f"ear: time ({len(SENTENCES)} sentences × {len(VOICES)} voices, {spoken:.0f} s)", r["hearing"], spoken),
        _per_second(f"ear: time (hello.wav, {r['recording_spoken']:.1f} s)", r["recording_s"], r["recording_spoken"]),
        _once(f"ear: time per turn, mean of {count}", r["hearing"] / count),
        _once("mouth: start, once per process", r["mouth_start_s"]),
        _per_second(f"mouth: time ({count} sentences)", r["saying"], spoken, 4),
    ]
    for voice in VOICES:
        out.append(_wer(f"voice {voice} ({mouth.VOICES[voice]})", list(SENTENCES), r["heard"][voice]))
    everything = [words for voice in VOICES for words in r["heard"][voice]]
    out.append(_wer(f"all {count} sentences", list(SENTENCES) * len(VOICES), everything))
    out.append(_wer("hello.wav", [RECORDING_WORDS], [r["recording_heard"]]))
    return out


def misheard(r: dict) -> list[str]:
    """Each sentence the ear did not hear word for word, and what it heard."""
    pairs = [(voice, said, heard) for voice in VOICES for said, heard in zip(SENTENCES, r["heard"][voice], strict=True)]
    pairs.append(("hello.wav", RECORDING_WORDS, r["recording_heard"]))
    return [f"{voice}: {said!r} → {heard!r}" for voice, said, heard in pairs if word_error_rate([said], [heard]) > 0]


if __name__ == "__main__":
    results = measure()
    print("\n".join(misheard(results)))
    print("\n".join(rows(results)))
