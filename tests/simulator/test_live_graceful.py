"""`graceful_close` on the server's own connection (`client.live.sideband.connect`): with it, a
session's end is a close frame after `session.closed`; without it the API may drop the socket
with none (the `abrupt_end` fault), which the server would take for a loss and attach again."""

import asyncio

import pytest

from tests.simulator.live import Sideband, close_checked, faults, simulator, start, until
from voice_app.realtime import sideband


@pytest.mark.parametrize(("params", "code"), [({"graceful_close": True}, 1000), ({}, None)])
async def test_an_abrupt_end_drops_only_a_sideband_that_did_not_ask_for_a_graceful_close(params, code):
    async with simulator() as (url, client):
        await faults(url, session={"abrupt_end": True})
        peer, session_id = await start(url, client)
        try:
            async with Sideband(client, session_id, **params) as attached:
                await attached.send(type="session.close")
                await attached.wait_for("session.closed")
                await until(lambda: attached._reading.done(), what="the sideband's end")
                assert attached.closed_code == code  # None: no close frame came
        finally:
            await close_checked(peer)


async def test_the_server_holds_a_session_to_its_end_once_without_attaching_again():
    async with simulator() as (url, client):
        await faults(url, session={"abrupt_end": True})
        peer, session_id = await start(url, client)
        connects, heard, outbox = [], [], asyncio.Queue()

        def connect():
            connects.append(session_id)
            return sideband.live_session(client, session_id)()

        async def hear(event):
            heard.append(event["type"])

        async def attached():
            outbox.put_nowait({"type": "session.close"})  # the server's own hang-up

        try:
            await sideband.hold(connect, hear, attached, outbox, timeout_s=10)  # returns: no Lost
            assert "session.closed" in heard
            assert len(connects) == 1  # the end was a close, not a drop to attach again after
        finally:
            await close_checked(peer)
