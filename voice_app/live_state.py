"""LiveState: a GPT-Live call's start. Connect admits it (connect_state.py); the page then sends its
WebRTC offer here, and the server starts the session with its key and the user's settings (none of
it from the page), gives the page only the answer, and attaches to the session itself."""

import reflex as rx

from voice_app import backend
from voice_app.call_state import ERROR, CallState, log
from voice_app.conversation_state import ConversationState
from voice_app.realtime import sideband
from voice_app.realtime.client_secrets import RealtimeApiError
from voice_app.realtime.settings_store import settings_from_json
from voice_app.settings_state import SettingsState


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
            memory = (await self.get_state(ConversationState))._memory(live=True)
            client, who = self.router.session.client_token, call.client_hash
        try:
            session = await backend.start_live(settings, sdp, memory, client)
        except RealtimeApiError as error:
            log.warning("live session not started client=%s error=%s reason=%r", who, type(error).__name__, error.message)
            async with self:
                call = await self.get_state(CallState)
                if call.want_connection and call._attempt == attempt:
                    await call._end(ERROR, "Could not start a session.", error.message)
            return
        log.info("live session started client=%s session=%s model=%s", who, session.id, settings.live_model)
        async with self:
            call = await self.get_state(CallState)
            if call.want_connection and call._attempt == attempt:
                call.live_answer, call.notice = session.answer, memory.note
                (await self.get_state(ConversationState))._live_started(session.id)
                return call._live_session_started(session.id)
        log.info("live session closed unjoined session=%s: the page disconnected meanwhile", session.id)
        await sideband.close_session(sideband.live_session(backend.sideband_client(), session.id), backend.API.timeout_s)
