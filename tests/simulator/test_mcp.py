"""MCP servers in a simulated session, reached for real (tests/fixtures/mcp_server.py): listing,
a typed turn's call, approval asked for and answered, and a server that cannot be reached; every
event checked against the openai types."""

import json

import openai

from tests.simulator.sessions import close_checked, connect, type_turn
from voice_app.realtime.mcp_approvals import Approvals
from voice_app.realtime.turn_taking import TurnTaking


def mcp_session(mcp_server, require_approval="never", url=None) -> dict:
    server_url, token = mcp_server
    return {
        "tools": [
            {
                "type": "mcp",
                "server_label": "calc",
                "server_url": url or server_url,
                "headers": {"Authorization": f"Bearer {token}"},
                "require_approval": require_approval,
            }
        ]
    }


async def test_the_servers_tools_are_listed_as_the_session_starts(api_url, mcp_server):
    call = await connect(api_url, session=mcp_session(mcp_server))
    try:
        done = await call.wait_for("conversation.item.done")
        assert done["item"]["type"] == "mcp_list_tools" and done["item"]["server_label"] == "calc"
        assert {tool["name"] for tool in done["item"]["tools"]} == {"add", "multiply", "fail"}
        types = call.types()
        assert types.index("mcp_list_tools.in_progress") < types.index("mcp_list_tools.completed")
    finally:
        await close_checked(call)


async def typed(api_url, mcp_server, text: str, require_approval="never"):
    """A call whose server has listed its tools, and a typed turn."""
    call = await connect(api_url, session=mcp_session(mcp_server, require_approval))
    await call.wait_for("mcp_list_tools.completed")
    type_turn(call, text)
    return call


async def test_a_typed_turn_naming_a_server_tool_calls_it(api_url, mcp_server):
    call = await typed(api_url, mcp_server, 'add {"a": 2, "b": 3}')
    try:
        await call.wait_for("response.done")
        done = await call.wait_for("response.output_item.done")
        assert done["item"]["type"] == "mcp_call" and done["item"]["output"] == "5" and done["item"]["error"] is None
        assert json.loads(done["item"]["arguments"]) == {"a": 2, "b": 3}
        for kind in ("response.mcp_call_arguments.done", "response.mcp_call.in_progress", "response.mcp_call.completed"):
            await call.wait_for(kind)
    finally:
        await close_checked(call)


async def test_a_tool_error_comes_back_as_the_calls_error(api_url, mcp_server):
    call = await typed(api_url, mcp_server, "fail")
    try:
        await call.wait_for("response.mcp_call.failed")
        done = await call.wait_for("response.output_item.done")
        assert done["item"]["output"] is None and done["item"]["error"]["type"] == "tool_execution_error"
    finally:
        await close_checked(call)


async def approval_asked(api_url, mcp_server):
    call = await typed(api_url, mcp_server, 'add {"a": 4, "b": 5}', require_approval="always")
    await call.wait_for("response.done")
    asked = (await call.wait_for("response.output_item.done"))["item"]
    assert (
        asked["type"] == "mcp_approval_request" and asked["name"] == "add" and "response.mcp_call.in_progress" not in call.types()
    )
    return call, asked


def answer(call, asked: dict, approve: bool) -> None:
    call.send(
        "conversation.item.create", item={"type": "mcp_approval_response", "approval_request_id": asked["id"], "approve": approve}
    )
    call.send("response.create")


async def test_an_approved_call_is_made_after_the_approval(api_url, mcp_server):
    call, asked = await approval_asked(api_url, mcp_server)
    try:
        answer(call, asked, approve=True)
        await call.wait_for("response.done", count=2)
        made = await call.wait_for("response.output_item.done", count=2)
        assert made["item"]["type"] == "mcp_call" and made["item"]["output"] == "9"
        assert made["item"]["approval_request_id"] == asked["id"]
    finally:
        await close_checked(call)


async def test_a_declined_call_is_not_made(api_url, mcp_server):
    call, asked = await approval_asked(api_url, mcp_server)
    try:
        answer(call, asked, approve=False)
        await call.wait_for("response.done", count=2)
        assert "response.mcp_call.in_progress" not in call.types()
    finally:
        await close_checked(call)


async def test_an_answer_to_no_request_is_refused(api_url, mcp_server):
    call = await connect(api_url, session=mcp_session(mcp_server))
    try:
        answer(call, {"id": "mcpr_made_up"}, approve=True)
        error = await call.wait_for("error")
        assert error["error"]["param"] == "item.approval_request_id"
    finally:
        await close_checked(call)


async def test_a_server_that_cannot_be_reached_fails_its_list(api_url, mcp_server):
    call = await connect(api_url, session=mcp_session(mcp_server, url="http://127.0.0.1:9/mcp"))
    try:
        failed = await call.wait_for("mcp_list_tools.failed")
        done = await call.wait_for("conversation.item.done")
        assert done["item"]["id"] == failed["item_id"] and done["item"]["tools"] == []
    finally:
        await close_checked(call)


async def test_a_wrong_token_fails_the_list(api_url, mcp_server):
    call = await connect(api_url, session=mcp_session((mcp_server[0], "wrong")))
    try:
        await call.wait_for("mcp_list_tools.failed")
    finally:
        await close_checked(call)


async def test_the_session_shows_no_server_headers_back(api_url, mcp_server):
    call = await connect(api_url, session=mcp_session(mcp_server))
    try:
        created = await call.wait_for("session.created")
        assert created["session"]["tools"][0]["headers"] is None and mcp_server[1] not in json.dumps(call.events)
    finally:
        await close_checked(call)


async def test_an_answer_sent_on_the_servers_connection_makes_the_call(api_url, mcp_server):
    """As the app does: the page shows the request, the server's own connection answers it."""
    call, asked = await approval_asked(api_url, mcp_server)
    try:
        async with openai.AsyncOpenAI(base_url=api_url, api_key="sk-test", max_retries=0) as client:
            async with client.realtime.connect(call_id=call.location.rsplit("/", 1)[-1]) as connection:
                for event in Approvals(pending={asked["id"]: asked}).answer(asked["id"], True, TurnTaking()):
                    await connection.send(event)
                await call.wait_for("response.mcp_call.completed")
        assert (await call.wait_for("response.output_item.done", count=2))["item"]["output"] == "9"
    finally:
        await close_checked(call)
