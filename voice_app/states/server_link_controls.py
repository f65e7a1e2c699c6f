"""What the server's own connection to the call (states/server_call.py) means for the page's call:
which call it is, when the call counts as connected, and what happens when the server cannot hold
it. A mixin of CallState (its vars and helpers are CallState's)."""

from datetime import UTC, datetime

import reflex as rx

from voice_app.live.events import ClientEvent
from voice_app.realtime.call_phase import CallStep
from voice_app.realtime.client_secrets import CALL_ID
from voice_app.realtime.server_link import ServerLink
from voice_app.service import backend, hang_ups
from voice_app.service.logs import get_logger

log = get_logger()


class ServerLinkControls(rx.State, mixin=True):
    server_problem: str = ""  # why the server could not hold its own connection to this call
    _server: ServerLink = ServerLink()  # the server's own connection to this call, as far as the page needs it

    async def _live_session_started(self, session_id: str):
        """The server started this GPT-Live session itself: its id needs no page's word."""
        self._server.call_id, self._server.bound = session_id, True
        await backend.GUARD.call_started(self._slot, session_id, live=True)

    def _call_reported(self, call_id: str):
        """The page says which call it opened: the server attaches to it (ServerCallState.hear, wired
        after this) and can end it at the limit."""
        if not self.want_connection or self._server.call_id or self.live:
            return  # one call per Connect (GPT-Live's the server started itself): a page cannot point the server at another
        if CALL_ID.fullmatch(call_id):  # the server acts on it once the call shows it is this page's own
            self._server.call_id = call_id
            return
        log.warning(
            "call id unknown client=%s: the page could not read the call's Location header, so the "
            "server can neither hear this call nor hang it up at the length limit (the page still "
            "ends it); serve the page so that the API's Location header is readable",
            self.client_hash,
        )
        self._server_lost("", "the page could not read the call's id")

    def _to_hear(self, call_id: str) -> tuple[bool, str, str] | None:
        """The call's own id, not yet heard: this worker hears it from now on (whether it is a
        GPT-Live session, the slot it holds, the mark its page's secret carried); else None."""
        if not (call_id and self.want_connection and self._server.call_id == call_id) or self._server.heard:
            return None  # "" too: a page that could not read its call's id has no call to hear
        self._server.heard = True
        return self.live, self._slot, self._mark

    def _bound_call_id(self) -> str:
        """The call the server holds for this page, once it showed it is the page's own; else ""."""
        return self._server.call_id if self._server.bound else ""

    def _runs_tool(self, call_id: str, name: str) -> bool:
        """The server put this function in this page's call's session: it may run."""
        return self._server.call_id == call_id and name in self._functions

    # -- what the server's own connection to the call says (states/server_call.py) -------------
    def _server_attached(self, call_id: str):
        if self._server.call_id == call_id:
            self._server.ready = True
            self._connected_if_ready()

    def _server_bound(self, call_id: str) -> bool:
        """The call showed the server it is the one started for this page: the server may end it.
        False if the page has left it meanwhile (then the server ends it at once)."""
        if self._server.call_id != call_id or not self.want_connection:
            return False
        self._server.bound = True
        return True

    async def _leave_call(self):
        """The page is done with its call (Disconnect, an error, a reload): the server ends it,
        whatever the page does with its peer connection, and its slot is freed once it is over.
        A call the server cannot end (one the page never named though a secret reached it, or one
        it named that did not show it is this page's) holds its slot to the length limit."""
        link = self._server
        if link.call_id and link.bound:
            hang_ups.end_soon(link.call_id, self.live, "the page left the call")
        elif not link.call_id and not self._mark:
            await backend.GUARD.release(self._slot)  # no secret reached the page: no call can exist

    def _server_lost(self, call_id: str, why: str):
        """Fail closed: no tools without the server's connection; the call goes on without them."""
        if self._server.call_id != call_id or not self.want_connection:
            return
        self._server.ready = self._server.tools_off = True
        self.server_problem = (
            f"Tools are off for this call, and it is not being saved: {why}. Talking still works; connect again to get them back."
        )
        self._send_all(self._server.tools_off_update())
        self._connected_if_ready()

    def _live_lost(self, session_id: str, why: str):
        """A GPT-Live session's tools cannot be turned off from here: the page closes it (at once,
        or as soon as its data channel opens), and the call ends with the session."""
        if self._server.call_id != session_id or not self.want_connection:
            return
        self.server_problem = f"The GPT-Live session was ended: {why}, so its tools could not run and it could not be saved."
        self._send_all([{"type": ClientEvent.CLOSE.value}])

    def _connected_if_ready(self):
        """Connected once the session answers the page and the server has attached (or given
        up): what is said from then on is heard by both."""
        if self._server.session_open and self._server.ready and self._move(CallStep.OPEN):
            self.status_detail = (
                "Connected. Speak: GPT-Live listens all the time." if self.live else "Connected. Speak, or type a message below."
            )
            self.connected_at = datetime.now(UTC).isoformat()
