"""An answer the server asks for (after an MCP approval, after a tool's output) while a response it
did not know of is under way: the simulator refuses it as the API does, and the server's own
connection (realtime/sideband.hold, wired as states/server_call.py wires it) asks again once that
response is done. The `busy_before` fault opens that window, deterministically."""

import asyncio

import openai

from tests.simulator.sessions import close_checked, connect, type_turn
from tests.simulator.test_mcp import mcp_session
from voice_app.realtime import sideband
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.mcp_approvals import Approvals
from voice_app.realtime.tools import ToolResult

CLOCK = {"tools": [{"type": "function", "name": "current_time", "parameters": {"type": "object", "properties": {}}}]}


class Server:
    """The server's hearing of one call, as service/hearing.Hearing does it, without Reflex."""

    def __init__(self, client, call_id: str):
        self.record, self.approvals, self.outbox = CallRecord(), Approvals(), asyncio.Queue()
        self.task = asyncio.create_task(
            sideband.hold(sideband.realtime_call(client, call_id), self.heard, self.attached, self.outbox, 10)
        )
        self.ready = asyncio.Event()

    async def attached(self):
        self.ready.set()

    async def heard(self, event: dict):
        self.approvals.heard(event)
        heard = self.record.take(event)
        self.send(heard.send)
        for call in heard.run:  # the clock's tool, at once
            self.send(self.record.tool_finished(call, ToolResult("12:00", False, 0)).send)

    def send(self, events: list[dict]):
        for event in events:
            self.outbox.put_nowait(event)


async def serving(api_url: str, call):
    client = openai.AsyncOpenAI(base_url=api_url, api_key="sk-test", max_retries=0)
    server = Server(client, call.location.rsplit("/", 1)[-1])
    await asyncio.wait_for(server.ready.wait(), 15)
    return client, server


async def mcp_calls_done(call, timeout: float = 15) -> list[dict]:
    """The MCP calls the answer made, once the first is done (polled: a loaded machine is slow)."""
    async with asyncio.timeout(timeout):
        while True:
            items = [e["item"] for e in call.events if e["type"] == "response.output_item.done"]
            if done := [item for item in items if item["type"] == "mcp_call"]:
                return done
            await asyncio.sleep(0.05)


async def test_an_approval_answered_while_a_response_is_under_way_is_answered_after_all(api_url, control, mcp_server):
    call = await connect(
        api_url, control, faults={"busy_before": ["mcp_approval_response"]}, session=mcp_session(mcp_server, "always")
    )
    client, server = await serving(api_url, call)
    try:
        await call.wait_for("mcp_list_tools.completed")
        type_turn(call, 'add {"a": 4, "b": 5}')
        asked = (await call.wait_for("response.output_item.done"))["item"]
        assert asked["type"] == "mcp_approval_request"
        await call.wait_for("response.done")
        server.send(server.approvals.answer(asked["id"], True, server.record.turns))
        await call.wait_for("response.mcp_call.completed", timeout=30)
        assert_refused_once(call)
        made = await mcp_calls_done(call)  # the item's own done follows mcp_call.completed: it may not be in yet
        assert [item["output"] for item in made] == ["9"]
    finally:
        await stop(client, server, call)


async def test_a_tools_output_sent_while_a_response_is_under_way_is_answered_after_all(api_url, control):
    call = await connect(api_url, control, faults={"busy_before": ["function_call_output"]}, session=CLOCK)
    client, server = await serving(api_url, call)
    try:
        type_turn(call, "current_time")
        said = await call.wait_for("response.output_audio_transcript.done", timeout=30, count=2)
        assert said["transcript"].startswith("The tools returned: 12:00")
        assert_refused_once(call)
        await call.wait_for("response.done", count=3)
        assert call.types().count("response.created") == 3  # the call, the one in the way, the answer
    finally:
        await stop(client, server, call)


def assert_refused_once(call):
    """The server's first answer was refused as the API refuses it; nothing else was."""
    [refused] = [e["error"] for e in call.events if e["type"] == "error"]
    assert refused["type"] == "invalid_request_error" and refused["code"] == "conversation_already_has_active_response"
    assert refused["event_id"].startswith("answer_") and refused["message"].startswith(
        "Conversation already has an active response"
    )


async def stop(client, server, call):
    server.task.cancel()
    await asyncio.gather(server.task, return_exceptions=True)
    await client.close()
    await close_checked(call)
