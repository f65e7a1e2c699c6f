"""The server's own connection to a call (sideband.py), as the page's side of the call needs it:
which call it is, whether the call counts as connected yet, and whether its tools are off. Pure."""

from dataclasses import dataclass

from voice_app.realtime.events import ClientEvent


@dataclass
class ServerLink:
    """The server's own connection to the call, as the page's side of it needs to know."""

    call_id: str = ""  # the one the page reported first: the server attaches to no other
    heard: bool = False  # the server has begun to hear it: once per call, whatever a page asks
    session_open: bool = False  # the page's data channel heard the session
    ready: bool = False  # the server holds its connection to the call, or gave up on it
    bound: bool = False  # the call showed it is the one the server started for this page (binding.py)
    tools_off: bool = False  # it gave up: no tools for this call
    tools_off_sent: bool = False

    def tools_off_update(self) -> list[dict]:
        """Tools off, once the session is open: before, the page could not send it, and the
        opening session.update (with tools) would undo it."""
        if not (self.tools_off and self.session_open) or self.tools_off_sent:
            return []
        self.tools_off_sent = True
        return [{"type": ClientEvent.SESSION_UPDATE.value, "session": {"type": "realtime", "tools": []}}]
