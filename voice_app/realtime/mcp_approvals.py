"""MCP approval requests as the server hears them on its own connection to the call, until the
user answers. An answer is sent only for a request the server heard and nobody has answered: a
page cannot make the server approve what the model never asked. Pure."""

import secrets
from dataclasses import dataclass, field

from voice_app.realtime.events import ClientEvent as C
from voice_app.realtime.events import ServerEvent as E
from voice_app.realtime.items import as_dict, text_or_none
from voice_app.realtime.turn_taking import TurnTaking

SHOWN = ("server_label", "name", "arguments")  # what the user sees before answering


@dataclass
class Approvals:
    pending: dict[str, dict] = field(default_factory=dict)  # request id -> what it asks

    def heard(self, event: dict) -> dict | None:
        """A new request this event brings (the request's id and SHOWN), if any."""
        item = as_dict(event.get("item"))
        request_id = text_or_none(item.get("id"))
        if event.get("type") != E.ITEM_DONE or item.get("type") != "mcp_approval_request" or not request_id:
            return None
        if request_id in self.pending:
            return None
        self.pending[request_id] = {"id": request_id, **{key: str(item.get(key) or "") for key in SHOWN}}
        return self.pending[request_id]

    def answer(self, request_id: str, approve: bool, turns: TurnTaking) -> list[dict]:
        """The client events that answer a pending request (none for any other id): the
        `mcp_approval_response` item, then the answer after it as `turns` has it (now, or once
        the active response is done), since adding an item alone starts no response and the call
        is made within the next one."""
        if self.pending.pop(request_id, None) is None:
            return []
        item = {
            "type": "mcp_approval_response",
            "id": "mcpa_" + secrets.token_hex(8),
            "approval_request_id": request_id,
            "approve": approve,
        }
        return [{"type": C.ITEM_CREATE, "item": item}, *turns.answer(after=item["id"])]
