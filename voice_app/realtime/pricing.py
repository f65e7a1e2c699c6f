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


def response_cost(model: str, usage: dict) -> float:
    """Dollars for one `response.done` usage; cached tokens are part of the input tokens."""
    prices = MODEL_PRICES.get(model, _FULL)
    inp = usage.get("input_token_details") or {}
    out = usage.get("output_token_details") or {}
    cached = inp.get("cached_tokens_details") or {}
    cached_text, cached_audio = cached.get("text_tokens", 0) or 0, cached.get("audio_tokens", 0) or 0
    dollars = (
        ((inp.get("text_tokens", 0) or 0) - cached_text) * prices.text_in
        + cached_text * prices.cached_text_in
        + ((inp.get("audio_tokens", 0) or 0) - cached_audio) * prices.audio_in
        + cached_audio * prices.cached_audio_in
        + (out.get("text_tokens", 0) or 0) * prices.text_out
        + (out.get("audio_tokens", 0) or 0) * prices.audio_out
    )
    return dollars / 1_000_000


def transcription_cost(model: str, usage: dict) -> float:
    if usage.get("type") == "duration":
        return (usage.get("seconds", 0) or 0) / 60 * WHISPER_PER_MINUTE
    audio_in, text_out = TRANSCRIPTION_PRICES.get(model, TRANSCRIPTION_PRICES["gpt-4o-transcribe"])
    details = usage.get("input_token_details") or {}
    audio = details.get("audio_tokens", usage.get("input_tokens", 0)) or 0
    return (audio * audio_in + (usage.get("output_tokens", 0) or 0) * text_out) / 1_000_000
