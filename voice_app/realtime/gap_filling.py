"""What a call said while no server connection heard it (its holder died; service/call_gaps.py
fills it in after a takeover), from the Realtime API itself. Pure: events in, client events and
record events out.

The API replays nothing to a new connection. What it offers is `conversation.item.retrieve`:
the item with a given id, in full, or an `error` when the conversation holds none. The item it
returns says nothing of the item before it, so the ids come from two places: an item heard now
whose `previous_item_id` is neither in the record nor heard (the gap's last item), and the page's
own list of the items it showed (a hint: each id is retrieved from the API, so the page can name
items but not make them up; it only orders them in its own conversation). At most
MAX_RETRIEVALS per call: then the rest of the gap stays unsaved, and that is logged.

A retrieved function call the server never heard was never run (its first holder saves a call
before running it), and the model still waits for it unless an output for it is known: it runs
here, once, as a fresh one would (only a tool the server put in the call's session runs).
"""

from dataclasses import dataclass, field

from voice_app.realtime.api_rules import RETRIEVE_EVENT
from voice_app.realtime.events import ClientEvent, ServerEvent
from voice_app.realtime.items import as_dict, text_or_none

MAX_RETRIEVALS = 50  # per call: a gap of a few seconds holds a handful of items
ROOT = "root"  # previous_item_id of a conversation's first item
_ITEM_EVENTS = (ServerEvent.ITEM_ADDED, ServerEvent.ITEM_DONE)


@dataclass
class Gap:
    known: set[str] = field(default_factory=set)  # ids the record has, or heard or retrieved here
    after: str | None = None  # the record's last entry when the hold began: where a gap starts
    before: dict[str, str | None] = field(default_factory=dict)  # id asked for -> the id before it
    asking: dict[str, str] = field(default_factory=dict)  # our retrieve's event id -> its item id
    outputs: set[str] = field(default_factory=set)  # call ids whose output is in the conversation
    retrievals: int = 0
    gave_up: bool = False

    def heard(self, event: dict) -> str | None:
        """An event of the call: the id of an item that was said in a gap, if it shows one."""
        if event.get("type") not in _ITEM_EVENTS:
            return None
        self._knows(as_dict(event.get("item")))
        previous = text_or_none(event.get("previous_item_id"))
        return None if previous in (None, ROOT) or previous in self.known or previous in self.before else previous

    def ask(self, hints: list, last: str | None = None) -> list[dict]:
        """Retrieve events for the items missing: the page's hints (its items, in order) not
        known yet, then `last` (the id before an item heard) if the hints lack it."""
        hints = [hint for hint in hints if isinstance(hint, str) and hint]
        if last in hints:
            hints = hints[: hints.index(last) + 1]
        chain, previous = [], self.after
        for item_id in [*hints, *([last] if last and last not in hints else [])]:
            if item_id in self.known or item_id in self.before:
                previous = item_id
                continue
            chain.append((item_id, previous))
            previous = item_id
        room = max(0, MAX_RETRIEVALS - self.retrievals)
        self.gave_up = self.gave_up or len(chain) > room
        sent = []
        for item_id, previous in chain[:room]:
            self.retrievals += 1
            event_id = f"{RETRIEVE_EVENT}{self.retrievals}"
            self.before[item_id], self.asking[event_id] = previous, item_id
            sent.append({"type": ClientEvent.ITEM_RETRIEVE.value, "item_id": item_id, "event_id": event_id})
        return sent

    def retrieved(self, event: dict, placed) -> tuple[dict | None, dict | None]:
        """The API's answer to one of ours: the record's event for the item (placed after the
        nearest item before it that `placed(id)` says the record holds), and the tool call to
        run, if it is one the model still waits for."""
        item = as_dict(event.get("item"))
        item_id = text_or_none(item.get("id"))
        if event.get("type") != ServerEvent.ITEM_RETRIEVED or item_id not in self.before or item_id in self.known:
            return None, None
        self._knows(item)
        previous = self.before[item_id]
        while previous is not None and not placed(previous) and previous in self.before:
            previous = self.before[previous]  # its item was refused, or is not shown: the one before
        done = {"type": ServerEvent.ITEM_DONE.value, "item": item, "previous_item_id": previous if placed(previous) else None}
        return done, self._waiting(item)

    def refused(self, event: dict) -> str | None:
        """The item id of ours the API refused (an `error` naming our retrieve), or None."""
        error = as_dict(event.get("error"))
        return self.asking.pop(str(error.get("event_id") or ""), None) if event.get("type") == ServerEvent.ERROR else None

    def _knows(self, item: dict):
        if item_id := text_or_none(item.get("id")):
            self.known.add(item_id)
        if item.get("type") == "function_call_output" and (call_id := text_or_none(item.get("call_id"))):
            self.outputs.add(call_id)

    def _waiting(self, item: dict) -> dict | None:
        call_id = text_or_none(item.get("call_id"))
        if item.get("type") != "function_call" or item.get("status") != "completed" or not call_id or call_id in self.outputs:
            return None
        self.outputs.add(call_id)  # run once
        arguments = item.get("arguments") if isinstance(item.get("arguments"), str) else ""
        name = text_or_none(item.get("name")) or ""
        return {"name": name, "arguments": arguments, "call_id": call_id, "response_id": f"{RETRIEVE_EVENT}{item['id']}"}
