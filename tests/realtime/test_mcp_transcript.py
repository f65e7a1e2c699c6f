"""MCP items as the user reads them: a server's tools, its calls (output or error), a failed
list, and an approval request, then how the user answered it."""

from voice_app.realtime.transcript import Transcript

LISTED = {"id": "item_list", "type": "mcp_list_tools", "server_label": "calc", "tools": []}
CALL = {
    "id": "mcp_1",
    "type": "mcp_call",
    "server_label": "calc",
    "name": "add",
    "arguments": '{"a":2,"b":3}',
    "output": None,
    "error": None,
}
ASKED = {"id": "mcpr_1", "type": "mcp_approval_request", "server_label": "calc", "name": "add", "arguments": '{"a":1}'}


def added(item):
    return {"type": "conversation.item.added", "item": item}


def done(item):
    return {"type": "conversation.item.done", "item": item}


def test_a_servers_tools_show_once_listed():
    transcript = Transcript()
    transcript.apply_all([added(LISTED), done({**LISTED, "tools": [{"name": "add", "input_schema": {}}]})])
    (entry,) = transcript.entries
    assert (entry["role"], entry["text"], entry["status"]) == ("tool", "calc tools: add", "done")


def test_a_failed_list_stays_failed():
    transcript = Transcript()
    transcript.apply_all([added(LISTED), {"type": "mcp_list_tools.failed", "item_id": "item_list"}, done(LISTED)])
    assert transcript.entries[0]["status"] == "failed"


def test_a_call_shows_its_output_or_its_error():
    transcript = Transcript()
    transcript.apply_all([added(CALL)])
    assert transcript.entries[0]["status"] == "in_progress"
    transcript.apply(done({**CALL, "output": "5"}))
    assert (transcript.entries[0]["text"], transcript.entries[0]["status"]) == ('calc.add({"a":2,"b":3}) → 5', "done")
    failing = Transcript()
    failing.apply_all([added(CALL), done({**CALL, "error": {"type": "tool_execution_error", "message": "boom"}})])
    assert (failing.entries[0]["text"].endswith("→ error: boom"), failing.entries[0]["status"]) == (True, "failed")


def test_an_approval_request_says_how_the_user_answered():
    transcript = Transcript()
    transcript.apply_all([added(ASKED), done(ASKED)])
    assert transcript.entries[0]["text"] == 'calc.add({"a":1}) · asks for your approval'
    transcript.apply(added({"id": "item_r", "type": "mcp_approval_response", "approval_request_id": "mcpr_1", "approve": False}))
    assert transcript.entries[0]["text"] == 'calc.add({"a":1}) · declined' and len(transcript.entries) == 1
