"""The client events a session takes, each checked as the API checks it; a refusal is an `error` event."""

import json
from collections.abc import Callable

from voice_app.realtime.events import ClientEvent as C
from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.config import new_id, update_session
from voice_app.simulator.conversation_items import APPEND, ROOT
from voice_app.simulator.errors import ApiError
from voice_app.simulator.items import parse_item
from voice_app.simulator.replies import reply_to
from voice_app.simulator.truncation import truncate
from voice_app.simulator.turns import SpokenTurn


def handle(conversation, raw: str) -> None:
    try:
        event = json.loads(raw)
    except ValueError:
        return conversation.error(ApiError(400, "The client event is not valid JSON.", code="invalid_json"))
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return conversation.error(
            ApiError(400, "Missing required parameter: 'type'.", code="missing_required_parameter", param="type")
        )
    client_event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
    handler = _HANDLERS.get(event["type"])
    try:
        if handler is None:
            supported = ", ".join(f"'{kind}'" for kind in _HANDLERS)
            raise ApiError(
                400, f"Invalid value: '{event['type']}'. Supported values are: {supported}.", code="invalid_value", param="type"
            )
        handler(conversation, event)
    except ApiError as error:
        conversation.error(error, client_event_id)


def _session_update(c, event: dict) -> None:
    updated = update_session(c.session, event.get("session"), c.voice_locked)
    if c.answering and updated.audio.output.speed != c.session.audio.output.speed:
        raise ApiError(
            400, "Cannot update speed while a response is in progress.", code="invalid_value", param="session.audio.output.speed"
        )
    c.use_session(updated)
    c.emit(events.event(E.SESSION_UPDATED, session=c.session.event_payload()))


def _item_create(c, event: dict) -> None:
    previous = event.get("previous_item_id")
    if previous is not None and (not isinstance(previous, str) or (previous != ROOT and previous not in c.items)):
        raise ApiError(
            400,
            f"Invalid 'previous_item_id': no item with id '{previous}' in the conversation.",
            code="invalid_value",
            param="previous_item_id",
        )
    if previous is not None and c.faults.refuse_inserts:
        raise ApiError(400, "Simulated refusal: this item could not be added.", code="invalid_value", param="item")
    item = parse_item(event.get("item"))
    asked = c.items.get(item.get("approval_request_id", ""), {})
    if item["type"] == "mcp_approval_response" and asked.get("type") != "mcp_approval_request":
        raise ApiError(
            400,
            f"Invalid 'approval_request_id': no approval request '{item['approval_request_id']}' in the conversation.",
            code="invalid_value",
            param="item.approval_request_id",
        )
    if item["id"] in c.items:
        raise ApiError(400, f"Item with id '{item['id']}' already exists.", code="item_already_exists", param="item.id")
    c.add_item(item["id"], item, after=APPEND if previous is None else (None if previous == ROOT else previous))
    c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(item["id"])))


def _item_retrieve(c, event: dict) -> None:
    """The item as the conversation holds it, or the API's refusal of an id it does not hold."""
    item_id = event.get("item_id")
    if item_id is None:
        raise ApiError(400, "Missing required parameter: 'item_id'.", code="missing_required_parameter", param="item_id")
    if not isinstance(item_id, str):
        raise ApiError(400, "Invalid type for 'item_id': expected a string.", code="invalid_type", param="item_id")
    if item_id not in c.items:
        raise ApiError(
            400, f"Error retrieving item: the item with id '{item_id}' does not exist.", code="item_retrieve_invalid_item_id"
        )
    c.emit(events.event(E.ITEM_RETRIEVED, item=c.items[item_id]))


def _response_create(c, event: dict) -> None:
    if event.get("response") is not None and not isinstance(event["response"], dict):
        raise ApiError(400, "Invalid type for 'response': expected an object.", code="invalid_type", param="response")
    if c.answering:
        raise ApiError(
            400,
            f"Conversation already has an active response in progress: {c.answer_id}. Wait until the response "
            "is finished before creating a new one.",
            code="conversation_already_has_active_response",
        )
    c.start_answer(reply_to(c))


def _response_cancel(c, event: dict) -> None:
    if not c.answering:
        raise ApiError(400, "Cancellation failed: no active response found.", code="response_cancel_not_active")
    c.cancel_response("client_cancelled")  # stops generating; what was generated still plays


def _output_audio_clear(c, event: dict) -> None:
    c.cut_audio()  # only the audio: a response still generating goes on, as on the API


def _input_commit(c, event: dict) -> None:
    SpokenTurn(c, new_id("item"), c.input_audio.take(), respond=False).commit()


def _input_clear(c, event: dict) -> None:
    c.input_audio.clear()
    c.emit(events.event(E.INPUT_CLEARED))


_HANDLERS: dict[str, Callable[..., None]] = {
    C.SESSION_UPDATE: _session_update,
    C.ITEM_CREATE: _item_create,
    C.RESPONSE_CREATE: _response_create,
    C.RESPONSE_CANCEL: _response_cancel,
    C.INPUT_COMMIT: _input_commit,
    C.INPUT_CLEAR: _input_clear,
    C.OUTPUT_AUDIO_CLEAR: _output_audio_clear,
    C.ITEM_TRUNCATE: truncate,
    C.ITEM_RETRIEVE: _item_retrieve,
}
