"""ServerCallState: the server's own connection to each call (service/hearing.py), started once the
call is known to be the page's, and the user's answers to the MCP approval requests it heard."""

import reflex as rx

from voice_app.live import mcp_items
from voice_app.realtime.tools import ToolContext, ToolResult
from voice_app.service import backend
from voice_app.service.hearing import Hearing
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.mcp import McpState
from voice_app.states.settings import SettingsState


class ServerCallState(rx.State):
    @rx.event
    def call_reported(self, update: dict):
        """Wired after CallState.connection_status: a call the page named is heard once the call's
        state took it as this Connect's."""
        if isinstance(update, dict) and update.get("status") == "call" and isinstance(update.get("call_id"), str):
            return ServerCallState.hear(update["call_id"])
        return None

    @rx.event(background=True)
    async def hear(self, call_id: str):
        """A page asking for it (any event can be sent) gets nothing: the id must be the call's own,
        not yet heard."""
        async with self:
            held = (await self.get_state(CallState))._to_hear(call_id) if isinstance(call_id, str) else None
            if held is None:
                return
            conversation = await self.get_state(ConversationState)
            hearing = Hearing(
                _Page(self),
                call_id,
                conversation.owner,
                conversation.conversation_id,
                await self.get_var_value(SettingsState.settings),
                *held,
            )
        await hearing.hold()

    @rx.event
    async def approve(self, request_id: str):
        await self._answer(request_id, True)

    @rx.event
    async def decline(self, request_id: str):
        await self._answer(request_id, False)

    async def _answer(self, request_id: str, approve: bool):
        if not isinstance(request_id, str):
            return
        call = await self.get_state(CallState)
        answer = backend.ANSWERERS.get(call._bound_call_id())  # only the page's own call
        sent = answer is not None and answer(request_id, approve)
        if sent and call.live:  # GPT-Live echoes no answer to the page: shown here
            (await self.get_state(ConversationState))._folded([mcp_items.answered(request_id, approve)])
        (await self.get_state(McpState))._answered(request_id, sent)


class _Page:
    """The page's states, as the server's hearing of its call reaches them (service/hearing.Page)."""

    def __init__(self, state: ServerCallState):
        self.state = state

    async def _call(self) -> CallState:
        return await self.state.get_state(CallState)

    async def attached(self, call_id: str):
        async with self.state:
            (await self._call())._server_attached(call_id)

    async def bound(self, call_id: str) -> bool:
        async with self.state:
            return (await self._call())._server_bound(call_id)

    async def lost(self, call_id: str, live: bool, why: str):
        async with self.state:
            call = await self._call()
            (call._live_lost if live else call._server_lost)(call_id, why)

    async def asked(self, request: dict):
        async with self.state:
            (await self.state.get_state(McpState))._asked(request)

    async def call_over(self):
        async with self.state:
            (await self.state.get_state(McpState))._call_over()

    async def tool_started(self, call_id: str, name: str) -> tuple[ToolContext, bool]:
        async with self.state:
            context = (await self.state.get_state(ConversationState))._tool_context()
            return context, (await self._call())._runs_tool(call_id, name)

    async def tool_finished(self, call_id: str, result: ToolResult, context: ToolContext):
        async with self.state:
            (await self.state.get_state(ConversationState))._tool_finished(call_id, result, context)

    async def saved(self, conversation_id: int | None, problem: str):
        async with self.state:
            (await self.state.get_state(ConversationState))._saved(conversation_id, problem)
