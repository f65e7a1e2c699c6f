"""Approval requests the server heard, answered once, and only those."""

from openai.types.realtime import ConversationItemCreateEvent, ResponseCreateEvent

from voice_app.realtime.mcp_approvals import Approvals
from voice_app.realtime.turn_taking import TurnTaking

ASKED = {
    "type": "conversation.item.done",
    "item": {"id": "mcpr_1", "type": "mcp_approval_request", "server_label": "calc", "name": "add", "arguments": '{"a":1}'},
}


def test_a_heard_request_is_shown_once():
    approvals = Approvals()
    assert approvals.heard(ASKED) == {"id": "mcpr_1", "server_label": "calc", "name": "add", "arguments": '{"a":1}'}
    assert approvals.heard(ASKED) is None


def test_an_answer_is_the_approval_item_and_a_response_as_the_types_have_them():
    approvals = Approvals()
    approvals.heard(ASKED)
    create, respond = approvals.answer("mcpr_1", True, TurnTaking())
    ConversationItemCreateEvent.model_validate(create)
    ResponseCreateEvent.model_validate(respond)
    assert create["item"]["approval_request_id"] == "mcpr_1" and create["item"]["approve"] is True
    assert respond["type"] == "response.create"


def test_the_answer_after_an_approval_waits_for_an_active_response():
    approvals, turns = Approvals(), TurnTaking()
    turns.follow({"type": "response.created"})
    approvals.heard(ASKED)
    [create] = approvals.answer("mcpr_1", True, turns)
    assert create["type"] == "conversation.item.create" and turns.answer_next


def test_a_request_never_heard_or_answered_already_gets_nothing():
    approvals = Approvals()
    assert approvals.answer("mcpr_made_up", True, TurnTaking()) == []
    approvals.heard(ASKED)
    approvals.answer("mcpr_1", False, TurnTaking())
    assert approvals.answer("mcpr_1", True, TurnTaking()) == []
