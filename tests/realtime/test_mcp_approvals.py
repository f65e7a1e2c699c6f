"""Approval requests the server heard, answered once, and only those."""

from openai.types.realtime import ConversationItemCreateEvent

from voice_app.realtime.mcp_approvals import Approvals

ASKED = {"type": "conversation.item.done", "item": {"id": "mcpr_1", "type": "mcp_approval_request",
                                                    "server_label": "calc", "name": "add", "arguments": '{"a":1}'}}


def test_a_heard_request_is_shown_once():
    approvals = Approvals()
    assert approvals.heard(ASKED) == {"id": "mcpr_1", "server_label": "calc", "name": "add", "arguments": '{"a":1}'}
    assert approvals.heard(ASKED) is None


def test_an_answer_is_the_approval_item_and_a_response_as_the_types_have_them():
    approvals = Approvals()
    approvals.heard(ASKED)
    create, respond = approvals.answer("mcpr_1", True)
    ConversationItemCreateEvent.model_validate(create)
    assert create["item"]["approval_request_id"] == "mcpr_1" and create["item"]["approve"] is True
    assert respond == {"type": "response.create"}


def test_a_request_never_heard_or_answered_already_gets_nothing():
    approvals = Approvals()
    assert approvals.answer("mcpr_made_up", True) == []
    approvals.heard(ASKED)
    approvals.answer("mcpr_1", False)
    assert approvals.answer("mcpr_1", True) == []
