"""The client events a Live session takes, from the page's data channel or a sideband.
A refusal is an `error` event to the connection that sent the event, which is then ignored."""

import json

from voice_app.live.events import ClientEvent, ServerEvent
from voice_app.simulator.errors import ApiError
from voice_app.simulator.live import events
from voice_app.simulator.live.names import CLIENT_EVENTS, SIDEBAND_EVENTS


def handle(session, raw: str, reply, from_page: bool) -> None:
    """`reply` sends JSON text back to the sender only; `from_page`: it came over the data channel."""
    try:
        event = json.loads(raw)
    except ValueError:
        return reply(json.dumps(events.error(ApiError(400, "The client event is not valid JSON.", code="invalid_json"))))
    client_event_id = event.get("event_id") if isinstance(event, dict) and isinstance(event.get("event_id"), str) else None
    try:
        _dispatch(session, event, from_page, client_event_id)
    except ApiError as error:
        reply(json.dumps(events.error(error, client_event_id)))


def _dispatch(session, event: object, from_page: bool, client_event_id: str | None) -> None:
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise ApiError(400, "Missing required parameter: 'type'.", code="missing_required_parameter", param="type")
    kind = event["type"]
    known = CLIENT_EVENTS if from_page else SIDEBAND_EVENTS
    if kind not in known:
        supported = ", ".join(f"'{name}'" for name in known)
        raise ApiError(400, f"Invalid value: '{kind}'. Supported values are: {supported}.", code="invalid_value", param="type")
    if from_page and not session.announced:  # "wait for session.started ... before sending commands"
        raise ApiError(
            400,
            f"The client event '{kind}' was sent before session.started: wait for it before sending commands.",
            code="session_not_started",
            param="type",
        )
    permissions = session.config.client.data_channel if from_page and session.config.client else None
    if permissions is not None and not permissions.allows_client(kind):
        raise ApiError(
            400,
            f"The client event '{kind}' is not allowed on this data channel: the session's "
            "client.data_channel.allowed_client_events leaves it out.",
            code="client_event_not_allowed",
            param="type",
        )
    if kind == ClientEvent.CLOSE:
        session.close("close_requested", client_event_id)
    elif kind == ClientEvent.ITEM_CREATE:
        session.backend.add_item(event)
    elif kind == ClientEvent.RESPONSE_CREATE:
        session.backend.respond(client_event_id)
    elif kind == ClientEvent.UPDATE:
        if not isinstance(event.get("session"), dict):
            raise ApiError(400, "Missing required parameter: 'session'.", code="missing_required_parameter", param="session")
        # Settings the simulator does not act on are taken as given: acknowledged, not applied.
        session.emit(events.event(ServerEvent.UPDATED, client_event_id, session=session.resource()))
    # Every other known event (mute, instructions.append, decisions, ...) is taken and not simulated.
