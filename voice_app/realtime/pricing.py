"""What a conversation costs: one price table, in US dollars per million tokens.

Prices as published for the GA realtime models; models without a published price of their own
use their family's. The page calls the result an estimate, because it is one.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Prices:
    text_in: float
    cached_text_in: float
    audio_in: float
    cached_audio_in: float
    text_out: float
    audio_out: float


_FULL = Prices(text_in=4.00, cached_text_in=0.40, audio_in=32.00, cached_audio_in=0.40, text_out=16.00, audio_out=64.00)
_MINI = Prices(text_in=0.60, cached_text_in=0.06, audio_in=10.00, cached_audio_in=0.30, text_out=2.40, audio_out=20.00)

MODEL_PRICES = {
    "gpt-realtime-2.1": _FULL,
    "gpt-realtime": _FULL,
    "gpt-realtime-2.1-mini": _MINI,
    "gpt-realtime-mini": _MINI,
}

# Transcription models bill audio in and text out, per million tokens.
TRANSCRIPTION_PRICES = {
    "gpt-4o-mini-transcribe": (3.00, 5.00),
    "gpt-4o-transcribe": (6.00, 10.00),
    "gpt-realtime-whisper": (6.00, 10.00),
    "whisper-1": (6.00, 10.00),
}
WHISPER_PER_MINUTE = 0.006  # for usage reported in seconds rather than tokens


def part(usage, key: str) -> dict:
    """A nested usage object; anything malformed counts as empty."""
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, dict) else {}


def count(usage, key: str) -> float:
    """A token count (or seconds); anything malformed counts as none."""
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def response_cost(model: str, usage: dict) -> float:
    """Dollars for one `response.done` usage; cached tokens are part of the input tokens."""
    prices = MODEL_PRICES.get(model, _FULL)
    inp, out = part(usage, "input_token_details"), part(usage, "output_token_details")
    cached = part(inp, "cached_tokens_details")
    cached_text, cached_audio = count(cached, "text_tokens"), count(cached, "audio_tokens")
    dollars = (
        (count(inp, "text_tokens") - cached_text) * prices.text_in
        + cached_text * prices.cached_text_in
        + (count(inp, "audio_tokens") - cached_audio) * prices.audio_in
        + cached_audio * prices.cached_audio_in
        + count(out, "text_tokens") * prices.text_out
        + count(out, "audio_tokens") * prices.audio_out
    )
    return dollars / 1_000_000


def transcription_cost(model: str, usage: dict) -> float:
    if usage.get("type") == "duration":
        return count(usage, "seconds") / 60 * WHISPER_PER_MINUTE
    audio_in, text_out = TRANSCRIPTION_PRICES.get(model, TRANSCRIPTION_PRICES["gpt-4o-transcribe"])
    details = part(usage, "input_token_details")
    audio = count(details, "audio_tokens") if "audio_tokens" in details else count(usage, "input_tokens")
    return (audio * audio_in + count(usage, "output_tokens") * text_out) / 1_000_000
