"""McpState: the operator's MCP servers a user may turn on (by label), and the approval requests
waiting for the user's answer. The server heard each request on its own connection to the call
(service/hearing.py); the answer goes back over that connection (states/server_call.py)."""

import reflex as rx

from voice_app.service import backend


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

    def _answered(self, request_id: str, sent: bool):
        self.approval_message = "" if sent else "That request cannot be answered any more."
        self.approvals = [request for request in self.approvals if request["id"] != request_id]
