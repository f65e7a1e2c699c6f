"""MCP servers through GPT-Live's delegation, with the official SDK's sideband as the server: the
Responses backend lists the server's tools (reached for real: tests/fixtures/mcp_server.py), calls
the one a heard turn names, or asks for approval first, and the Live model speaks the result.
Every event, and every nested Responses event, is checked against the openai types."""

import contextlib
import json

import openai
import pytest

from tests.simulator.live import KEY, TOOLS, Sideband, close_checked, faults, simulator, start, until
from tests.simulator.servers import serve
from tests.simulator.test_live_delegation import nested, said
from voice_app.simulator.app import create_app
from voice_app.simulator.mcp_calls import DECLINED

pytestmark = pytest.mark.slow  # answers spoken in real time around each tool call


def delegation(mcp_server, require_approval: str) -> dict:
    url, token = mcp_server
    server = {
        "type": "mcp",
        "server_label": "calc",
        "server_url": url,
        "authorization": token,
        "require_approval": require_approval,
    }
    return {"type": "responses", "responses": {"model": "gpt-5.5", "instructions": "Use the tools.", "tools": [server]}}


def items(sideband: Sideband, kind: str) -> list[dict]:
    return [e["item"] for e in nested(sideband.events) if e["type"] == "response.output_item.done" and e["item"]["type"] == kind]


async def test_a_named_server_tool_is_listed_called_and_its_output_spoken(speech_wav, mcp_server):
    async with simulator() as (url, client):
        await faults(url, session={"heard": ['add {"a": 2, "b": 3}']})
        peer, session_id = await start(url, client, microphone=speech_wav, delegation=delegation(mcp_server, "never"))
        try:
            assert mcp_server[1] not in json.dumps(peer.events)  # the token is left out of the session shown
            async with Sideband(client, session_id) as sideband:
                await until(lambda: said(sideband.events) == "The tools returned: 5.", timeout=30, what="the answer")
                kinds = [e["type"] for e in nested(sideband.events)]
                assert (
                    kinds.index("response.mcp_list_tools.completed")
                    < kinds.index("response.mcp_call.in_progress")
                    < kinds.index("response.mcp_call.completed")
                    < kinds.index("response.output_text.done")
                )
                listed = items(sideband, "mcp_list_tools")[0]
                assert listed["server_label"] == "calc" and {t["name"] for t in listed["tools"]} == {"add", "multiply", "fail"}
                call = items(sideband, "mcp_call")[0]
                assert (call["name"], call["output"], call["error"], call["status"]) == ("add", "5", None, "completed")
                assert json.loads(call["arguments"]) == {"a": 2, "b": 3}
        finally:
            await close_checked(peer)


@contextlib.asynccontextmanager
async def approval_asked(speech_wav, mcp_server):
    """A session whose heard turn named a tool that needs approval: (sideband, the request), once asked."""
    async with simulator() as (url, client):
        await faults(url, session={"heard": ['add {"a": 4, "b": 5}']})
        peer, session_id = await start(url, client, microphone=speech_wav, delegation=delegation(mcp_server, "always"))
        try:
            async with Sideband(client, session_id) as sideband:
                asked = (await until(lambda: items(sideband, "mcp_approval_request"), timeout=30, what="a request"))[0]
                await until(lambda: nested(sideband.events)[-1]["type"] == "response.completed")
                yield sideband, asked
        finally:
            await close_checked(peer)


async def answer(sideband: Sideband, request_id: str, approve: bool, **event) -> None:
    await sideband.send(
        type="response.item.create",
        **event,
        item={"type": "mcp_approval_response", "approval_request_id": request_id, "approve": approve},
    )


async def test_a_call_needing_approval_is_made_once_approved_and_only_for_a_request_asked(speech_wav, mcp_server):
    async with approval_asked(speech_wav, mcp_server) as (sideband, asked):
        assert (asked["name"], json.loads(asked["arguments"])) == ("add", {"a": 4, "b": 5})
        assert "response.mcp_call.in_progress" not in [e["type"] for e in nested(sideband.events)]
        await answer(sideband, "mcpr_made_up", True, event_id="evt_wrong")
        refused = await sideband.wait_for("error")
        assert (refused["error"]["param"], refused["error"]["client_event_id"]) == ("item.approval_request_id", "evt_wrong")
        await answer(sideband, asked["id"], True)
        await sideband.send(type="response.create")
        await until(lambda: said(sideband.events) == "The tools returned: 9.", timeout=30, what="the answer")
        call = items(sideband, "mcp_call")[0]
        assert (call["output"], call["approval_request_id"]) == ("9", asked["id"])


async def test_a_declined_call_is_not_made(speech_wav, mcp_server):
    async with approval_asked(speech_wav, mcp_server) as (sideband, asked):
        await answer(sideband, asked["id"], False)
        await sideband.send(type="response.create")
        await until(lambda: said(sideband.events) == DECLINED, timeout=30, what="the answer")
        assert not items(sideband, "mcp_call")


async def test_a_server_the_simulator_may_not_reach_is_shown_as_a_failed_list_and_never_called(speech_wav, mcp_server):
    config = delegation(mcp_server, "never")
    config["responses"]["tools"] += TOOLS["responses"]["tools"]  # a function tool the turn names
    async with serve(create_app(api_key=KEY, mcp_allowed=[])) as url:
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0) as client:
            await faults(url, session={"heard": ['remember {"note": "x"} and add {"a": 1, "b": 1}']})
            peer, session_id = await start(url, client, microphone=speech_wav, delegation=config)
            try:
                async with Sideband(client, session_id) as sideband:
                    listed = (await until(lambda: items(sideband, "mcp_list_tools"), timeout=30, what="a list"))[0]
                    assert listed["tools"] == [] and "not among the MCP servers allowed here" in listed["error"]
                    assert "response.mcp_list_tools.failed" in [e["type"] for e in nested(sideband.events)]
                    await until(lambda: items(sideband, "function_call"))
                    assert not items(sideband, "mcp_call")  # its tools were never listed: none can be called
            finally:
                await close_checked(peer)
