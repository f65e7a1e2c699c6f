"""CallState: the call and its status, and what the browser component needs for it; the
controls that act on it (states/call_controls.py) are part of it."""

import reflex as rx

from voice_app.live import catalog as live_catalog
from voice_app.live.translate import STANDBY
from voice_app.realtime import bounds, call_phase
from voice_app.realtime.call_phase import CallPhase, CallStep
from voice_app.realtime.events import ServerEvent
from voice_app.realtime.server_link import ServerLink
from voice_app.realtime.settings import SessionSettings
from voice_app.realtime.turn_taking import TurnTaking
from voice_app.service import backend, call_commands
from voice_app.service.logs import get_logger
from voice_app.service.safety import safety_identifier
from voice_app.states.call_controls import ERROR, IDLE, CallControls
from voice_app.states.call_start import CallStart
from voice_app.states.conversation import ConversationState
from voice_app.states.server_link_controls import ServerLinkControls

log = get_logger()
STANDBY_NOTICE = "Standby: GPT-Live paused after the silence, billed at the standby rate. Speak to wake it."
OUTGOING_KEPT = 20  # the component sends each client event once; older ones are history


class CallState(CallStart, CallControls, ServerLinkControls, rx.State):
    status: str = IDLE.value  # the phase in the page's word; it, want_connection and live_ready follow _phase
    status_detail: str = "Press Connect and allow the microphone, then just talk."
    error_message: str = ""
    notice: str = ""
    speaking: bool = False  # the user, as the server's VAD hears it
    answering: bool = False  # a response is being made, or its audio still plays
    ready: bool = False  # the page has reached the backend: buttons work from now on
    connected_at: str = ""  # for the session clock

    # What the browser component needs for the current call.
    want_connection: bool = False  # from an admitted Connect until the call ends
    client_secret: str = ""
    calls_url: str = ""
    opening_events: list[dict] = []  # session.update, then the conversation so far (realtime/memory.py)
    live: bool = False  # this call is a GPT-Live session (states/live.py), not a Realtime API call
    live_ready: bool = False  # GPT-Live: the page may send its offer (Python starts the session with it)
    live_answer: str = ""  # GPT-Live: the session's answer to the page's offer
    outgoing: list[dict] = []

    _phase: CallPhase = CallPhase.IDLE  # changed only by _move
    _turns: TurnTaking = TurnTaking(runs_tools=False)  # the response in progress, audio heard, answers and tools waiting
    _voice_locked: bool = False  # the session has spoken: its voice is fixed
    _session_model: str = ""  # the model this call runs: fixed for its life
    _attempt: int = 0  # each Connect's number: a secret minted for an abandoned one is dropped
    _mark: str = ""  # the mark of the secret the page was given: its call shows it (realtime/binding.py)
    _slot: str = ""  # what this Connect holds of the call cap (service/safety.py)
    _functions: list[str] = []  # the function tools the server put in this call's session: the only ones it runs
    _seq: int = 0

    @rx.var
    def simulated(self) -> bool:
        return backend.SIMULATED

    @rx.var
    def simulator_hears(self) -> bool:
        return backend.simulator_hears()

    @rx.var
    def needs_access_code(self) -> bool:
        return backend.GUARD.needs_code

    @rx.var
    def max_call_seconds(self) -> int:
        return round(backend.GUARD.policy.max_call_minutes * 60)

    @rx.event
    async def page_loaded(self):
        """Also at each reconnect of the page's socket (Reflex loads the page again): its call goes on."""
        self.ready = True

    @rx.event
    async def disconnect(self):
        await self._end(IDLE, "Disconnected. The conversation stays below; connect again to continue it.")  # none: nothing

    @rx.event
    async def connection_status(self, update: dict):
        update = update if isinstance(update, dict) else {}
        kind, message = update.get("status"), bounds.text(str(update.get("message") or ""), bounds.MAX_MESSAGE_CHARS)
        if kind == "unsent":
            if self.want_connection:  # after the call, the page has nothing left to send
                self.error_message = message
        elif kind == "notice":
            self.notice = message
        elif kind == "call":
            self._call_reported(str(update.get("call_id") or ""))
        elif kind == "dropped":  # a reload drops the browser's call: say so, keep the transcript
            if self.want_connection:
                await self._end(IDLE, "The page was reloaded, which ended the call. Connect again to continue.")
        elif self.want_connection:
            await self._end(ERROR, "The call ended.", message or "The connection failed.")

    # -- what the conversation and the settings ask of the call ------------------------------
    def _follow(self, events: list[dict]):
        """Keep up with the call's server events, as the page heard them."""
        for event in events:
            kind = event.get("type")
            if kind in (ServerEvent.SESSION_CREATED, ServerEvent.SESSION_UPDATED):
                # The session exists and answers (session.update's answer may follow).
                self._server.session_open = True
                self._send_all(self._server.tools_off_update())
                self._connected_if_ready()
            elif kind in (ServerEvent.SPEECH_STARTED, ServerEvent.SPEECH_STOPPED, ServerEvent.INPUT_COMMITTED):
                self.speaking = kind == ServerEvent.SPEECH_STARTED
            elif kind == ServerEvent.OUTPUT_AUDIO_STARTED:
                self._voice_locked = True
            elif kind == ServerEvent.ERROR:
                self._api_error(event.get("error"))
            elif kind == STANDBY:
                self.notice = STANDBY_NOTICE if event.get("paused") else ""
            self._send_all(self._turns.follow(event).send)  # its tool calls are the server's to run
        self.answering = self._turns.answering

    def _api_error(self, error):
        shown, message = self._turns.api_error(error)
        message = bounds.text(str(message), bounds.MAX_MESSAGE_CHARS)  # the page's word: shown and logged, cut to size
        if shown == "error":
            self.error_message = message
        elif shown == "notice":
            self.notice = message
        else:
            log.info("api race client=%s message=%r", self.client_hash, message)

    def _apply_settings(self, current: SessionSettings, chosen: SessionSettings, tools: list[dict] | None) -> list[str]:
        """New settings mid-call; returns what applies only from the next connect. `tools` None:
        the page may not send them (MCP servers are on), so the server's connection sets them."""
        voice_live = chosen.voice != current.voice and not self._voice_locked
        tools = [] if self._server.tools_off else tools
        self._send_all([chosen.session_update(tools, voice=voice_live, model=self._session_model)])
        if tools is not None and not self.live:  # GPT-Live's tools are fixed when it starts
            self._functions = backend.function_names(tools)
        tools_changed = chosen.mcp_servers != current.mcp_servers or chosen.example_tools != current.example_tools
        held = tools is None and tools_changed and not self._server_sets_tools(backend.tool_schemas(chosen))
        if chosen.speed != current.speed:  # only between responses: held until this one is done
            self._send_all(self._turns.speed(chosen.speed_update()))
        changed = (
            ("model", chosen.model != current.model),
            ("voice", chosen.voice != current.voice and not voice_live),
            ("tools", held),
        )
        return [what for what, differs in changed if differs]

    def _server_sets_tools(self, tools: list[dict]) -> bool:
        """The call's tools, set by the server's own connection to it, on whichever worker holds it
        (MCP servers' entries hold the operator's headers, so only the server may send them
        mid-call); False: it holds none yet, or lost it."""
        if not self._server.bound or self._server.tools_off:
            return False
        call_commands.send_soon(self._server.call_id, {"kind": call_commands.TOOLS, "tools": tools})
        self._functions = backend.function_names(tools)
        return True

    # -- helpers ----------------------------------------------------------------------------------
    def _move(self, what: CallStep) -> bool:
        """The call's phase changes only by a step allowed from where it is (realtime/call_phase.py);
        False: not allowed, nothing changed. What the page reads of the phase follows it here."""
        to = call_phase.step(self._phase, what)
        if to is None:
            return False
        self._phase, self.status, self.want_connection = to, to.status.value, to.in_call
        self.live_ready = to is CallPhase.ADMITTED and self.live  # GPT-Live: the page may send its offer
        return True

    def _interrupt(self):
        self._send_all(self._turns.interrupt())  # with where each voice was cut (playing.py)
        self.answering = self._turns.answering

    def _send_all(self, events: list[dict]):
        if self.live:  # a GPT-Live page's data channel may send only this (live/session.py)
            events = [event for event in events if event.get("type") in live_catalog.PAGE_CLIENT_EVENTS]
        for event in events:
            self._seq += 1
            self.outgoing = [*self.outgoing[-(OUTGOING_KEPT - 1) :], {"seq": self._seq, "event": event}]

    @property
    def client_hash(self) -> str:
        return safety_identifier(self.router.session.client_token, "log")[:12]

    async def _end(self, outcome: str, detail: str, error: str = ""):
        """The call ends (or a Connect is refused): `outcome` IDLE, the user left; ERROR, a failure."""
        in_call = self.want_connection
        if not self._move(CallStep.FAIL if outcome == ERROR else CallStep.LEAVE):
            return  # no call to leave
        if in_call:
            await self._leave_call()
            log.info("call ended client=%s status=%s reason=%r", self.client_hash, outcome, error or detail)
        self.status_detail, self.error_message = detail, error
        self.client_secret, self.live_answer = "", ""
        self.speaking = self.answering = self.talking = False
        self.connected_at, self._server = "", ServerLink()
        (await self.get_state(ConversationState))._call_ended()
