"""What a conversation costs: one price table, in US dollars, one row per model with its source.

Prices are OpenAI's model pages as read on `CHECKED`; a model with no row is priced as the
default model, so the page calls the result an estimate.
"""

from dataclasses import dataclass

from voice_app.live import catalog as live_catalog
from voice_app.realtime import catalog

CHECKED = "2026-11-24"
SOURCE = "https://developers.openai.com/api/docs/models/"  # + the model's name


@dataclass(frozen=True)
class Prices:
    """Per million tokens."""

    text_in: float
    cached_text_in: float
    audio_in: float
    cached_audio_in: float
    image_in: float
    cached_image_in: float
    text_out: float  # text and reasoning: every output token that is not audio
    audio_out: float


MODEL_PRICES = {
    "gpt-realtime-2.1": Prices(4.00, 0.40, 32.00, 0.40, 5.00, 0.50, 24.00, 64.00),
    "gpt-realtime-2.1-mini": Prices(0.60, 0.06, 10.00, 0.30, 0.80, 0.08, 2.40, 20.00),
    "gpt-realtime-2": Prices(4.00, 0.40, 32.00, 0.40, 5.00, 0.50, 24.00, 64.00),
    "gpt-realtime-1.5": Prices(4.00, 0.40, 32.00, 0.40, 5.00, 0.50, 16.00, 64.00),
}


@dataclass(frozen=True)
class TextPrices:
    """Per million tokens: a text model's, as GPT-Live's delegated Responses calls are billed."""

    text_in: float
    cached_in: float
    cache_write: float  # input tokens written to the prompt cache: 1.25 times the uncached input
    text_out: float  # reasoning included


# GPT-Live's tool calls are made by a Responses model, billed by its tokens apart from the minutes
# ("Backend Responses calls use the normal pricing for the configured model").
DELEGATE_PRICES = {"gpt-6-luna": TextPrices(0.10, 0.01, 0.125, 0.50)}
LONG_CONTEXT = 272_000  # past this many input tokens, the whole request costs 2x input (cache too), 1.5x output

# Streaming transcription is billed by the minute of audio, not by tokens.
TRANSCRIPTION_PER_MINUTE = {
    "gpt-realtime-whisper": 0.017,
    "gpt-live-transcribe": 0.017,
}


def source(model: str) -> str:
    """Where a row of the table comes from."""
    return SOURCE + model


def part(usage, key: str) -> dict:
    """A nested usage object; anything malformed counts as empty."""
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, dict) else {}


def count(usage, key: str) -> float:
    """A token count (or seconds); anything malformed counts as none."""
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else 0


def response_cost(model: str, usage: dict) -> float:
    """Dollars for one `response.done` usage; cached tokens are part of the input tokens."""
    prices = MODEL_PRICES.get(model, MODEL_PRICES[catalog.DEFAULT_MODEL])
    inp, out = part(usage, "input_token_details"), part(usage, "output_token_details")
    cached = part(inp, "cached_tokens_details")
    dollars = 0.0
    for kind, full, reduced in (
        ("text", prices.text_in, prices.cached_text_in),
        ("audio", prices.audio_in, prices.cached_audio_in),
        ("image", prices.image_in, prices.cached_image_in),
    ):
        tokens, cached_tokens = count(inp, f"{kind}_tokens"), count(cached, f"{kind}_tokens")
        dollars += max(0, tokens - cached_tokens) * full + min(tokens, cached_tokens) * reduced
    audio_out = count(out, "audio_tokens")
    # The output's text details leave out reasoning; output_tokens counts it, so text is the rest.
    text_out = max(0, count(usage, "output_tokens") - audio_out)
    return (dollars + text_out * prices.text_out + audio_out * prices.audio_out) / 1_000_000


def transcription_cost(model: str, usage: dict) -> float:
    """Dollars for one transcription's usage: duration-billed models by the minute. Usage in
    tokens has no published price for these models, so it counts as nothing rather than a guess."""
    per_minute = TRANSCRIPTION_PER_MINUTE.get(model, TRANSCRIPTION_PER_MINUTE[catalog.DEFAULT_TRANSCRIPTION_MODEL])
    if isinstance(usage, dict) and usage.get("type") == "duration":
        return count(usage, "seconds") / 60 * per_minute
    return 0.0


def delegated_cost(model: str, usage: dict) -> float:
    """Dollars for one delegated Responses call's usage (`ResponseUsage`). Cached and cache-written
    tokens are counted among the input tokens (as cached tokens are in the Realtime API's usage)."""
    prices = DELEGATE_PRICES.get(model, DELEGATE_PRICES[live_catalog.DELEGATE_MODEL])
    details = part(usage, "input_tokens_details")
    tokens = count(usage, "input_tokens")
    cached = min(tokens, count(details, "cached_tokens"))
    written = min(tokens - cached, count(details, "cache_write_tokens"))
    long = tokens > LONG_CONTEXT
    dollars = ((tokens - cached - written) * prices.text_in + cached * prices.cached_in + written * prices.cache_write) * (
        2 if long else 1
    )
    return (dollars + count(usage, "output_tokens") * prices.text_out * (1.5 if long else 1)) / 1_000_000


def live_cost(model: str, active_seconds: float, paused_seconds: float) -> float:
    """Dollars for GPT-Live seconds, billed per second at the active or the standby rate."""
    prices = live_catalog.PRICES.get(model, live_catalog.PRICES[live_catalog.DEFAULT_MODEL])
    return (active_seconds * prices.active + paused_seconds * prices.standby) / 60
