"""Reading a conversation item as the API sends it: who it is from, and its words. Pure."""

from voice_app.realtime.images import described, image_size
from voice_app.realtime.mcp_items import MCP_SHOWN, mcp_words


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def text_or_none(value) -> str | None:
    """An id or a text as the API sends it; anything else counts as missing."""
    return value if isinstance(value, str) and value else None


def role_of(item: dict) -> str | None:
    if item.get("type") == "message" and item.get("role") in ("user", "assistant"):
        return item["role"]
    if item.get("type") in ("function_call", "function_call_output", *MCP_SHOWN):
        return "tool"
    return None  # system messages and the like are not shown


def words_of(item: dict) -> str:
    if item.get("type") in MCP_SHOWN:
        return mcp_words(item)
    if item.get("type") == "function_call":
        return f"{text_or_none(item.get('name')) or 'tool'}({text_or_none(item.get('arguments')) or ''})"
    if item.get("type") == "function_call_output":
        return text_or_none(item.get("output")) or ""
    parts = item.get("content")
    parts = parts if isinstance(parts, list) else []
    return "".join(_part_words(p) for p in parts if isinstance(p, dict))


def _part_words(part: dict) -> str:
    if part.get("type") == "input_image":  # its size when its bytes came along (the server's copy)
        size = image_size(part.get("image_url") or "")
        return described(*size) if size else "[image]"
    return text_or_none(part.get("text")) or text_or_none(part.get("transcript")) or ""


def repeated(seen: dict, event: dict, kept: int) -> bool:
    """Whether this event's id came before (a repeated event changes nothing); `seen` keeps the
    last `kept` ids, oldest first (a dict: found at once)."""
    event_id = text_or_none(event.get("event_id"))
    if event_id is None:
        return False
    if event_id in seen:
        return True
    seen[event_id] = None
    if len(seen) > kept:
        del seen[next(iter(seen))]
    return False
