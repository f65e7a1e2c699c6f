"""What the server's hearing of a call (service/hearing.py) needs of the page's states: service code
reaches them only through this (states/server_call.py makes one, from any worker), so it runs, and
is tested, without Reflex."""

from typing import Protocol

from voice_app.realtime.tools import ToolContext, ToolResult


class Page(Protocol):
    """What the server's hearing of a call tells the page's states, and asks of them."""

    async def attached(self, call_id: str): ...
    async def bound(self, call_id: str) -> bool: ...  # False: the page has left the call
    async def lost(self, call_id: str, live: bool, why: str): ...
    async def asked(self, request: dict): ...  # an MCP approval request, for the user
    async def answered(self, request_id: str, approve: bool, sent: bool): ...  # the user's answer was sent, or not
    async def call_over(self): ...
    async def tool_started(self, call_id: str, name: str) -> tuple[ToolContext, bool]: ...  # its context; may it run
    async def tool_finished(self, call_id: str, result: ToolResult, context: ToolContext): ...
    async def saved(self, conversation_id: int | None, problem: str): ...
    async def item_ids(self, call_id: str) -> list[str]: ...  # the call's items it showed, in order (a hint)
