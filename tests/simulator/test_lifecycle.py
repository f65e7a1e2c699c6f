"""Calls end cleanly: nothing is left behind on the simulator, however a call ends."""

import asyncio
import signal
import time

import httpx
import pytest

from tests.conftest import standalone_simulator
from tests.simulator.client import Call, mint
from voice_app.realtime import rest
from voice_app.realtime.client_secrets import hang_up
from voice_app.realtime.settings import ApiSettings


def stats(simulator_url) -> dict:
    return httpx.get(f"{simulator_url}/control/stats").json()


async def settle(simulator_url, tasks_at_most: int, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        now = stats(simulator_url)
        if (now["calls"] == 0 and now["tasks"] <= tasks_at_most) or time.monotonic() > deadline:
            return now
        await asyncio.sleep(0.1)


@pytest.mark.slow  # twenty calls, one after another
async def test_twenty_calls_in_a_row_leave_no_calls_or_tasks_behind(api_url, simulator_url):
    # One call first, so whatever the server starts once (and keeps) is in the baseline.
    warm = Call(api_url)
    await warm.start(await mint(api_url))
    await warm.close()
    baseline = (await settle(simulator_url, tasks_at_most=10**6))["tasks"]
    for index in range(20):
        call = Call(api_url)
        await call.start(await mint(api_url))
        await call.wait_for("session.created")
        if index % 4 == 0:  # hang up in the middle of an answer, too
            call.send("response.create")
            await call.wait_for("output_audio_buffer.started")
        await call.close()
    after = await settle(simulator_url, tasks_at_most=baseline)
    assert after["calls"] == 0, after
    assert after["tasks"] <= baseline, f"{after['tasks']} tasks now, {baseline} before the 20 calls"


async def test_call_ends_on_the_server_when_the_client_hangs_up(api_url, simulator_url):
    call = Call(api_url)
    await call.start(await mint(api_url))
    await call.wait_for("session.created")
    assert stats(simulator_url)["calls"] == 1
    await call.close()
    assert (await settle(simulator_url, tasks_at_most=10**6))["calls"] == 0


@pytest.mark.slow  # starts and stops a simulator of its own
async def test_stopping_the_simulator_ends_its_calls_and_exits_cleanly():
    with standalone_simulator() as (url, process, log):
        call = Call(url + "/v1")
        await call.start(await mint(url + "/v1"))
        await call.wait_for("session.created")
        process.send_signal(signal.SIGTERM)
        await call.wait_closed()
        # uvicorn shuts down gracefully, then re-raises the signal so the exit says why.
        assert await asyncio.to_thread(process.wait, 10) in (0, -signal.SIGTERM)
        await call.close()
        log.seek(0)
        assert "Traceback" not in log.read()


async def test_the_server_hangs_up_a_call_by_its_id_with_its_key(api_url, simulator_url):
    call = Call(api_url)
    await call.start(await mint(api_url))
    await call.wait_for("session.created")
    call_id = call.location.rsplit("/", 1)[-1]
    api = rest.client(ApiSettings(api_key="sk-server-key", base_url=api_url))
    assert await hang_up(api, call_id) is True
    await call.wait_closed()  # the client sees its data channel close
    assert (await settle(simulator_url, tasks_at_most=10**6))["calls"] == 0
    assert await hang_up(api, call_id) is False  # already over: not an error
    with pytest.raises(ValueError):
        await hang_up(api, "../client_secrets")
    await call.close()
