"""The benchmark's replay calls (simulator/replays.py): a minted secret opens one, the official SDK
attaches to it as the server does, hears the timeline, and a tool's output is timed."""

import time

import httpx
import openai

from tests.simulator.client import mint
from tests.simulator.servers import serve
from tests.simulator.test_sideband import next_of
from voice_app.simulator.app import create_app

TOOL_CALL = {
    "type": "function_call",
    "id": "item_toolcall1",
    "call_id": "call_toolcall1",
    "name": "current_time",
    "arguments": "{}",
}
DONE = {
    "type": "response.done",
    "event_id": "event_replay01",
    "response": {"object": "realtime.response", "id": "resp_replay01", "status": "completed", "output": [TOOL_CALL]},
}


async def test_a_secret_opens_one_replay_call_whose_server_connection_hears_the_timeline():
    async with serve(create_app()) as url, httpx.AsyncClient(base_url=f"{url}/control") as control:
        (await control.post("/replays", json={"seconds": 1.0, "events": [[0.1, DONE]]})).raise_for_status()
        secret = await mint(f"{url}/v1", session={"tracing": {"metadata": {"voice_app_call": "mark"}}})
        opened = await control.post("/replays/calls", json={"client_secret": secret, "phase": 0.0})
        again = await control.post("/replays/calls", json={"client_secret": secret, "phase": 0.0})
        assert again.status_code == 401, "a secret opens one call"
        async with openai.AsyncOpenAI(base_url=f"{url}/v1", api_key="sk-test", max_retries=0) as client:
            async with client.realtime.connect(call_id=opened.json()["id"]) as connection:
                await connection.session.update(session={"type": "realtime"})
                updated = await next_of(connection, "session.updated")
                assert updated.session.tracing.metadata == {"voice_app_call": "mark"}, "the minted session's"
                now = time.monotonic()
                (await control.post("/replays/start", json={"start": now, "until": now + 1.5})).raise_for_status()
                heard = [(await next_of(connection, "response.done")).response.id for _ in range(2)]
                assert heard == ["resp_replay01x0", "resp_replay01x1"], "looped, its ids made new each loop"
                output = {"type": "function_call_output", "call_id": "call_toolcall1x1", "output": "noon"}
                await connection.conversation.item.create(item=output)
                await connection.session.update(session={"type": "realtime"})
                await next_of(connection, "session.updated")  # the output was taken before it: in order
        result = (await control.get("/replays")).json()
        assert result["calls"] == 1 and len(result["waits"]) == 1 and 0 <= result["waits"][0] < 15
