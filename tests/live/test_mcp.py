"""MCP servers in a GPT-Live call: the delegation's `ToolMcp` entries (checked against
`openai.types.live`), and the delegated Responses model's MCP items put in the Realtime API's words
(checked against `openai.types.realtime`), so the transcript, the approvals and the record read
them as a Realtime call's; the user's answer goes back as GPT-Live takes it."""

from openai.types.live import ConnectClientEventParam, MediaSessionConfigParam
from openai.types.realtime import ConversationItem
from openai.types.responses import ResponseStreamEvent
from pydantic import TypeAdapter

from tests.live.test_translate import delegated, said
from voice_app.live import mcp_items, session
from voice_app.live.translate import LiveEvents, outgoing
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.mcp_approvals import Approvals
from voice_app.realtime.mcp_servers import McpServer
from voice_app.realtime.memory import remembered

NESTED, ITEM, SENT = TypeAdapter(ResponseStreamEvent), TypeAdapter(ConversationItem), TypeAdapter(ConnectClientEventParam)
SERVER = McpServer("calc", "https://mcp.example.com/mcp", {"Authorization": "Bearer s3cret"}, ["add"], "always", "Sums", True)


def test_the_users_mcp_servers_go_to_the_delegation_with_the_bearer_token_as_authorization():
    built = session.config("gpt-live-1.1", "marin", "", [SERVER.tool()], remembered([], 100), "hash")
    TypeAdapter(MediaSessionConfigParam).validate_python(built)
    [tool] = built["delegation"]["responses"]["tools"]
    assert tool == {
        "type": "mcp",
        "server_label": "calc",
        "server_url": "https://mcp.example.com/mcp",
        "allowed_tools": ["add"],
        "require_approval": "always",
        "server_description": "Sums",
        "authorization": "s3cret",
    }  # the token, never as a header the page could read
    plain = session.mcp_tool(McpServer("docs", "https://docs.example.com/mcp").tool())
    assert "headers" not in plain and "authorization" not in plain and "allowed_tools" not in plain


_sequence = iter(range(1_000_000))


def step(kind: str, **fields) -> dict:
    """A nested Responses stream event, checked against the package's types, inside `response.event`."""
    nested = {"type": kind, "sequence_number": next(_sequence), **fields}
    NESTED.validate_python(nested)
    return delegated(nested)


LISTED = {
    "id": "mcpl_1",
    "type": "mcp_list_tools",
    "server_label": "calc",
    "tools": [{"name": "add", "input_schema": {"type": "object"}}],
}
ASKED = {"id": "mcpr_1", "type": "mcp_approval_request", "server_label": "calc", "name": "add", "arguments": '{"a": 4, "b": 5}'}
CALL = {
    "id": "mcp_1",
    "type": "mcp_call",
    "server_label": "calc",
    "name": "add",
    "arguments": '{"a": 4, "b": 5}',
    "approval_request_id": "mcpr_1",
    "status": "in_progress",
}


def added_and_done(item: dict, done: dict | None = None) -> list[dict]:
    return [
        step("response.output_item.added", output_index=0, item=item),
        step("response.output_item.done", output_index=0, item=done or item),
    ]


def test_a_listing_a_request_and_its_approved_call_are_shown_and_recorded_as_a_realtime_calls():
    events, record, approvals = LiveEvents("live_1"), CallRecord(), Approvals()
    record.take_all(events.take([said("user", "Add four and five.", 0, 1500)]))
    translated = events.take([*added_and_done(LISTED), *added_and_done(ASKED)])
    for event in translated:
        if "item" in event:
            ITEM.validate_python(event["item"])
    record.take_all(translated)
    asked = [request for event in translated if (request := approvals.heard(event))]
    assert asked == [{"id": "mcpr_1", "server_label": "calc", "name": "add", "arguments": '{"a": 4, "b": 5}'}]
    answer = approvals.answer("mcpr_1", True, record.turns)
    sent = [outgoing(event) for event in answer]
    for event in sent:
        SENT.validate_python(event)
    assert sent == [
        {
            "type": "response.item.create",
            "item": {"type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": True},
        },
        {"type": "response.create", "event_id": answer[1]["event_id"]},
    ]
    record.take(mcp_items.answered("mcpr_1", True))  # GPT-Live echoes no answer: the server folds it in
    record.take_all(events.take(added_and_done(CALL, {**CALL, "output": "9", "error": None, "status": "completed"})))
    entries = record.transcript.entries
    assert [(e["role"], e["text"], e["status"]) for e in entries] == [
        ("user", "Add four and five.", "done"),
        ("tool", "calc tools: add", "done"),
        ("tool", 'calc.add({"a": 4, "b": 5}) · approved', "done"),
        ("tool", 'calc.add({"a": 4, "b": 5}) → 9', "done"),
    ]


def test_a_failed_call_and_a_failed_listing_show_as_failed_in_the_realtime_apis_error_words():
    events, record = LiveEvents("live_1"), CallRecord()
    error = {"type": "mcp_tool_execution_error", "content": [{"type": "text", "text": "failed on purpose"}]}
    failed = {**CALL, "id": "mcp_2", "approval_request_id": None, "error": error, "status": "failed"}
    translated = events.take(
        [
            *added_and_done({**LISTED, "tools": []}, {**LISTED, "tools": [], "error": "unreachable"}),
            *added_and_done({**CALL, "id": "mcp_2", "approval_request_id": None}, failed),
        ]
    )
    for event in translated:
        if "item" in event:
            ITEM.validate_python(event["item"])
    record.take_all(translated)
    assert [(e["text"], e["status"]) for e in record.transcript.entries] == [
        ("calc tools: none", "failed"),
        ('calc.add({"a": 4, "b": 5}) → error: failed on purpose', "failed"),
    ]


def test_a_declined_request_says_so_and_its_answer_carries_no_realtime_id():
    record, events = CallRecord(), LiveEvents("live_1")
    record.take_all(events.take(added_and_done(ASKED)))
    approvals = Approvals()
    approvals.pending["mcpr_1"] = {"id": "mcpr_1"}
    assert "id" not in outgoing(approvals.answer("mcpr_1", False, record.turns)[0])["item"]
    record.take(mcp_items.answered("mcpr_1", False))
    assert record.transcript.entries[0]["text"].endswith("· declined")
