"""VoiceState: what the page shows, and thin handlers that delegate to realtime/."""

import reflex as rx

from voice_app import backend
from voice_app.realtime import catalog
from voice_app.realtime.client_secrets import RealtimeApiError
from voice_app.realtime.events import ClientEvent, ServerEvent
from voice_app.realtime.settings import SessionSettings
from voice_app.realtime.transcript import ENTRIES, LIVE, Transcript

IDLE, CONNECTING, CONNECTED, ERROR = "idle", "connecting", "connected", "error"
OUTGOING_KEPT = 20  # the component sends each client event once; older ones are history


class VoiceState(rx.State):
    status: str = IDLE
    status_detail: str = "Press Connect and allow the microphone, then just talk."
    error_message: str = ""
    transcript: list[dict[str, str]] = []
    live_text: dict[str, str] = {}  # text still streaming, by item id: small, changes often
    draft: str = ""
    muted: bool = False
    speaking: bool = False  # the user, as the server's VAD hears it
    ready: bool = False  # the page has reached the backend: buttons work from now on

    # What the browser component needs for the current call.
    want_connection: bool = False
    client_secret: str = ""
    calls_url: str = ""
    session_update: dict = {}
    outgoing: list[dict] = []

    _conversation: Transcript = Transcript()
    _seq: int = 0

    @rx.var
    def simulated(self) -> bool:
        return backend.SIMULATED

    @rx.var
    def model(self) -> str:
        return catalog.DEFAULT_MODEL

    @rx.event
    def page_loaded(self):
        self.ready = True
        # A reload drops the browser's call: say so, keep the transcript.
        if self.want_connection:
            self._end(IDLE, "The page was reloaded, which ended the call. Connect again to continue.")

    @rx.event
    async def connect(self):
        if self.status in (CONNECTING, CONNECTED):
            return  # a double click
        settings = SessionSettings()
        self._begin()
        yield  # the browser asks for the microphone now, while the secret is minted
        try:
            secret = await backend.mint(settings)
        except RealtimeApiError as error:
            self._end(ERROR, "Could not start a session.", error.message)
            return
        if not self.want_connection:
            return  # disconnected while minting
        self.calls_url = backend.calls_url(self.router.headers.origin, self.router.headers.host)
        self.session_update = settings.session_update()
        self.client_secret = secret.value

    @rx.event
    def disconnect(self):
        if self.want_connection or self.status != IDLE:
            self._end(IDLE, "Disconnected. The conversation stays below; connect again to continue it.")

    @rx.event
    def connection_status(self, update: dict):
        if update.get("status") == "unsent":
            self.error_message = str(update.get("message", ""))
        elif self.want_connection:
            self._end(ERROR, "The call ended.", str(update.get("message") or "The connection failed."))

    @rx.event
    def receive_events(self, batch: list[dict]):
        self._show(self._conversation.apply_all(batch))
        for event in batch:
            self._follow(event)

    def _show(self, changed: set[str]):
        """Re-send only what changed: the whole list only when an item came or settled."""
        if ENTRIES in changed:
            self.transcript = [dict(entry) for entry in self._conversation.entries]
        if LIVE in changed:
            self.live_text = dict(self._conversation.live)

    def _follow(self, event: dict):
        kind = event.get("type")
        if kind == ServerEvent.SESSION_UPDATED and self.status == CONNECTING:
            self.status, self.status_detail = CONNECTED, "Connected. Speak, or type a message below."
        elif kind == ServerEvent.SPEECH_STARTED:
            self.speaking = True
        elif kind in (ServerEvent.SPEECH_STOPPED, ServerEvent.INPUT_COMMITTED):
            self.speaking = False
        elif kind == ServerEvent.ERROR:
            error = event.get("error") or {}
            self.error_message = str(error.get("message") or "The Realtime API reported an error.")

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
        item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
        self._send({"type": ClientEvent.ITEM_CREATE.value, "item": item})
        self._send({"type": ClientEvent.RESPONSE_CREATE.value})
        self.draft = ""

    @rx.event
    def toggle_mute(self):
        self.muted = not self.muted

    def _send(self, event: dict):
        self._seq += 1
        self.outgoing = [*self.outgoing[-(OUTGOING_KEPT - 1):], {"seq": self._seq, "event": event}]

    def _begin(self):
        self.status, self.status_detail, self.error_message = CONNECTING, "Connecting: asking for the microphone and a session…", ""
        self.want_connection, self.client_secret, self.speaking = True, "", False

    def _end(self, status: str, detail: str, error: str = ""):
        self.status, self.status_detail, self.error_message = status, detail, error
        self.want_connection, self.client_secret, self.speaking = False, "", False
        self._show(self._conversation.end_call())
