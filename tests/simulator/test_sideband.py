"""The server's own connection to a WebRTC call, with the official SDK as the server:
`client.realtime.connect(call_id=...)` hears the call and speaks into it."""

import asyncio

import httpx
import openai
import pytest
import websockets

from tests.conftest import standalone_simulator
from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event
from voice_app.realtime import sideband

KEY = "sk-sideband-test-0123456789"


@pytest.fixture(scope="module")
def simulator():
    with standalone_simulator(api_key=KEY) as (url, _, _log):
        yield url


@pytest.fixture
async def server(simulator):
    async with openai.AsyncOpenAI(base_url=simulator + "/v1", api_key=KEY, max_retries=0) as client:
        yield client


def stats(simulator: str) -> dict:
    return httpx.get(f"{simulator}/control/stats").json()


async def live_call(simulator: str, faults: dict | None = None) -> tuple[Call, str]:
    if faults:
        httpx.post(f"{simulator}/control/faults", json={"session": faults}).raise_for_status()
    call = Call(simulator + "/v1")
    await call.start(await mint(simulator + "/v1", key=KEY))
    await call.wait_for("session.created")
    return call, call.location.rsplit("/", 1)[-1]


async def next_of(connection, kind: str, timeout: float = 15.0) -> dict:
    async def find():
        async for event in connection:
            validate_server_event(event.model_dump(mode="json", exclude_none=True))
            if event.type == kind:
                return event

    return await asyncio.wait_for(find(), timeout)


async def test_the_server_hears_the_call_and_what_it_adds_reaches_the_page(simulator, server):
    call, call_id = await live_call(simulator)
    try:
        async with server.realtime.connect(call_id=call_id) as connection:
            assert stats(simulator)["attached"] == 1
            call.send(
                "conversation.item.create",
                item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "From the page"}]},
            )
            heard = await next_of(connection, "conversation.item.added")
            assert heard.item.content[0].text == "From the page"
            await connection.conversation.item.create(
                item={
                    "type": "message",
                    "role": "system",
                    "id": "item_server1",
                    "content": [{"type": "input_text", "text": "From the server"}],
                }
            )
            added = await call.wait_for("conversation.item.added", count=2)
            assert added["item"]["id"] == "item_server1", "the page's data channel shows it"
            await connection.response.create()
            assert (await next_of(connection, "response.done")).response.status == "completed"
            await call.close()  # the call ends: so does the server's connection
            with pytest.raises(websockets.ConnectionClosedOK):
                while True:  # what was on its way, then the close
                    await asyncio.wait_for(connection.recv(), 15)
    finally:
        await call.close()
    for _ in range(50):
        if stats(simulator)["attached"] == 0:
            break
        await asyncio.sleep(0.1)
    assert stats(simulator)["attached"] == 0, "nothing is left attached"


@pytest.mark.parametrize(
    "who, faults, status", [("client secret", None, 401), ("unknown call", None, 404), ("refused", {"refuse_attach": True}, 403)]
)
async def test_an_attach_the_api_would_refuse_is_refused_with_its_status(simulator, who, faults, status):
    call, call_id = await live_call(simulator, faults)
    try:
        key = await mint(simulator + "/v1", key=KEY) if who == "client secret" else KEY
        async with openai.AsyncOpenAI(base_url=simulator + "/v1", api_key=key, max_retries=0) as client:
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with client.realtime.connect(call_id="rtc_nowhere" if who == "unknown call" else call_id):
                    pass
        assert refused.value.response.status_code == status
    finally:
        await call.close()


async def test_a_dropped_attach_leaves_the_call_up(simulator, server):
    call, call_id = await live_call(simulator, {"drop_attach_after": 0.5})
    try:
        async with server.realtime.connect(call_id=call_id) as connection:
            with pytest.raises(websockets.ConnectionClosedError):
                while True:
                    await asyncio.wait_for(connection.recv(), 10)
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Still here"}]},
        )
        assert (await call.wait_for("conversation.item.added"))["item"]["content"][0]["text"] == "Still here"
        async with server.realtime.connect(call_id=call_id) as again:  # attached again, it holds
            await asyncio.sleep(1.0)
            await again.send(
                {
                    "type": "conversation.item.create",
                    "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Back"}]},
                }
            )
            assert (await next_of(again, "conversation.item.added")).item.content[0].text == "Back"
    finally:
        await call.close()


# -- the app's side: realtime/sideband.hold, against the simulator's refusals and drops ----------


async def holding(server, call_id: str):
    """Run `hold` on a call: the events it heard, how often it attached, and the task."""
    heard, attaches = [], []

    async def on_attached():
        attaches.append(1)

    async def on_heard(event):
        heard.append(event)

    task = asyncio.create_task(sideband.hold(sideband.realtime_call(server, call_id), on_heard, on_attached, asyncio.Queue(), 10))
    return heard, attaches, task


async def test_hold_lasts_the_call_and_attaches_again_after_a_drop(simulator, server):
    call, call_id = await live_call(simulator, {"drop_attach_after": 0.3})
    try:
        heard, attaches, task = await holding(server, call_id)
        async with asyncio.timeout(15):
            while len(attaches) < 2:  # dropped, and attached again
                await asyncio.sleep(0.05)
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "After the drop"}]},
        )
        await call.wait_for("conversation.item.added")
        await call.close()
        await asyncio.wait_for(task, 15)  # returns once the call ends
    finally:
        await call.close()
    assert len(attaches) == 2
    assert any(e["type"] == "conversation.item.added" and e["item"]["content"][0]["text"] == "After the drop" for e in heard)


async def test_hold_gives_up_at_once_on_a_refusal_and_returns_for_a_call_that_is_over(simulator, server):
    call, call_id = await live_call(simulator, {"refuse_attach": True})
    try:
        _, attaches, task = await holding(server, call_id)
        with pytest.raises(sideband.Lost, match=r"refused .*\(403\)"):
            await asyncio.wait_for(task, 5)
        assert attaches == []
    finally:
        await call.close()
    _, attaches, task = await holding(server, "rtc_" + "x" * 22)  # no such call: nothing to hold
    await asyncio.wait_for(task, 5)
    assert attaches == []
