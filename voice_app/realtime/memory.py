"""What a new session is given of the conversation so far, so the model remembers it. Pure.

The earlier entries become `conversation.item.create` events, oldest first, the first inserted at
the conversation's start (`previous_item_id: "root"`) and each after the one before: in order
whatever the user says meanwhile. Each item keeps its entry's id, so what the new session reports
of it lands on the entry already shown, never a second copy. Tool calls go as text (the entry
keeps the call and its result as one line, not the API's two items).
"""

import hashlib
import re
from dataclasses import dataclass

from voice_app.realtime import catalog
from voice_app.realtime.api_rules import MEMORY_EVENT
from voice_app.realtime.events import ClientEvent
from voice_app.realtime.heard import split
from voice_app.realtime.token_estimate import estimated_tokens

DEFAULT_TOKENS = 8000  # cheap to resend; a model's share (budget_for) may be less
WINDOW_SHARE = 4  # at most a quarter of what a model's conversation holds: the call needs the rest
ITEM_TOKENS = 4  # what an item costs besides its words (a rendered message's role and delimiters)
ENTRY_TOKENS = 1000  # one entry's words given at most: a pasted essay is cut
CUT = " … (cut)"
_ITEM_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # what the API takes as a client's item id


@dataclass(frozen=True)
class Memory:
    events: list[dict]  # conversation.item.create events, to send in order
    given: int  # entries given to the model
    earlier: int  # entries the conversation had
    tokens: int  # about how many tokens they take

    @property
    def note(self) -> str:
        """What the page says about it (nothing when there was nothing to give)."""
        if not self.earlier:
            return ""
        if self.given == self.earlier:
            return f"The model remembers this conversation: its {self.given} earlier entries (about {self.tokens:,} tokens)."
        return (
            f"The model remembers the last {self.given} of this conversation's {self.earlier} entries "
            f"(about {self.tokens:,} tokens); older ones were left out to keep within its memory budget."
        )

    @property
    def item_ids(self) -> set[str]:
        return {event["item"]["id"] for event in self.events}


def tokens_of(text: str) -> int:
    """What an item with these words takes at most, in any language (token_estimate.py)."""
    return estimated_tokens(text) + ITEM_TOKENS


def budget_for(model: str, configured: int) -> int:
    """The memory budget of a session running `model`: the operator's, within the model's share."""
    window = catalog.WINDOWS.get(model)
    return min(configured, window.conversation // WINDOW_SHARE) if window else configured


def _cut(text: str) -> str:
    """The longest start of `text` that, with CUT, keeps within ENTRY_TOKENS (every character
    costs a third of a token or more, so no longer than three times that many characters)."""
    if estimated_tokens(text) <= ENTRY_TOKENS:
        return text
    low, high = 0, min(len(text), 3 * ENTRY_TOKENS)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if estimated_tokens(text[:middle] + CUT) <= ENTRY_TOKENS else (low, middle - 1)
    return text[:low] + CUT


def item_id_for(entry_id: str) -> str:
    """The entry's own id when the API takes it, else one made from it (the same each time)."""
    if _ITEM_ID.match(entry_id or ""):
        return entry_id
    return "mem_" + hashlib.sha256((entry_id or "").encode()).hexdigest()[:24]


def _item(entry: dict) -> dict | None:
    # As the API keeps an interrupted answer: only what the user heard of it (heard.py).
    text = split(entry)[0].strip()
    if not text:
        return None  # a turn whose words never came (a failed transcription), or were not heard
    text = _cut(text)
    item_id = item_id_for(str(entry.get("id", "")))
    if entry.get("role") == "user":
        return {"type": "message", "role": "user", "id": item_id, "content": [{"type": "input_text", "text": text}]}
    if entry.get("role") == "assistant":
        return {"type": "message", "role": "assistant", "id": item_id, "content": [{"type": "output_text", "text": text}]}
    if entry.get("role") == "tool":
        said = f"Earlier in this conversation a tool was called: {text}"
        return {"type": "message", "role": "system", "id": item_id, "content": [{"type": "input_text", "text": said}]}
    return None


def remembered(entries: list[dict], budget_tokens: int, max_items: int | None = None) -> Memory:
    """The latest entries that fit in the budget (and number at most `max_items`), oldest first,
    as client events."""
    items, tokens = [], 0
    candidates = [(item, tokens_of(item["content"][0]["text"])) for item in map(_item, entries) if item]
    for item, cost in reversed(candidates):
        if tokens + cost > budget_tokens or len(items) == max_items:
            break  # the rest is older still: a contiguous recent stretch reads best
        items.append(item)
        tokens += cost
    items.reverse()
    events, previous = [], "root"
    for number, item in enumerate(items):  # an error names its event: the page says what failed
        events.append(
            {
                "type": str(ClientEvent.ITEM_CREATE),
                "event_id": f"{MEMORY_EVENT}{number}",
                "previous_item_id": previous,
                "item": item,
            }
        )
        previous = item["id"]
    return Memory(events=events, given=len(items), earlier=len(candidates), tokens=tokens)
