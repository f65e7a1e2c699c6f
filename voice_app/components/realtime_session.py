"""The Reflex wrapper of assets/realtime/ (ES modules): typed props in, event triggers out."""

import reflex as rx
from reflex.event import no_args_event_spec, passthrough_event_spec

from voice_app.live import catalog as live_catalog
from voice_app.realtime import bounds, catalog, events


class RealtimeSession(rx.Component):
    library = rx.asset("realtime/index.js").importable_path  # "$/public/realtime/index.js"
    tag = "RealtimeSession"

    want_connection: rx.Var[bool]  # true from Connect until the call should end
    hydrated: rx.Var[bool]  # the page's state is whole: a call it names before that is a reload's leftover
    client_secret: rx.Var[str]  # short-lived; the API key never reaches the browser
    calls_url: rx.Var[str]
    live_ready: rx.Var[bool]  # GPT-Live: the page may send its offer (on_offer)
    live_answer: rx.Var[str]  # GPT-Live: the session's answer to it
    opening_events: rx.Var[list[dict]]  # sent as the data channel opens: session.update, the conversation so far
    outgoing: rx.Var[list[dict]]  # client events, each {"seq", "event"}, sent once each
    muted: rx.Var[bool]
    device_id: rx.Var[str]  # the microphone to use; "" for the browser's default
    log_open: rx.Var[bool]  # the event log is sent to Python only while it is shown
    max_call_seconds: rx.Var[int]  # the server's limit on one call's length
    handled_batch: rx.Var[int]  # the number of the last batch of events Python handled
    record: rx.Var[bool]  # the next call is recorded (the user's opt-in)
    keep_recording: rx.Var[str]  # where the last recording is sent to be kept; "" until the user asks

    # What Python and the page both know, written once in voice_app/realtime/ (defaults in create).
    forwarded_events: rx.Var[list[str]]  # server event types sent on to Python
    merged_deltas: rx.Var[list[str]]  # delta types merged when adjacent and of one item
    data_channel: rx.Var[str]  # the data channel's name
    max_event_chars: rx.Var[int]  # larger data-channel messages are dropped unread
    log_kept: rx.Var[int]  # event log entries kept while waiting to be sent
    session_seconds: rx.Var[int]  # a session's longest life: the page warns 5 minutes before
    batch_ms: rx.Var[int]  # at most one batch of events to Python per this many ms
    unanswered_ms: rx.Var[int]  # and the next waits for the last to be handled, at most this long
    max_recording_bytes: rx.Var[int]  # a recording stops before it grows past this
    recording_bits_per_second: rx.Var[int]

    on_events: rx.EventHandler[passthrough_event_spec(list[dict], int)]  # a batch, in arrival order; its number
    on_status: rx.EventHandler[
        passthrough_event_spec(dict)
    ]  # {"status": error|notice|unsent, "message"} | {"status": "call", "call_id"} | {"status": "dropped"}
    on_key: rx.EventHandler[passthrough_event_spec(dict)]  # {"key": "m" | " ", "down": bool}
    on_log: rx.EventHandler[passthrough_event_spec(list[dict])]  # [{"direction", "type", "ms", "json"}]
    on_devices: rx.EventHandler[passthrough_event_spec(list[dict])]  # [{"id", "label"}]
    on_intent: rx.EventHandler[no_args_event_spec]  # the pointer, a touch or the focus reached Connect
    on_offer: rx.EventHandler[passthrough_event_spec(str)]  # GPT-Live: the page's SDP offer, ICE gathered
    on_recording: rx.EventHandler[passthrough_event_spec(dict)]  # {"state": recording|done|failed|kept|not_kept, ...}

    @classmethod
    def create(cls, *children, **props):
        props.setdefault("forwarded_events", [*map(str, events.FORWARDED), *map(str, live_catalog.FORWARDED)])
        props.setdefault("merged_deltas", [str(kind) for kind in events.MERGED_DELTAS])
        props.setdefault("data_channel", catalog.DATA_CHANNEL)
        props.setdefault("max_event_chars", events.MAX_EVENT_CHARS)
        props.setdefault("log_kept", events.LOG_KEPT)
        props.setdefault("session_seconds", catalog.SESSION_MAX_SECONDS)
        props.setdefault("batch_ms", events.BATCH_MS)
        props.setdefault("unanswered_ms", events.UNANSWERED_MS)
        props.setdefault("max_recording_bytes", bounds.MAX_RECORDING_BYTES)
        props.setdefault("recording_bits_per_second", bounds.RECORDING_BITS_PER_SECOND)
        return super().create(*children, **props)


realtime_session = RealtimeSession.create


class SessionClock(rx.Component):
    """mm:ss since `since` (an ISO time), ticking in the browser (clock.js): a few lines where
    rx.moment would bring moment.js (about 20 kB gzipped) into the page's first load."""

    library = RealtimeSession.library
    tag = "SessionClock"

    since: rx.Var[str]
