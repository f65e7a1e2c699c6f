"""LiveState: a GPT-Live call's start. Connect admits it (states/connect.py); the page then sends its
WebRTC offer here, and the server starts the session with its key and the user's settings (none of
it from the page), gives the page only the answer, and attaches to the session itself."""

import asyncio

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app.live import catalog as live_catalog
from voice_app.live import translate
from voice_app.realtime import bounds, mcp_servers, sideband
from voice_app.realtime.history import conversation_number
from voice_app.realtime.memory import Memory, remembered
from voice_app.realtime.rest import RealtimeApiError, RequestRefused
from voice_app.realtime.settings_store import settings_from_json
from voice_app.service import backend, conversations
from voice_app.service.logs import get_logger
from voice_app.states.call import ERROR, CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState
from voice_app.states.server_call import ServerCallState
from voice_app.states.settings import SettingsState

log = get_logger()
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
            settings = settings_from_json(await self.get_var_value(SettingsState.settings_json))
            attempt = call._offer_taken(backend.function_names(backend.functions(settings)))
            if attempt is None:
                return  # no GPT-Live call admitted, or its offer came already: one session per Connect
            conversation = await self.get_state(ConversationState)
            owner, conversation_id = conversation.owner, conversation.conversation_id
            client, who = self.router.session.client_token, call.client_hash
        try:  # what the model is told it heard comes from the saved record, not from the page's view
            memory = await asyncio.to_thread(_remembered, owner, conversation_id)
            session = await backend.start_live(settings, _offer(sdp), memory, client)
        except (RealtimeApiError, SQLAlchemyError) as error:
            log.warning(
                "live session not started client=%s error=%s reason=%r", who, type(error).__name__, getattr(error, "message", "")
            )
            async with self:
                call = await self.get_state(CallState)
                if call._still_wants(attempt):
                    await call._end(ERROR, "Could not start a session.", getattr(error, "message", NOT_LOADED))
            return
        log.info("live session started client=%s session=%s model=%s", who, session.id, settings.live_model)
        async with self:
            call = await self.get_state(CallState)
            if call._is_attempt(attempt):  # this Connect's figures: its startup is billed, joined or not
                (await self.get_state(InsightState))._count([{"type": translate.CREATED}])
            notes = [memory.note, settings.not_taken, mcp_servers.kept_from_gpt_live(backend.MCP_SERVERS, settings.mcp_servers)]
            if await call._live_joined(attempt, session.id, session.answer, " ".join(filter(None, notes))):
                (await self.get_state(ConversationState))._live_started(session.id)
                return ServerCallState.hear(session.id)
        log.info(
            "live session closed unjoined session=%s billed_s=%s: the page disconnected meanwhile",
            session.id,
            live_catalog.STARTUP_BILLED_SECONDS,
        )
        await sideband.close_session(sideband.live_session(backend.sideband_client(), session.id), backend.API.timeout_s)
