"""How a call starts, as the entry states ask it of the call (states/connect.py, states/live.py):
each Connect is an attempt, numbered, and what arrives for an abandoned one is dropped. A mixin of
CallState (its vars and helpers are CallState's)."""

import reflex as rx

from voice_app.realtime.call_phase import CallStep
from voice_app.realtime.server_link import ServerLink
from voice_app.realtime.turn_taking import TurnTaking


class CallStart(rx.State, mixin=True):
    def _begin(self, slot: str, live: bool) -> int:
        """A Connect was admitted (its slot counts it): the browser asks for the microphone now,
        while the secret is minted (GPT-Live: the page is asked for its offer). Returns the attempt."""
        self._attempt, self._slot, self._mark, self._functions = self._attempt + 1, slot, "", []
        self.live = live
        self._move(CallStep.BEGIN)
        self.status_detail, self.error_message = "Connecting: asking for the microphone and a session…", ""
        self.client_secret, self.speaking, self.answering = "", False, False
        self.live_answer = ""
        self.notice, self.connected_at, self._voice_locked = "", "", False
        self.server_problem, self._server = "", ServerLink()
        self._turns = TurnTaking(runs_tools=False)  # calls, answers and audio of an earlier session are done with
        return self._attempt

    def _is_attempt(self, attempt: int) -> bool:
        """This Connect is the latest (whether or not its call is still wanted)."""
        return self._attempt == attempt

    def _still_wants(self, attempt: int) -> bool:
        """This Connect's call is still wanted: nothing ended or replaced it."""
        return self.want_connection and self._attempt == attempt

    def _given_secret(self, attempt: int, secret: str, mark: str, model: str, functions: list[str]) -> bool:
        """A Realtime call's client secret, for the page to open its call with; False if that
        Connect was given up meanwhile (no call follows)."""
        if self._attempt != attempt or not self._move(CallStep.DIAL):
            return False
        self.client_secret, self._mark, self._functions = secret, mark, functions
        self._session_model = model  # the live session's model, for later updates
        return True

    def _offer_taken(self, functions: list[str]) -> int | None:
        """A GPT-Live Connect's offer arrived: the attempt it starts (once), or None."""
        if not (self.live and self._move(CallStep.DIAL)):
            return None  # no GPT-Live call admitted, or its offer came already: one session per Connect
        self._functions = functions  # what start_live delegates
        return self._attempt

    async def _live_joined(self, attempt: int, session_id: str, answer: str, note: str) -> bool:
        """The server started the GPT-Live session: the page gets its answer; False if that
        Connect was given up meanwhile."""
        if not self._still_wants(attempt):
            return False
        self.live_answer, self.notice = answer, note
        await self._live_session_started(session_id)
        return True
