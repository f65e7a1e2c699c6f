"""The call's tools, set mid-call on the server's own connection (service/hearing.py mixes this in):
MCP servers' entries hold the operator's headers, so only the server may send them."""

import asyncio
import time

from voice_app.realtime.events import ClientEvent

TOOLS_EVERY_S = 2.0  # the server sets a call's tools at most this often (set_tools)


class ToolSetting:
    outbox: asyncio.Queue
    tools_wanted: list[dict] | None  # the call's tools, to be set
    tools_sent: list[dict] | None
    tools_sent_at: float

    def set_tools(self, tools: list[dict]):
        """The call's tools, as the server chose them (the page may not send MCP servers' entries).
        At most one update every TOOLS_EVERY_S, the latest: each makes the API list the MCP servers'
        tools again, and a page may change its settings as often as it likes."""
        waiting, self.tools_wanted = self.tools_wanted is not None, tools
        if not waiting:
            delay = max(0.0, self.tools_sent_at + TOOLS_EVERY_S - time.monotonic())
            asyncio.get_running_loop().call_later(delay, self._send_tools)

    def _send_tools(self):
        tools, self.tools_wanted = self.tools_wanted, None
        if tools != self.tools_sent:  # back to what the call has: nothing to ask of the API
            self.outbox.put_nowait({"type": ClientEvent.SESSION_UPDATE.value, "session": {"type": "realtime", "tools": tools}})
            self.tools_sent, self.tools_sent_at = tools, time.monotonic()
