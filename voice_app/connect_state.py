"""ConnectState: Connect, run in the background, so the page is not held while a secret is minted
(Disconnect, or anything else, is handled at once meanwhile)."""

import reflex as rx

from voice_app import backend
from voice_app.call_state import CONNECTED, CONNECTING, ERROR, CallState, log
from voice_app.conversation_state import ConversationState
from voice_app.insight_state import InsightState
from voice_app.realtime.client_secrets import RealtimeApiError
from voice_app.realtime.settings import settings_from_json
from voice_app.safety import Refused
from voice_app.settings_state import SettingsState


class ConnectState(rx.State):
    @rx.event(background=True)
    async def connect(self, form_data: dict | None = None):
        """The form carries the access code when the server asks for one."""
        async with self:
            call = await self.get_state(CallState)
            if call.status in (CONNECTING, CONNECTED):
                return  # a double click
            chosen = await self.get_state(SettingsState)
            settings, chosen.settings_message = settings_from_json(chosen.settings_json), ""
            client, who = self.router.session.client_token, call.client_hash
            try:
                backend.GUARD.admit(client, str((form_data or {}).get("access_code", "")))
            except Refused as refused:
                log.info("connect refused client=%s reason=%r", who, refused.message)
                await call.end(ERROR, "Not connected.", refused.message)
                return
            call.begin()  # the browser asks for the microphone now, while the secret is minted
            (await self.get_state(InsightState)).begin_call(settings.model, settings.transcription_model)
            attempt = call._attempt
        try:
            secret = await backend.mint(settings, client)
        except RealtimeApiError as error:
            log.warning("mint failed client=%s error=%s reason=%r", who, type(error).__name__, error.message)
            async with self:
                call = await self.get_state(CallState)
                if call.want_connection and call._attempt == attempt:
                    await call.end(ERROR, "Could not start a session.", error.message)
            return
        log.info("client secret minted client=%s model=%s expires_at=%s", who, settings.model, secret.expires_at)
        async with self:
            call = await self.get_state(CallState)
            if not call.want_connection or call._attempt != attempt:
                return  # disconnected while minting: no call follows
            call.calls_url = backend.calls_url(self.router.headers.origin, self.router.headers.host)
            memory = (await self.get_state(ConversationState)).memory()
            call.opening_events = [settings.session_update(backend.tool_schemas(settings)), *memory.events]
            call.notice = memory.note
            call.client_secret = secret.value
