"""What a saved conversation holds, and how it comes back. Pure: the database is elsewhere."""

import hashlib
import json
from dataclasses import dataclass, field

from voice_app.realtime.insight import Insight
from voice_app.realtime.numbers import whole_number
from voice_app.realtime.transcript import Transcript

TITLE_CHARS = 60
LARGEST_ID = 2**31 - 1  # a conversation's id: the id column's range on every database (PostgreSQL's integer)
USAGE_KEYS = ("input_tokens", "cached_tokens", "output_tokens", "audio_tokens", "image_tokens", "responses", "live_seconds")


def conversation_number(text) -> int | None:
    """A saved conversation's id, as the page, local storage or a pass names it, or None when it
    names none the database could have given (numbers.whole_number says what is read)."""
    return whole_number(text, LARGEST_ID) or None  # ids start at 1


def owner_id(browser_key: str) -> str:
    """Who owns a conversation: a hash of the random key the browser keeps, never the key."""
    return hashlib.sha256(browser_key.encode()).hexdigest()


def title_for(entries: list[dict]) -> str:
    """The first thing the user said, cut short; the time stands in until there is one."""
    for entry in entries:
        text = " ".join(str(entry.get("text") or "").split())
        if entry.get("role") == "user" and text:
            return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
    return "Conversation"


@dataclass
class Usage:
    """Tokens and cost over every call of one conversation (the page's figures are per call)."""

    earlier: dict = field(default_factory=dict)  # calls before the current one

    def total(self, current: Insight) -> dict:
        totals = {key: int(self.earlier.get(key, 0)) + getattr(current, key) for key in USAGE_KEYS}
        totals["cost_usd"] = round(float(self.earlier.get("cost_usd", 0.0)) + current.cost, 6)
        return totals


def placed(entries: list[dict], ids: set[str] | None) -> list[tuple[int, dict]]:
    """The entries with these ids (all when None) and their places. Looked for from the end, where
    entries are added and settle, so finding the few that changed does not grow with the length."""
    if ids is None:
        return list(enumerate(entries))
    wanted, found = set(ids), []
    for position in range(len(entries) - 1, -1, -1):
        if not wanted:
            break
        if entries[position].get("id") in wanted:
            wanted.discard(entries[position]["id"])
            found.append((position, entries[position]))
    return found[::-1]


def restored(entries: list) -> Transcript:
    """A saved conversation as a transcript to continue: what was still streaming when it was
    saved can never finish now, so it stays as far as it got, marked interrupted."""
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    transcript = Transcript(entries=[{k: str(v) for k, v in e.items()} for e in entries])
    transcript.end_call()
    return transcript


def usage_from_json(usage_json: str) -> dict:
    try:
        usage = json.loads(usage_json)
    except ValueError:
        return {}
    return usage if isinstance(usage, dict) else {}
