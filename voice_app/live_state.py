"""LiveState: a GPT-Live call's start. Connect admits it (connect_state.py); the page then sends its
WebRTC offer here, and the server starts the session with its key and the user's settings (none of
it from the page), gives the page only the answer, and attaches to the session itself."""

import asyncio

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app import backend, conversations
from voice_app.call_state import ERROR, CallState, log
from voice_app.conversation_state import ConversationState
from voice_app.insight_state import InsightState
from voice_app.live import catalog as live_catalog, translate
from voice_app.realtime import bounds, mcp_servers, sideband
from voice_app.realtime.history import conversation_number
from voice_app.realtime.memory import Memory, remembered
from voice_app.realtime.rest import RealtimeApiError, RequestRefused
from voice_app.realtime.settings_store import settings_from_json
from voice_app.settings_state import SettingsState

NOT_LOADED = "This conversation's saved record could not be read just now: try again shortly."


def _remembered(owner: str, conversation_id: str) -> Memory:
    """GPT-Live's startup history, from the saved record (a page's view can be made up). Blocking."""
    number = conversation_number(conversation_id)
    saved = conversations.load(owner, number) if number else None
    return remembered(saved.entries if saved else [], backend.LIVE_MEMORY_TOKENS, live_catalog.MAX_INPUT_ITEMS)


def _offer(sdp) -> str:
    if not isinstance(sdp, str) or len(sdp) > bounds.MAX_SDP_CHARS:
        raise RequestRefused("The browser's offer is not one a session can start from: reload the page and connect again.")
    return sdp


class LiveState(rx.State):
    @rx.event(background=True)
    async def offer(self, sdp: str):
        async with self:
            call = await self.get_state(CallState)
            if not (call.want_connection and call.live and call.live_ready):
                return  # no GPT-Live call admitted, or its offer came already: one session per Connect
            call.live_ready, attempt = False, call._attempt
            settings = settings_from_json(await self.get_var_value(SettingsState.settings_json))
            call._functions = backend.function_names(backend.functions(settings))  # what start_live delegates
            conversation = await self.get_state(ConversationState)
            owner, conversation_id = conversation.owner, conversation.conversation_id
            client, who = self.router.session.client_token, call.client_hash
        try:  # what the model is told it heard comes from the saved record, not from the page's view
            memory = await asyncio.to_thread(_remembered, owner, conversation_id)
            session = await backend.start_live(settings, _offer(sdp), memory, client)
        except (RealtimeApiError, SQLAlchemyError) as error:
            log.warning("live session not started client=%s error=%s reason=%r", who, type(error).__name__, getattr(error, "message", ""))
            async with self:
                call = await self.get_state(CallState)
                if call.want_connection and call._attempt == attempt:
                    await call._end(ERROR, "Could not start a session.", getattr(error, "message", NOT_LOADED))
            return
        log.info("live session started client=%s session=%s model=%s", who, session.id, settings.live_model)
        async with self:
            call = await self.get_state(CallState)
            if call._attempt == attempt:  # this Connect's figures: its startup is billed, joined or not
                (await self.get_state(InsightState))._count([{"type": translate.CREATED}])
            if call.want_connection and call._attempt == attempt:
                notes = [memory.note, settings.not_taken, mcp_servers.kept_from_gpt_live(backend.MCP_SERVERS, settings.mcp_servers)]
                call.live_answer, call.notice = session.answer, " ".join(filter(None, notes))
                (await self.get_state(ConversationState))._live_started(session.id)
                return call._live_session_started(session.id)
        log.info("live session closed unjoined session=%s billed_s=%s: the page disconnected meanwhile",
                 session.id, live_catalog.STARTUP_BILLED_SECONDS)
        await sideband.close_session(sideband.live_session(backend.sideband_client(), session.id), backend.API.timeout_s)
