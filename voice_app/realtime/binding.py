"""Which call is this page's own. The page reports the id of the call it opened, and a page may
lie: so each client secret is minted with a mark of the server's in the session's tracing
metadata, which nobody can change once it is set (`RealtimeSessionCreateRequestParam.tracing`:
"cannot be modified once enabled"), and the server's own connection acts on nothing it hears
until the call has shown it carries that mark. Pure.

The server asks with a `session.update` that changes nothing (only the required `type`): the
answer, `session.updated`, carries the whole session, its tracing included."""

import hmac
import secrets
from dataclasses import dataclass, field

from voice_app.realtime.events import ClientEvent, ServerEvent

MARK_KEY = "voice_app_call"
WORKFLOW = "voice-app"  # how the calls show in the operator's traces
PROBE = {"type": ClientEvent.SESSION_UPDATE.value, "session": {"type": "realtime"}}
SESSION_EVENTS = (ServerEvent.SESSION_CREATED, ServerEvent.SESSION_UPDATED)
MAX_HELD = 200  # events heard before the answer: a call that never shows its mark is not ours


NOT_OURS = "the call the page reported is not the one this server started for it"


class NotOurs(Exception):
    """The call the page reported is not the one this server started for it; says why."""


def new_mark() -> str:
    return secrets.token_urlsafe(18)


def tracing(mark: str) -> dict:
    """The session's `tracing`, as a mint sets it."""
    return {"workflow_name": WORKFLOW, "metadata": {MARK_KEY: mark}}


def mark_of(session: object) -> str:
    """The mark a session (as `session.created|updated` carry it) was minted with, or ""."""
    tracing_config = session.get("tracing") if isinstance(session, dict) else None
    metadata = tracing_config.get("metadata") if isinstance(tracing_config, dict) else None
    mark = metadata.get(MARK_KEY) if isinstance(metadata, dict) else None
    return mark if isinstance(mark, str) else ""


@dataclass
class Binding:
    """The server's connection to one call, until the call has shown whose it is."""

    mark: str = field(repr=False)  # "": nothing to show (a GPT-Live session the server started itself)
    bound: bool = False
    held: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bound = not self.mark

    def take(self, event: dict) -> list[dict]:
        """What to act on now: nothing until the call shows the mark; then what was held, in
        order. Raises NotOurs for a call that shows another mark, or none."""
        if self.bound:
            return [event]
        if event.get("type") in SESSION_EVENTS:
            if not hmac.compare_digest(mark_of(event.get("session")).encode(), self.mark.encode()):
                raise NotOurs(NOT_OURS)
            self.bound, held, self.held = True, [*self.held, event], []
            return held
        if len(self.held) >= MAX_HELD:
            raise NotOurs("the call did not show that it is the one this server started")
        self.held.append(event)
        return []
