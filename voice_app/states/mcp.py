"""McpState: the operator's MCP servers a user may turn on (by label), and the approval requests
waiting for the user's answer. The server heard each request on its own connection to the call
(states/server_call.py); the answer goes back over that connection, for that request only."""

from collections.abc import Callable

import reflex as rx

from voice_app.service import backend
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.live import mcp_items

# call id -> how the server holding that call answers a request (registered for the call's life)
ANSWERERS: dict[str, Callable[[str, bool], bool]] = {}


class McpState(rx.State):
    approvals: list[dict[str, str]] = []  # {"id", "server_label", "name", "arguments"}, oldest first
    approval_message: str = ""

    @rx.var
    def server_labels(self) -> list[str]:
        return [server.label for server in backend.MCP_SERVERS]

    def _asked(self, request: dict):
        self.approvals = [*self.approvals, request]

    def _call_over(self):
        self.approvals, self.approval_message = [], ""

    @rx.event
    async def approve(self, request_id: str):
        await self._answer(request_id, True)

    @rx.event
    async def decline(self, request_id: str):
        await self._answer(request_id, False)

    async def _answer(self, request_id: str, approve: bool):
        if not isinstance(request_id, str):
            return
        link = (await self.get_state(CallState))._server
        answer = ANSWERERS.get(link.call_id) if link.bound else None  # only the page's own call
        sent = answer is not None and answer(request_id, approve)
        if sent and (await self.get_state(CallState)).live:  # GPT-Live echoes no answer to the page: shown here
            (await self.get_state(ConversationState))._folded([mcp_items.answered(request_id, approve)])
        self.approval_message = "" if sent else "That request cannot be answered any more."
        self.approvals = [request for request in self.approvals if request["id"] != request_id]
