"""ServerCallState: the server's own connection to each call (service/call_holder.py), started once
the call is known to be the page's, and the user's answers to the MCP approval requests it heard,
sent to whichever worker holds the call (service/call_commands.py)."""

import contextlib
from collections.abc import Callable

import reflex as rx

from voice_app.live import mcp_items
from voice_app.realtime import binding
from voice_app.realtime.tools import ToolContext, ToolResult
from voice_app.service import call_commands
from voice_app.service.call_holder import Holder
from voice_app.service.call_leases import HeldCall
from voice_app.service.logs import get_logger
from voice_app.states.call import CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.mcp import McpState
from voice_app.states.settings import SettingsState

log = get_logger()


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
            live, slot, mark = held
            call = HeldCall(
                call_id,
                live,
                self.router.session.client_token,
                conversation.owner,
                conversation.conversation_id,
                await self.get_var_value(SettingsState.settings),
                slot,
                mark,
            )
        page = _Page(lambda: self)
        if not await Holder(page, call).hold():  # held already, under another page's Connect: not this page's call
            log.warning("call not bound to its page call=%s reason=held for another page", call_id)
            await page.lost(call_id, live, binding.NOT_OURS)

    @rx.event
    async def approve(self, request_id: str):
        await self._answer(request_id, True)

    @rx.event
    async def decline(self, request_id: str):
        await self._answer(request_id, False)

    async def _answer(self, request_id: str, approve: bool):
        mcp = await self.get_state(McpState)
        if not any(request["id"] == request_id for request in mcp.approvals):  # only one the server asked
            return
        call_id = (await self.get_state(CallState))._bound_call_id()  # only the page's own call
        command = {"kind": call_commands.ANSWER, "request_id": request_id, "approve": approve is True}
        if not (call_id and await call_commands.send(call_id, command)):  # else the holder tells the page (_Page.answered)
            mcp._answered(request_id, False)


def page_for(app: rx.App, client_token: str) -> "_Page":
    """A page's states as a holder on any worker reaches them (service/call_takeover.py): out of
    band, and Reflex sends the change to whichever worker holds the page's socket."""
    return _Page(lambda: app.modify_state(rx.BaseStateToken(ident=client_token, cls=ServerCallState)))


class _Page:
    """The page's states, as the server's hearing of its call reaches them (service/hearing.Page):
    `opened()` is entered for each visit, either the background task's own state or one opened
    out of band (page_for)."""

    def __init__(self, opened: Callable[[], contextlib.AbstractAsyncContextManager]):
        self.opened = opened

    async def attached(self, call_id: str):
        async with self.opened() as state:
            (await state.get_state(CallState))._server_attached(call_id)

    async def bound(self, call_id: str) -> bool:
        async with self.opened() as state:
            return (await state.get_state(CallState))._server_bound(call_id)

    async def lost(self, call_id: str, live: bool, why: str):
        async with self.opened() as state:
            call = await state.get_state(CallState)
            (call._live_lost if live else call._server_lost)(call_id, why)

    async def asked(self, request: dict):
        async with self.opened() as state:
            (await state.get_state(McpState))._asked(request)

    async def answered(self, request_id: str, approve: bool, sent: bool):
        async with self.opened() as state:
            if sent and (await state.get_state(CallState)).live:  # GPT-Live echoes no answer to the page: shown here
                (await state.get_state(ConversationState))._folded([mcp_items.answered(request_id, approve)])
            (await state.get_state(McpState))._answered(request_id, sent)

    async def call_over(self):
        async with self.opened() as state:
            (await state.get_state(McpState))._call_over()

    async def tool_started(self, call_id: str, name: str) -> tuple[ToolContext, bool]:
        async with self.opened() as state:
            context = (await state.get_state(ConversationState))._tool_context()
            return context, (await state.get_state(CallState))._runs_tool(call_id, name)

    async def tool_finished(self, call_id: str, result: ToolResult, context: ToolContext):
        async with self.opened() as state:
            (await state.get_state(ConversationState))._tool_finished(call_id, result, context)

    async def saved(self, conversation_id: int | None, problem: str):
        async with self.opened() as state:
            (await state.get_state(ConversationState))._saved(conversation_id, problem)

    async def item_ids(self, call_id: str) -> list[str]:
        async with self.opened() as state:
            if (await state.get_state(CallState))._bound_call_id() != call_id:
                return []
            return [entry["id"] for entry in (await state.get_state(ConversationState))._plain_conversation().entries]
