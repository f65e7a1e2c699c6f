"""VoiceState: what the page shows, and thin handlers that delegate to realtime/."""

import dataclasses
import secrets
import time
from datetime import UTC, datetime

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from voice_app import backend, conversations
from voice_app.logs import get_logger
from voice_app.realtime import api_rules, export
from voice_app.realtime.client_secrets import CALL_ID, RealtimeApiError
from voice_app.realtime.events import ClientEvent, ServerEvent
from voice_app.realtime.history import Usage, owner_id, restored, usage_from_json
from voice_app.realtime.insight import Insight
from voice_app.realtime.settings import SettingsError, saved_settings, settings_from_form, settings_from_json, settings_to_json
from voice_app.realtime.tools import ToolContext
from voice_app.realtime.transcript import ENTRIES, LIVE, Transcript
from voice_app.realtime.turn_taking import TurnTaking
from voice_app.safety import Refused, safety_identifier

log = get_logger()
IDLE, CONNECTING, CONNECTED, ERROR = "idle", "connecting", "connected", "error"
OUTGOING_KEPT = 20  # the component sends each client event once; older ones are history
LOG_KEPT = 200


class VoiceState(rx.State):
    status: str = IDLE
    status_detail: str = "Press Connect and allow the microphone, then just talk."
    error_message: str = ""
    notice: str = ""
    transcript: list[dict[str, str]] = []
    live_text: dict[str, str] = {}  # text still streaming, by item id: small, changes often
    draft: str = ""
    muted: bool = False
    speaking: bool = False  # the user, as the server's VAD hears it
    answering: bool = False  # a response is being made, or its audio still plays
    talking: bool = False  # push-to-talk is held
    ready: bool = False  # the page has reached the backend: buttons work from now on
    connected_at: str = ""  # for the session clock

    # Chosen by the user, kept in the browser across reloads.
    settings_json: str = rx.LocalStorage("", name="voice_settings")
    microphone_id: str = rx.LocalStorage("", name="voice_microphone")
    microphones: list[dict[str, str]] = []
    settings_message: str = ""
    # The conversation on screen is saved as it happens; a reload or a restart brings it back.
    browser_key: str = rx.LocalStorage("", name="voice_owner")  # random; its hash owns the history
    conversation_id: str = rx.LocalStorage("", name="voice_conversation")
    save_problem: str = ""

    insight: dict = Insight().summary()
    log_open: bool = False
    settings_open: bool = False
    event_log: list[dict] = []
    log_filter: str = ""
    log_json: bool = False  # the event log shows each event's JSON

    # What the browser component needs for the current call.
    want_connection: bool = False
    client_secret: str = ""
    calls_url: str = ""
    session_update: dict = {}
    outgoing: list[dict] = []

    _conversation: Transcript = Transcript()
    _insight: Insight = Insight()
    _usage: Usage = Usage()  # of the conversation's earlier calls
    _voice_locked: bool = False  # the session has spoken: its voice is fixed
    _notes: dict[str, str] = {}  # the example note pad tool's page, kept per conversation
    _turns: TurnTaking = TurnTaking()  # the response in progress, audio heard, answers and tools waiting
    _attempt: int = 0  # each Connect's number: a secret minted for an abandoned one is dropped
    _talk_started: float = 0.0  # when push-to-talk was pressed (server time)
    _seq: int = 0

    @rx.var
    def simulated(self) -> bool:
        return backend.SIMULATED

    @rx.var
    def needs_access_code(self) -> bool:
        return backend.GUARD.needs_code

    @rx.var
    def max_call_seconds(self) -> int:
        return round(backend.GUARD.policy.max_call_minutes * 60)

    @rx.var
    def settings(self) -> dict:
        return dataclasses.asdict(settings_from_json(self.settings_json))

    @rx.var
    def push_to_talk(self) -> bool:
        return self.settings["turn_detection"] == "push_to_talk"

    @rx.var
    def shown_log(self) -> list[dict]:
        wanted = self.log_filter.strip().lower()
        return [entry for entry in self.event_log if wanted in entry.get("type", "").lower()]

    # -- the call ------------------------------------------------------------------------
    @rx.event
    def page_loaded(self):
        self.ready = True
        self.settings_open = self.log_open = False  # a page opens with its sections folded
        if not self.browser_key:
            self.browser_key = secrets.token_urlsafe(24)
        settings, moved = saved_settings(self.settings_json)
        if moved:  # a saved model is retiring: its successor from now on, and the user is told
            self.settings_json, self.notice = settings_to_json(settings), " ".join(moved)
        if not self.transcript and self.conversation_id:
            self._restore(self.conversation_id)
        # A reload drops the browser's call: say so, keep the transcript.
        if self.want_connection:
            self._end(IDLE, "The page was reloaded, which ended the call. Connect again to continue.")

    @rx.event(background=True)
    async def connect(self, form_data: dict | None = None):
        """Connect; the form carries the access code when the server asks for one. In the
        background: the state is not held while the secret is minted, so Disconnect (or
        anything else) is handled at once meanwhile."""
        async with self:
            if self.status in (CONNECTING, CONNECTED):
                return  # a double click
            settings = settings_from_json(self.settings_json)
            client, who = self.router.session.client_token, self._client_hash
            try:
                backend.GUARD.admit(client, str((form_data or {}).get("access_code", "")))
            except Refused as refused:
                log.info("connect refused client=%s reason=%r", who, refused.message)
                self._end(ERROR, "Not connected.", refused.message)
                return
            self._begin(settings)  # the browser asks for the microphone now, while the secret is minted
            attempt = self._attempt
        try:
            secret = await backend.mint(settings, client)
        except RealtimeApiError as error:
            log.warning("mint failed client=%s error=%s reason=%r", who, type(error).__name__, error.message)
            async with self:
                if self.want_connection and self._attempt == attempt:
                    self._end(ERROR, "Could not start a session.", error.message)
            return
        log.info("client secret minted client=%s model=%s expires_at=%s", who, settings.model, secret.expires_at)
        async with self:
            if not self.want_connection or self._attempt != attempt:
                return  # disconnected while minting: no call follows
            self.calls_url = backend.calls_url(self.router.headers.origin, self.router.headers.host)
            self.session_update = settings.session_update(backend.tool_schemas(settings))
            self.client_secret = secret.value

    @rx.event
    def disconnect(self):
        if self.want_connection or self.status != IDLE:
            self._end(IDLE, "Disconnected. The conversation stays below; connect again to continue it.")

    @rx.event
    def connection_status(self, update: dict):
        kind, message = update.get("status"), str(update.get("message") or "")
        if kind == "unsent":
            if self.want_connection:  # after the call, the page has nothing left to send
                self.error_message = message
        elif kind == "notice":
            self.notice = message
        elif kind == "call":
            call_id = str(update.get("call_id") or "")
            if self.want_connection and CALL_ID.fullmatch(call_id):
                backend.GUARD.call_started(self.router.session.client_token, call_id)
            elif self.want_connection:
                log.warning("call id unknown client=%s: the page could not read the call's Location header, so the "
                            "server cannot hang this call up at the length limit (the page still ends it); serve the "
                            "page so that the API's Location header is readable", self._client_hash)
        elif self.want_connection:
            self._end(ERROR, "The call ended.", message or "The connection failed.")

    @rx.event
    def receive_events(self, batch: list[dict]):
        batch = self._turns.fresh([e for e in batch if isinstance(e, dict)] if isinstance(batch, list) else [])
        changed = self._conversation.apply_all(batch)
        counted = [self._insight.apply(event) for event in batch]  # every event, not up to the first change
        if any(counted):
            self.insight = self._insight.summary()
        self._show(changed, save=any(counted))  # the saved usage, too
        calls = [call for event in batch for call in self._follow(event)]
        # Each tool runs in the background: a slow one holds up neither the page nor other users.
        return [VoiceState.run_tool(call) for call in calls]

    @rx.event(background=True)
    async def run_tool(self, call: dict):
        async with self:
            context = ToolContext(notes=dict(self._notes))
        result = await backend.TOOLS.call(str(call.get("name", "")), str(call.get("arguments", "")), context)
        async with self:
            self._notes.update(context.notes)
            call_id, response_id = call["call_id"], call["response_id"]
            self._show(self._conversation.tool_finished(call_id, result.output, result.failed, result.duration_ms))
            if self.want_connection:
                self._send_all(self._turns.tool_done(response_id, call_id, result.output))

    def _show(self, changed: set[str], save: bool = False):
        """Re-send only what changed: the whole list only when an item came or settled."""
        if ENTRIES in changed:
            self.transcript = [dict(entry) for entry in self._conversation.entries]
        if ENTRIES in changed or save:
            self._save()
        if LIVE in changed:
            self.live_text = dict(self._conversation.live)

    # -- the saved conversation ---------------------------------------------------------
    @property
    def owner(self) -> str:
        return owner_id(self.browser_key)

    def _save(self):
        if not self.transcript or not self.browser_key:
            return
        try:
            saved = conversations.save(self.owner, _int(self.conversation_id), self.transcript,
                                       self.settings, self._usage.total(self._insight))
        except SQLAlchemyError as error:
            log.error("conversation not saved client=%s error=%s", self._client_hash, type(error).__name__)
            self.save_problem = "This conversation could not be saved just now; it stays on this page."
            return
        self.conversation_id, self.save_problem = str(saved), ""

    def _restore(self, conversation_id: str) -> bool:
        try:
            row = conversations.load(self.owner, _int(conversation_id) or 0)
        except SQLAlchemyError as error:
            log.error("conversation not loaded client=%s error=%s", self._client_hash, type(error).__name__)
            self.save_problem = "The saved conversation could not be loaded just now."
            return False
        if row is None:
            self.conversation_id = ""  # deleted, or saved in another browser
            return False
        self._conversation, self._usage = restored(row.entries_json), Usage(usage_from_json(row.usage_json))
        self._insight, self._notes = Insight(), {}
        self.insight, self.conversation_id = self._insight.summary(), str(row.id)
        self.transcript, self.live_text = [dict(entry) for entry in self._conversation.entries], {}
        return True

    def start_over(self, conversation_id: str = "") -> bool:
        """A new, empty conversation on screen, or a saved one to continue; not during a call."""
        if self.want_connection:
            self.error_message = "Disconnect first: the call belongs to the conversation on screen."
            return False
        if conversation_id:
            return self._restore(conversation_id)
        self._conversation, self._usage, self._insight, self._notes = Transcript(), Usage(), Insight(), {}
        self.transcript, self.live_text, self.insight, self.conversation_id = [], {}, self._insight.summary(), ""
        self.error_message = self.notice = ""
        return True

    @rx.event
    def new_conversation(self):
        self.start_over()

    def _follow(self, event: dict) -> list[dict]:
        """Keep up with the call; returns the tool calls to run now."""
        kind = event.get("type")
        # The session exists and answers: the user can talk (session.update's answer may follow).
        if kind in (ServerEvent.SESSION_CREATED, ServerEvent.SESSION_UPDATED) and self.status == CONNECTING:
            self.status, self.status_detail = CONNECTED, "Connected. Speak, or type a message below."
            self.connected_at = datetime.now(UTC).isoformat()
        elif kind == ServerEvent.SPEECH_STARTED:
            self.speaking = True
        elif kind in (ServerEvent.SPEECH_STOPPED, ServerEvent.INPUT_COMMITTED):
            self.speaking = False
        elif kind == ServerEvent.OUTPUT_AUDIO_STARTED:
            self._voice_locked = True
        elif kind == ServerEvent.ERROR:
            shown, message = self._turns.api_error(event.get("error"))
            if shown == "error":
                self.error_message = message
            elif shown == "notice":
                self.notice = message
            else:
                log.info("api race client=%s message=%r", self._client_hash, message)
        step = self._turns.follow(event)
        self.answering = self._turns.answering
        self._send_all(step.send)
        return step.run

    # -- controls ------------------------------------------------------------------------
    @rx.event
    def set_draft(self, value: str):
        self.draft = value

    @rx.event
    def send_text(self, form_data: dict | None = None):
        text = self.draft.strip()
        if not text:
            return
        if self.status != CONNECTED:
            self.error_message = "Connect first: messages go to the model during a call."
            return
        if self.answering:
            self._interrupt()  # a message typed over the model stops it, as speaking over it does
        item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        self._send(ClientEvent.ITEM_CREATE, item=item)
        self._answer()
        self.draft = ""

    @rx.event
    def toggle_mute(self):
        self.muted = not self.muted

    @rx.event
    def interrupt(self):
        if self.status == CONNECTED and self.answering:
            self._interrupt()

    @rx.event
    def start_talking(self):
        self._start_talking()

    @rx.event
    def stop_talking(self):
        self._stop_talking()

    @rx.event
    def shortcut(self, key: dict):
        if key.get("key") == "m" and key.get("down"):
            self.muted = not self.muted
        elif key.get("key") == " ":
            self._start_talking() if key.get("down") else self._stop_talking()

    # -- settings ------------------------------------------------------------------------
    @rx.event
    def toggle_settings(self):
        self.settings_open = not self.settings_open

    @rx.event
    def apply_settings(self, form_data: dict):
        current = settings_from_json(self.settings_json)
        form_data = {"example_tools": "off", **form_data}  # an unticked box sends nothing
        try:
            chosen = settings_from_form(form_data, current)
        except SettingsError as error:
            self.settings_message = str(error)
            return
        self.settings_json = settings_to_json(chosen)
        if self.status != CONNECTED:
            self.settings_message = "Saved. They apply when you connect."
            return
        voice_live = chosen.voice != current.voice and not self._voice_locked
        self._send_event(chosen.session_update(backend.tool_schemas(chosen), voice=voice_live))
        if chosen.speed != current.speed:  # only between responses: held until this one is done
            self._send_all(self._turns.speed(chosen.speed_update()))
        later = [what for what, changed in (("model", chosen.model != current.model),
                                            ("voice", chosen.voice != current.voice and not voice_live)) if changed]
        self.settings_message = "Applied to this call." + (
            f" The {' and '.join(later)} change{'s' if len(later) > 1 else ''} on the next connect." if later else "")

    @rx.event
    def found_microphones(self, devices: list[dict]):
        self.microphones = [{"id": str(d.get("id", "")), "label": str(d.get("label", ""))} for d in devices if d.get("id")]

    @rx.event
    def choose_microphone(self, device_id: str):
        self.microphone_id = device_id
        if self.want_connection:
            self.notice = "The new microphone is used from the next connect."

    # -- insight ------------------------------------------------------------------------------
    @rx.event
    def toggle_log(self):
        self.log_open = not self.log_open

    @rx.event
    def set_log_json(self, value: bool):
        self.log_json = value

    @rx.event
    def set_log_filter(self, value: str):
        self.log_filter = value

    @rx.event
    def logged(self, entries: list[dict]):
        self.event_log = [*self.event_log, *entries][-LOG_KEPT:]

    @rx.event
    def export_markdown(self):
        return rx.download(data=export.to_markdown(self.transcript), filename="conversation.md")

    @rx.event
    def export_json(self):
        return rx.download(data=export.to_json(self.transcript), filename="conversation.json")

    # -- helpers ------------------------------------------------------------------------------
    def _start_talking(self):
        if self.status == CONNECTED and self.push_to_talk and not self.talking:
            self.talking, self._talk_started = True, time.time()
            if self.answering:
                self._interrupt()  # talking over the model stops it, as server VAD would
            self._send(ClientEvent.INPUT_CLEAR)

    def _stop_talking(self):
        if not self.talking:
            return
        self.talking = False
        if api_rules.held_long_enough((time.time() - self._talk_started) * 1000):
            self._send_all(self._turns.commit())  # answered once the API says it has the audio
        else:  # a tap: the API would refuse to commit so little, so nothing is sent but a clear
            self._send(ClientEvent.INPUT_CLEAR)
            self.notice = api_rules.TOO_SHORT

    def _interrupt(self):
        self._send_all(self._turns.interrupt())
        self.answering = self._turns.answering

    def _answer(self):
        self._send_all(self._turns.answer())

    def _send(self, kind: ClientEvent, **fields):
        self._send_event({"type": kind.value, **fields})

    def _send_all(self, events: list[dict]):
        for event in events:
            self._send_event(event)

    def _send_event(self, event: dict):
        self._seq += 1
        self.outgoing = [*self.outgoing[-(OUTGOING_KEPT - 1):], {"seq": self._seq, "event": event}]

    def _begin(self, settings):
        self._attempt += 1
        self.status, self.status_detail, self.error_message = CONNECTING, "Connecting: asking for the microphone and a session…", ""
        self.want_connection, self.client_secret, self.speaking, self.answering = True, "", False, False
        self.notice, self.settings_message, self.connected_at, self._voice_locked = "", "", "", False
        self._turns = TurnTaking()  # calls, answers and audio of an earlier session are done with
        self._usage = Usage(self._usage.total(self._insight))  # the last call's figures join the earlier ones
        self._insight = Insight(model=settings.model, transcription_model=settings.transcription_model)
        self.insight = self._insight.summary()

    @property
    def _client_hash(self) -> str:
        return safety_identifier(self.router.session.client_token, "log")[:12]

    def _end(self, status: str, detail: str, error: str = ""):
        if self.want_connection:
            backend.GUARD.call_ended(self.router.session.client_token)
            log.info("call ended client=%s status=%s reason=%r", self._client_hash, status, error or detail)
        self.status, self.status_detail, self.error_message = status, detail, error
        self.want_connection, self.client_secret = False, ""
        self.speaking = self.answering = self.talking = False
        self.connected_at = ""
        self._show(self._conversation.end_call())


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None
