"""A call outlives its worker: a child process holds a call's server connection (against a
standalone simulator, with the API key) and is killed with SIGKILL mid-call; the call goes on
unheard (a turn answered, a tool call asked); this process takes the call over once the lease
lapses, retrieves what it did not hear, runs the waiting tool call once and the model's next one,
and the saved conversation has every entry once, in order."""

import asyncio
import os
import signal
import subprocess
import sys

import openai
import pytest
import sqlalchemy
from reflex.config import get_config

from tests.call_holder_child import StandInPage
from tests.conftest import ROOT, standalone_simulator
from tests.simulator.client import Call, mint
from voice_app.realtime import binding
from voice_app.realtime.transcript import Transcript
from voice_app.service import backend, call_leases, call_takeover, conversations, shared_redis
from voice_app.service.call_leases import HeldCall

KEY = "sk-takeover-test-0123456789"


@pytest.fixture(scope="module")
def simulator():
    with standalone_simulator(api_key=KEY) as (url, _, _log):
        yield url


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'takeover.db'}"
    conversations.Conversation.metadata.create_all(sqlalchemy.create_engine(url))  # the tables, as migrations make them
    monkeypatch.setattr(get_config(), "db_url", url)
    return url


async def registered(call_id: str, until, what: str, timeout: float = 30.0) -> HeldCall:
    """The call's registry entry, once `until(entry)` holds (polled)."""
    async with asyncio.timeout(timeout):
        while True:
            text = await shared_redis.client().hget(call_leases.CALLS, call_id)
            call = HeldCall.loads(text) if text else None
            if call is not None and until(call):
                return call
            await asyncio.sleep(0.05)


async def saved_entries(conversation_id: str, count: int) -> list[dict]:
    async with asyncio.timeout(30):
        while True:
            saved = await asyncio.to_thread(conversations.load, "owner", int(conversation_id))
            if saved and len(saved.entries) >= count and saved.entries[-1].get("status") == "done":
                return saved.entries
            await asyncio.sleep(0.1)


def a_tool_turn(call: Call, note: str) -> None:
    a_turn(call, f'remember {{"note": "{note}"}}')


def a_turn(call: Call, text: str) -> None:
    call.send(
        "conversation.item.create", item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    )
    call.send("response.create")


async def test_a_call_whose_holder_is_killed_is_taken_over_runs_its_next_tool_and_is_saved_once(
    simulator, database, redis_url, monkeypatch
):
    monkeypatch.setattr(shared_redis, "CONFIG", shared_redis.CONFIG.model_copy(update={"reflex_redis_url": redis_url}))
    monkeypatch.setattr(
        backend, "sideband_client", lambda: openai.AsyncOpenAI(base_url=simulator + "/v1", api_key=KEY, max_retries=0)
    )
    await shared_redis.client().flushdb()
    mark = binding.new_mark()
    session = {"tools": backend.TOOLS.schemas(), "tracing": binding.tracing(mark), "output_modalities": ["text"]}
    call = Call(simulator + "/v1")
    await call.start(await mint(simulator + "/v1", session=session, key=KEY))
    call_id = call.location.rsplit("/", 1)[-1]
    env = {**os.environ, "REFLEX_REDIS_URL": redis_url, "REFLEX_DB_URL": database, "OPENAI_API_KEY": KEY}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.call_holder_child", call_id, mark],
        cwd=ROOT,
        env={**env, "OPENAI_BASE_URL": simulator + "/v1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    running: set[asyncio.Task] = set()
    try:
        await registered(call_id, lambda held: held.bound, "bound by the first holder", timeout=60)
        a_tool_turn(call, "the blue door")
        await call.wait_for("response.done", count=2, timeout=30)  # the call, then the answer to its output
        first = await registered(call_id, lambda held: held.conversation_id, "saved")
        await saved_entries(first.conversation_id, 3)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        a_turn(call, "Said while no server heard")  # the call goes on: a turn answered,
        await call.wait_for("response.done", count=3, timeout=30)
        a_tool_turn(call, "the green door")  # and a tool call the model then waits for
        await call.wait_for("response.done", count=4, timeout=30)

        page = StandInPage()
        shown = Transcript()  # what the page shows, from its data channel: the ids are a hint
        heard_before = list(call.events)
        shown.take(heard_before)
        page.shown = [entry["id"] for entry in shown.entries]
        async with asyncio.timeout(30):  # the lease lapses (LEASE_TTL_S), then this worker takes it
            while not running:
                await call_takeover.take_over_lapsed(lambda token: page, running)
                await asyncio.sleep(call_takeover.TAKEOVER_EVERY_S)
        async with asyncio.timeout(30):
            while ("attached", call_id) not in page.told:
                await asyncio.sleep(0.05)
        assert not [told for told in page.told if told[0] == "lost"], "a takeover is silent"
        await call.wait_for("response.done", count=5, timeout=30)  # the waiting call ran here: answered
        a_tool_turn(call, "the red door")
        await call.wait_for("response.done", count=7, timeout=30)
        ran = [told for told in page.told if told[0] == "tool_finished"]
        assert ran == [("tool_finished", "Noted (1 on the pad).")] * 2, "the waiting call and the next, once each"
        await call.close()  # the call ends: so does the hold, with its last save
        async with asyncio.timeout(30):
            while running:
                await asyncio.sleep(0.05)
        entries = await saved_entries(first.conversation_id, 11)
        turn, tool_turn = ["user", "assistant"], ["user", "tool", "assistant"]
        assert [entry["role"] for entry in entries] == tool_turn + turn + tool_turn * 2
        assert len({entry["id"] for entry in entries}) == 11, "every entry once"
        said = [entry["id"] for entry in shown.entries] + [
            e["item"]["id"]
            for e in call.events[len(heard_before) :]
            if e["type"] == "conversation.item.added" and e["item"]["type"] != "function_call_output"
        ]
        assert [entry["id"] for entry in entries] == said, "in the call's order"
        assert [entry["status"] for entry in entries] == ["done"] * 11
        assert "Said while no server heard" in entries[3]["text"] and "green door" in entries[6]["text"]
        assert "Noted" in entries[6]["text"] and "red door" in entries[8]["text"]
        assert not await shared_redis.client().hexists(call_leases.CALLS, call_id), "over: out of the registry"
    finally:
        for task in running:
            task.cancel()
        if child.poll() is None:
            child.kill()
            child.wait(10)
        await call.close()
