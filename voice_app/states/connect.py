"""ConnectState: Connect, run in the background, so the page is not held while a secret is minted
(Disconnect, or anything else, is handled at once meanwhile); and the secret prepared on intent
(see realtime/prepared.py), so the click mostly finds it minted already."""

import asyncio
import contextlib
import dataclasses
import time

import reflex as rx

from voice_app.realtime.client_secrets import ClientSecret
from voice_app.realtime.prepared import Prepared, wanted
from voice_app.realtime.rest import RealtimeApiError
from voice_app.realtime.settings import SessionSettings
from voice_app.realtime.settings_store import settings_from_json
from voice_app.service import backend
from voice_app.service.logs import get_logger
from voice_app.service.safety import Refused
from voice_app.states.call import ERROR, CallState
from voice_app.states.conversation import ConversationState
from voice_app.states.insight import InsightState
from voice_app.states.settings import SettingsState

log = get_logger()
_CODE_CHECKS = asyncio.Lock()


@contextlib.asynccontextmanager
async def _code_check_turn():
    """While guessing from many addresses is slowed, codes are checked one at a time, each after
    the wait: guesses sent in parallel gain nothing."""
    if not await backend.GUARD.code_delay_s():
        yield
        return
    async with _CODE_CHECKS:
        await asyncio.sleep(await backend.GUARD.code_delay_s())
        yield


class ConnectState(rx.State):
    _prepared: Prepared | None = None  # minted ahead of the click; never sent to the browser
    _prepares: int = 0  # numbers them, so a late answer finds whether its own is still held

    @rx.event(background=True)
    async def connect(self, form_data: dict | None = None):
        """The form carries the access code when the server asks for one."""
        async with _code_check_turn(), self:
            call = await self.get_state(CallState)
            if call.want_connection:
                return  # a double click: a call is under way
            chosen = await self.get_state(SettingsState)
            settings, chosen.settings_message = settings_from_json(chosen.settings_json), ""
            client, who, now = self.router.session.client_token, call.client_hash, time.time()
            held = None if settings.live else self._prepared  # GPT-Live has no client secret
            if not (held and held.serves(backend.session(settings), now, backend.API.timeout_s)):
                held = None
            code = (form_data or {}).get("access_code", "") if isinstance(form_data, dict) else ""
            try:  # a prepared secret's mint was counted when it was made
                slot = await backend.GUARD.admit(client, self.router.session.client_ip, str(code), prepared=bool(held))
            except Refused as refused:
                log.info("connect refused client=%s reason=%r", who, refused.message)
                await call._end(ERROR, "Not connected.", refused.message)
                return
            attempt = call._begin(slot, settings.live)  # the browser asks for the microphone now, while the secret is minted
            (await self.get_state(InsightState))._begin_call(settings.engine_model, settings.transcription_model)
            if settings.live:  # the page's offer starts the session (states/live.py)
                return
            if held and held.value:  # used once
                self._prepared = None
                await self._use(attempt, settings, held, who)
            elif held:  # on its way: its mint answers this click
                self._prepared = dataclasses.replace(held, claimed=attempt)
        if not held:
            await self._mint_for(attempt, settings, client, who)

    @rx.event(background=True)
    async def prepare(self):
        """The pointer, a touch or the focus is on Connect: a click is likely, so mint for it now.
        Nothing of it shows: a failure only means the click mints, as it would have anyway."""
        async with self:
            call = await self.get_state(CallState)
            settings = settings_from_json(await self.get_var_value(SettingsState.settings_json))
            client, who, now, session = self.router.session.client_token, call.client_hash, time.time(), backend.session(settings)
            if settings.live or call.want_connection or not wanted(self._prepared, session, now, backend.API.timeout_s):
                return
            if not await backend.GUARD.prepare(client):
                return  # an access code to check first, or limits that would refuse the click (it says so)
            self._prepares += 1
            number, self._prepared = self._prepares, Prepared(session, self._prepares, now)
        try:
            secret = await self._mint(settings, client, who, ahead=True)
        except RealtimeApiError as error:
            secret = None
            log.info("mint ahead of a click failed client=%s error=%s reason=%r", who, type(error).__name__, error.message)
        async with self:
            held = self._prepared
            if not held or held.number != number:
                return  # given up on as lost, and replaced
            self._prepared = held.ready(secret) if secret and not held.claimed else None
            if held.claimed and secret:
                await self._use(held.claimed, settings, held.ready(secret), who)
        if held.claimed and not secret:  # the click that waited for it mints as usual (already counted)
            await self._mint_for(held.claimed, settings, client, who)

    async def _mint(self, settings: SessionSettings, client: str, who: str, ahead: bool = False) -> ClientSecret:
        secret = await backend.mint(settings, client)
        log.info("client secret minted client=%s model=%s expires_at=%s ahead=%s", who, settings.model, secret.expires_at, ahead)
        return secret

    async def _mint_for(self, attempt: int, settings: SessionSettings, client: str, who: str):
        """Mint for an admitted Connect, outside the lock, and hand the secret to its call."""
        try:
            secret = await self._mint(settings, client, who)
        except RealtimeApiError as error:
            log.warning("mint failed client=%s error=%s reason=%r", who, type(error).__name__, error.message)
            async with self:
                call = await self.get_state(CallState)
                if call._still_wants(attempt):
                    await call._end(ERROR, "Could not start a session.", error.message)
            return
        async with self:
            await self._deliver(attempt, settings, secret.value, secret.mark)

    async def _use(self, attempt: int, settings: SessionSettings, held: Prepared, who: str):
        if await self._deliver(attempt, settings, held.value, held.mark):
            log.info("prepared client secret used client=%s expires_at=%s", who, held.expires_at)

    async def _deliver(self, attempt: int, settings: SessionSettings, secret: str, mark: str) -> bool:
        """Under the lock: the secret to the call it is for, unless that call was given up meanwhile."""
        call = await self.get_state(CallState)
        if not call._still_wants(attempt):
            return False  # disconnected while minting: no call follows
        conversation = await self.get_state(ConversationState)
        conversation._realtime_started()
        memory = conversation._memory(settings.model)
        call.calls_url = backend.calls_url(self.router.headers.origin, self.router.headers.host)
        call.opening_events = [settings.session_update(backend.page_tools(settings)), *memory.events]
        call.notice = memory.note
        return call._given_secret(attempt, secret, mark, settings.model, backend.function_names(backend.tool_schemas(settings)))
