"""The `busy_before` fault: a response already under way as a client adds an item of a given type
(an MCP approval, a tool's output), as when the user spoke just before it. The client's
`response.create` right after the item is then refused, as the API refuses a second response.

Deterministic, not timed: the item and whatever the client sends after it wait until the
response has begun (its first words), then are taken in order while it still streams."""

import json

from voice_app.realtime.events import ClientEvent as C
from voice_app.simulator import client_events
from voice_app.simulator.answer import Hooks
from voice_app.simulator.replies import voiced

SAID = "Sorry, I was already answering something else."


class Interjection:
    def __init__(self, conversation):
        self.conversation = conversation
        self.waiting = set(conversation.faults.busy_before)  # each item type once
        self.held: list[str] | None = None  # client events waiting for the response to begin

    def takes(self, raw: str) -> bool:
        """True when this client event waits (and is taken later, in order)."""
        if self.held is not None:
            self.held.append(raw)
            return True
        kind = self._item_type(raw)
        if kind not in self.waiting or self.conversation.answering:
            return False
        self.waiting.discard(kind)
        self.held = [raw]
        self.conversation.start_answer(voiced(SAID), Hooks(started=self._release, done=self._release))
        return True

    def _item_type(self, raw: str) -> str | None:
        if not self.waiting:
            return None
        try:
            event = json.loads(raw)
        except ValueError:
            return None
        item = event.get("item") if isinstance(event, dict) and event.get("type") == C.ITEM_CREATE else None
        return item.get("type") if isinstance(item, dict) else None

    def _release(self) -> None:
        held, self.held = self.held, None
        for raw in held or []:
            client_events.handle(self.conversation, raw)
