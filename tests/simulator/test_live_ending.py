"""How a Live session ends, and who is told: `session.closed` with the reason and final usage,
then the sideband closes normally and the peer connection goes away."""

import json

import openai
import pytest
from websockets.exceptions import InvalidStatus

from tests.simulator.live import KEY, Sideband, close_checked, faults, simulator, start, stats, until


async def test_session_close_from_the_sideband_tells_everyone_then_ends_normally():
    async with simulator() as (url, client):
        peer, session_id = await start(url, client)
        try:
            async with Sideband(client, session_id) as sideband:
                assert (await stats(url))["attached"] == 1
                await sideband.send(type="session.close", event_id="evt_bye")
                closed = await sideband.wait_for("session.closed")
                assert (closed["reason"], closed["client_event_id"], closed["session"]["id"]) == (
                    "close_requested",
                    "evt_bye",
                    session_id,
                )
                assert closed["usage"]["active_seconds"] + closed["usage"]["paused_seconds"] == closed["usage"]["seconds"]
                assert (await peer.wait_for("session.closed"))["reason"] == "close_requested"
                await until(lambda: sideband.closed_code, what="the sideband's close")
                assert sideband.closed_code == 1000
                await peer.wait_closed()
            assert (await stats(url))["live_sessions"] == 0 and (await stats(url))["attached"] == 0
        finally:
            await close_checked(peer)


async def test_the_page_may_close_its_session():
    async with simulator() as (url, client):
        peer, _ = await start(url, client)
        try:
            peer.send("session.close")
            assert (await peer.wait_for("session.closed"))["reason"] == "close_requested"
            await peer.wait_closed()
        finally:
            await close_checked(peer)


@pytest.mark.parametrize(
    ("plan", "reason", "page_told"),
    [
        ({}, "connection_lost", False),  # the browser goes away
        ({"expire_after": 0.5}, "expired", True),
        ({"drop_after": 0.5}, "connection_lost", False),
    ],
)
async def test_the_sideband_hears_why_the_session_ended(plan, reason, page_told):
    async with simulator() as (url, client):
        if plan:
            await faults(url, session=plan)
        peer, session_id = await start(url, client)
        try:
            async with Sideband(client, session_id) as sideband:
                if not plan:
                    await peer.close()
                assert (await sideband.wait_for("session.closed"))["reason"] == reason
                await until(lambda: sideband.closed_code, what="the sideband's close")
                assert sideband.closed_code == 1000
            await peer.wait_closed()
            assert ("session.closed" in peer.types()) == page_told
        finally:
            await close_checked(peer)


@pytest.mark.parametrize(
    ("key", "plan", "session_id", "status", "code"),
    [
        ("ek_a-client-secret", {}, None, 401, "invalid_api_key"),
        ("sk-wrong-key-0000", {}, None, 401, "invalid_api_key"),
        (KEY, {}, "live_not-a-session", 404, "session_not_found"),
        (KEY, {"refuse_attach": True}, None, 403, "forbidden"),
    ],
)
async def test_an_attach_is_refused_as_the_api_refuses_it(key, plan, session_id, status, code):
    async with simulator() as (url, client):
        if plan:
            await faults(url, session=plan)
        peer, live_id = await start(url, client)
        try:
            async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=key, max_retries=0) as other:
                with pytest.raises(InvalidStatus) as refused:
                    async with Sideband(other, session_id or live_id):
                        pass
            response = refused.value.response
            assert (response.status_code, json.loads(response.body)["error"]["code"]) == (status, code)
        finally:
            await close_checked(peer)


async def test_a_dropped_attach_can_attach_again():
    async with simulator() as (url, client):
        await faults(url, session={"drop_attach_after": 0.3})
        peer, session_id = await start(url, client)
        try:
            async with Sideband(client, session_id) as first:
                await until(lambda: first.closed_code, what="the drop")
                assert first.closed_code == 1011
            async with Sideband(client, session_id) as second:
                await second.send(type="session.close")
                assert (await second.wait_for("session.closed"))["reason"] == "close_requested"
        finally:
            await close_checked(peer)


async def test_shutting_the_simulator_down_ends_its_live_sessions():
    async with simulator() as (url, client):
        peer, _ = await start(url, client)
    try:
        await peer.wait_closed()  # the simulator's close_all ended the session as it stopped
    finally:
        await close_checked(peer)
