"""The call's phase on the server's side, and the only ways it may change. Pure.

A Connect is admitted (the browser asks for the microphone while a secret is minted, or, for
GPT-Live, the page is asked for its offer), then dials (the page holds its secret, or GPT-Live's
offer was taken: one per Connect), then is connected once the session answers the page and the
server holds its own connection to the call (or gave up on it). It ends when the user leaves
(idle) or by a failure (error, shown). The page's status word is the phase in four words (a
contract of the page: idle, connecting, connected, error).
"""

from enum import StrEnum


class Status(StrEnum):
    """The word the page shows (`data-testid="status"`)."""

    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    ERROR = "error"


class CallPhase(StrEnum):
    IDLE = "idle"  # no call; the last, if any, was left by the user
    ERROR = "error"  # no call; the last ended by a failure, or a Connect was refused
    ADMITTED = "admitted"  # a Connect admitted: its secret being minted, or GPT-Live's offer awaited
    DIALING = "dialing"  # the page opens the call: the session and the server's connection to come
    CONNECTED = "connected"

    @property
    def status(self) -> Status:
        return _STATUS[self]

    @property
    def in_call(self) -> bool:
        """From an admitted Connect until the call ends: the page holds (or opens) a call."""
        return self in _IN_CALL


class CallStep(StrEnum):
    BEGIN = "begin"  # a Connect was admitted
    DIAL = "dial"  # the page was given its secret, or GPT-Live's offer was taken
    OPEN = "open"  # the session answers the page, and the server's connection is settled
    LEAVE = "leave"  # the user left: Disconnect, a reload
    FAIL = "fail"  # a failure ended the call, or refused the Connect


_STATUS = {
    CallPhase.IDLE: Status.IDLE,
    CallPhase.ERROR: Status.ERROR,
    CallPhase.ADMITTED: Status.CONNECTING,
    CallPhase.DIALING: Status.CONNECTING,
    CallPhase.CONNECTED: Status.CONNECTED,
}
_IN_CALL = (CallPhase.ADMITTED, CallPhase.DIALING, CallPhase.CONNECTED)
TRANSITIONS: dict[tuple[CallPhase, CallStep], CallPhase] = {
    (CallPhase.IDLE, CallStep.BEGIN): CallPhase.ADMITTED,
    (CallPhase.ERROR, CallStep.BEGIN): CallPhase.ADMITTED,
    (CallPhase.ADMITTED, CallStep.DIAL): CallPhase.DIALING,
    (CallPhase.DIALING, CallStep.OPEN): CallPhase.CONNECTED,
    (CallPhase.ERROR, CallStep.LEAVE): CallPhase.IDLE,  # Disconnect clears the error shown
    **{(phase, CallStep.LEAVE): CallPhase.IDLE for phase in _IN_CALL},
    **{(phase, CallStep.FAIL): CallPhase.ERROR for phase in CallPhase},  # a refused Connect fails from idle
}


def step(phase: CallPhase, what: CallStep) -> CallPhase | None:
    """The phase `what` leads to from `phase`; None: not allowed from there (nothing changes)."""
    return TRANSITIONS.get((phase, what))
