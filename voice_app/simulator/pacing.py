"""How an answer's words stream: its text deltas and their pace, and how many fit in the
session's `max_output_tokens`. Pure: numbers in, numbers out.

Generation runs ahead of speech, as the model's does: a spoken message's text streams within
about a third of its audio's length; a text-only answer streams quickly (nothing to listen to).
"""

from voice_app.simulator import events
from voice_app.simulator.vad import RATE

GENERATION_SHARE = 0.35  # a spoken message's text streams within this share of its audio's length
TEXT_ONLY_WORD_SECONDS = 0.03


def deltas_of(text: str, audio_samples: int, spoken: bool, faults) -> tuple[list[str], float]:
    """The message's text deltas (two words each), and the pause between them."""
    if faults.stream_rate:  # numbered words at a steady rate, for the latency benchmark
        deltas, pause = [f"w{index} " for index in range(faults.stream_count)], 1.0 / faults.stream_rate
    else:
        words = text.split(" ")
        deltas = [" ".join(words[i : i + 2]) + " " for i in range(0, len(words), 2)]
        seconds = GENERATION_SHARE * audio_samples / RATE if spoken else TEXT_ONLY_WORD_SECONDS * len(words)
        pause = seconds / len(deltas)
    deltas[-1] = deltas[-1].rstrip()
    return deltas, pause


def within_cap(cap: int | str, deltas: list[str], calls: str, audio_s: float) -> tuple[int, bool]:
    """How many deltas fit in `cap` (max_output_tokens: their text tokens, and the audio tokens of
    their share of the `audio_s` of speech, as the usage counts them), and whether the cap cuts the
    answer: its words, or the tool calls' arguments (`calls`) after them."""
    said = ""
    for index, delta in enumerate(deltas):
        said += delta
        share = (index + 1) / len(deltas)
        if cap != "inf" and events.tokens_of(said) + round(share * audio_s * events.AUDIO_OUT_TOKENS_PER_S) > cap:
            return index, True
    over = cap != "inf" and bool(calls) and events.tokens_of(said + calls) + round(audio_s * events.AUDIO_OUT_TOKENS_PER_S) > cap
    return len(deltas), over
