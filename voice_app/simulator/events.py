"""Server events and items as the GA API shapes them: plain dicts, no I/O."""

from voice_app.realtime import pricing
from voice_app.realtime.events import ServerEvent
from voice_app.simulator.config import Session, new_id

# Rough token rates of the real models, so usage numbers look like a real bill.
AUDIO_IN_TOKENS_PER_S = 10
AUDIO_OUT_TOKENS_PER_S = 20


def event(kind: ServerEvent, **fields) -> dict:
    return {"type": str(kind), "event_id": new_id("event"), **fields}


def error_event(error, client_event_id: str | None = None) -> dict:
    body = error.body()["error"]
    return event(ServerEvent.ERROR, error={**body, "event_id": client_event_id})


def user_audio_item(item_id: str, transcript: str | None = None) -> dict:
    return _item(item_id, "user", "completed", [{"type": "input_audio", "transcript": transcript}])


def assistant_item(item_id: str, status: str, kind: str, text: str | None = None) -> dict:
    """`kind` is "audio" (spoken, with a transcript) or "text"."""
    if text is None:
        content = []
    elif kind == "audio":
        content = [{"type": "output_audio", "transcript": text}]
    else:
        content = [{"type": "output_text", "text": text}]
    return _item(item_id, "assistant", status, content)


def _item(item_id: str, role: str, status: str, content: list) -> dict:
    return {"id": item_id, "object": "realtime.item", "type": "message", "role": role, "status": status, "content": content}


def response(session: Session, response_id: str, status: str, output: list, **extra) -> dict:
    return {
        "id": response_id,
        "object": "realtime.response",
        "conversation_id": None,
        "status": status,
        "status_details": extra.get("status_details"),
        "output": output,
        "output_modalities": session.output_modalities,
        "max_output_tokens": session.max_output_tokens,
        "audio": {"output": {"format": session.audio.output.format.model_dump(), "voice": session.voice_name}},
        "usage": extra.get("usage"),
        "metadata": None,
    }


def image_tokens(width: int, height: int, detail: str | None = None) -> int:
    """What an image costs as input, as OpenAI counts for its vision models: 85 at low detail;
    else 85 plus 170 for each 512 px tile, once fitted within 2048 px and its short side within 768."""
    if detail == "low":
        return 85
    scale = min(1.0, 2048 / max(width, height))
    width, height = width * scale, height * scale
    scale = min(1.0, 768 / min(width, height))
    tiles = -(-round(width * scale) // 512) * -(-round(height * scale) // 512)
    return 85 + 170 * tiles


def usage(text_in: int, audio_in_s: float, cached: int, text_out: int, audio_out_s: float, image_in: int = 0) -> dict:
    audio_in = round(audio_in_s * AUDIO_IN_TOKENS_PER_S)
    audio_out = round(audio_out_s * AUDIO_OUT_TOKENS_PER_S)
    cached = min(cached, text_in + audio_in)
    cached_text = min(cached, text_in)
    return {
        "total_tokens": text_in + audio_in + image_in + text_out + audio_out,
        "input_tokens": text_in + audio_in + image_in,
        "output_tokens": text_out + audio_out,
        "input_token_details": {
            "text_tokens": text_in,
            "audio_tokens": audio_in,
            "image_tokens": image_in,
            "cached_tokens": cached,
            "cached_tokens_details": {"text_tokens": cached_text, "audio_tokens": cached - cached_text, "image_tokens": 0},
        },
        "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
    }


def transcription_usage(model: str, seconds: float, words: int) -> dict:
    """Streaming transcription models bill by duration; the others by tokens."""
    if model in pricing.TRANSCRIPTION_PER_MINUTE:
        return {"type": "duration", "seconds": round(seconds, 3)}
    audio = round(seconds * AUDIO_IN_TOKENS_PER_S)
    return {
        "type": "tokens",
        "input_tokens": audio,
        "output_tokens": words,
        "total_tokens": audio + words,
        "input_token_details": {"audio_tokens": audio, "text_tokens": 0},
    }


def rate_limits(requests_used: int, tokens_used: int) -> dict:
    return event(
        ServerEvent.RATE_LIMITS_UPDATED,
        rate_limits=[
            {"name": "requests", "limit": 5000, "remaining": max(0, 5000 - requests_used), "reset_seconds": 0.012},
            {"name": "tokens", "limit": 40000, "remaining": max(0, 40000 - tokens_used), "reset_seconds": 1.5},
        ],
    )


def tokens_of(text: str) -> int:
    """The simulator's stand-in for a tokenizer: about four ASCII characters a token (OpenAI's
    rule of thumb for English), and a token for every other character (Chinese and Japanese run
    about one a character)."""
    other = sum(ord(char) >= 0x80 for char in text)
    return max(1, (len(text) - other) // 4 + other) if text else 0
