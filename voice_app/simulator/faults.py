"""Faults on demand: what the next mint, call, or session should get wrong.

Tests queue faults with `POST /control/faults`; each is used once, in order.
"""

from collections import deque
from typing import Literal

from pydantic import Field, ValidationError

from voice_app.simulator.config import Strict
from voice_app.simulator.errors import ApiError, from_validation

# status -> (type, code, message), as the real API words them.
_REFUSALS = {
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Country, region, or territory not supported."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again in {wait}s."),
    500: ("server_error", None, "The server had an error while processing your request. Sorry about that!"),
    503: ("server_error", None, "The engine is currently overloaded, please try again later."),
}


class Refusal(Strict):
    """An HTTP failure: a status, and optionally a wait before answering."""

    status: int | None = Field(None, ge=400, le=599)
    delay: float = Field(0.0, ge=0.0, le=120.0)
    message: str | None = None
    retry_after: float | None = Field(None, ge=0.0, le=3600.0)

    def error(self) -> ApiError | None:
        if self.status is None:
            return None
        kind, code, text = _REFUSALS.get(self.status, ("invalid_request_error", None, "Simulated failure."))
        text = self.message or text.format(wait=self.retry_after or 1)
        return ApiError(self.status, text, type=kind, code=code)


class CallFault(Refusal):
    """A refused call, or (break_dtls) an accepted one whose answer the browser cannot secure."""

    break_dtls: bool = False


class SessionFaults(Strict):
    """What goes wrong during one call's session."""

    expire_after: float | None = Field(None, ge=0.0, le=3600.0)
    drop_after: float | None = Field(None, ge=0.0, le=3600.0)
    close_channel_after: float | None = Field(None, ge=0.0, le=3600.0)  # the data channel only; media goes on
    transcription: Literal["ok", "fail"] = "ok"
    # When the user's transcription completes: after the answer starts (as on the real API),
    # before it, or only after the whole answer is done. GPT-Live: only when given, "late" sends
    # the input transcript after the answer's first output delta.
    transcript_timing: Literal["late", "early", "after_response"] = "late"
    duplicate_events: bool = False
    error_after: float | None = Field(None, ge=0.0, le=3600.0)  # a non-fatal `error` event; the call goes on
    junk: bool = False  # on open: malformed JSON, an unknown event type, and an event past the page's size limit
    refuse_attach: bool = False  # the server's own connection to the call (sideband.py) is refused, 403
    drop_attach_after: float | None = Field(None, ge=0.0, le=3600.0)  # that connection drops, the call goes on
    refuse_inserts: bool = False  # items placed by `previous_item_id` (a conversation given) are refused
    # GPT-Live: `session.started` comes this long after the data channel opens (the page's commands
    # before it are refused); and the session's end drops each sideband that did not ask for
    # `graceful_close` with no close frame, as the API may (sideband.py).
    started_after: float = Field(0.05, ge=0.0, le=60.0)
    abrupt_end: bool = False
    # GPT-Live: the session's id instead of `live_` and 24 url-safe characters: the API's is opaque.
    session_id: str | None = Field(None, min_length=1, max_length=256)
    # For the latency benchmark: each answer streams `stream_count` one-word deltas "w0 w1 …" at
    # `stream_rate` per second, instead of its own words.
    stream_rate: float | None = Field(None, ge=1.0, le=1000.0)
    stream_count: int = Field(100, ge=1, le=5000)
    # How every response of the session ends (see `ending.py`): cut short unless "completed".
    response_end: Literal["completed", "incomplete", "failed", "cancelled"] = "completed"
    # A response already under way as the client adds the session's first item of each of these
    # types (as if the user had just spoken): its response.create right after is refused.
    busy_before: list[Literal["mcp_approval_response", "function_call_output"]] = []
    # GPT-Live: the words of the session's next utterances, in order (there is no speech model):
    # a tool named in them is delegated. Speech beyond the list is "[speech, N.N s]".
    heard: list[str] = []


class FaultPlan(Strict):
    mint: Refusal | None = None
    call: CallFault | None = None
    session: SessionFaults | None = None


class Latency(Strict):
    """A standing delay on every answer, as over the internet (the faults' `delay` is one-off)."""

    mint: float = Field(0.0, ge=0.0, le=10.0)  # seconds before a client secret comes back
    call: float = Field(0.0, ge=0.0, le=10.0)  # seconds before an SDP answer comes back


class Faults:
    def __init__(self) -> None:
        self.latency = Latency()
        self._mint: deque[Refusal] = deque()
        self._call: deque[CallFault] = deque()
        self._session: deque[SessionFaults] = deque()

    def add(self, body: object) -> None:
        try:
            plan = FaultPlan.model_validate(body)
        except ValidationError as error:
            raise from_validation(error) from None
        for queue, fault in ((self._mint, plan.mint), (self._call, plan.call), (self._session, plan.session)):
            if fault is not None:
                queue.append(fault)

    def set_latency(self, body: object) -> None:
        try:
            self.latency = Latency.model_validate(body)
        except ValidationError as error:
            raise from_validation(error) from None

    def clear(self) -> None:
        self.latency = Latency()
        for queue in (self._mint, self._call, self._session):
            queue.clear()

    def pending(self) -> dict:
        return {"mint": len(self._mint), "call": len(self._call), "session": len(self._session)}

    def next_mint(self) -> Refusal | None:
        return self._mint.popleft() if self._mint else None

    def next_call(self) -> CallFault | None:
        return self._call.popleft() if self._call else None

    def next_session(self) -> SessionFaults:
        return self._session.popleft() if self._session else SessionFaults()
