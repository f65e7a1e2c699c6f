"""The Reflex wrapper of assets/realtime_session.js: typed props in, two event triggers out."""

import reflex as rx
from reflex.event import passthrough_event_spec


class RealtimeSession(rx.Component):
    library = "$/public/realtime_session.js"
    tag = "RealtimeSession"

    want_connection: rx.Var[bool]  # true from Connect until the call should end
    client_secret: rx.Var[str]  # short-lived; the API key never reaches the browser
    calls_url: rx.Var[str]
    session_update: rx.Var[dict]  # sent as soon as the data channel opens
    outgoing: rx.Var[list[dict]]  # client events, each {"seq", "event"}, sent once each
    muted: rx.Var[bool]
    device_id: rx.Var[str]  # the microphone to use; "" for the browser's default
    log_open: rx.Var[bool]  # the event log is sent to Python only while it is shown
    max_call_seconds: rx.Var[int]  # the server's limit on one call's length

    on_events: rx.EventHandler[passthrough_event_spec(list[dict])]  # a batch, in arrival order
    on_status: rx.EventHandler[passthrough_event_spec(dict)]  # {"status": error|notice|unsent, "message"} | {"status": "call", "call_id"}
    on_key: rx.EventHandler[passthrough_event_spec(dict)]  # {"key": "m" | " ", "down": bool}
    on_log: rx.EventHandler[passthrough_event_spec(list[dict])]  # [{"direction", "type", "ms", "json"}]
    on_devices: rx.EventHandler[passthrough_event_spec(list[dict])]  # [{"id", "label"}]


realtime_session = RealtimeSession.create
