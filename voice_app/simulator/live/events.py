"""Live server events as `openai.types.live` shapes them: plain dicts, no I/O."""

from voice_app.live.events import ServerEvent
from voice_app.simulator.config import new_id
from voice_app.simulator.errors import ApiError


def event(kind: ServerEvent, client_event_id: str | None = None, **fields) -> dict:
    extra = {"client_event_id": client_event_id} if client_event_id else {}
    return {"type": str(kind), "event_id": new_id("event"), **fields, **extra}


def error(problem: ApiError, client_event_id: str | None = None) -> dict:
    body = {
        "type": problem.type,
        "code": problem.code or "invalid_request",
        "message": problem.message,
        "param": problem.param,
        "client_event_id": client_event_id,
    }
    return event(ServerEvent.ERROR, client_event_id, error=body)


def usage(seconds: int, paused_seconds: int = 0) -> dict:
    """Cumulative billable time: whole seconds, split into active and paused."""
    return {"seconds": seconds, "active_seconds": seconds - paused_seconds, "paused_seconds": paused_seconds}


def pieces(text: str, count: int) -> list[str]:
    """`text` in about `count` fragments of whole words that join back to it exactly."""
    words, start = [], 0
    for end in range(1, len(text) + 1):
        if end == len(text) or (text[end - 1] == " " and text[end] != " "):
            words.append(text[start:end])
            start = end
    count = max(1, min(count, len(words)))
    size = -(-len(words) // count)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)]


def timed(text: str, count: int, start_ms: int, end_ms: int) -> list[tuple[str, int, int]]:
    """Fragments of `text`, each with its slice of [start_ms, end_ms], in proportion to its length."""
    fragments, spans, at = pieces(text, count), [], 0
    for fragment in fragments:
        begin = start_ms + (end_ms - start_ms) * at // max(1, len(text))
        at += len(fragment)
        spans.append((fragment, begin, start_ms + (end_ms - start_ms) * at // max(1, len(text))))
    return spans
