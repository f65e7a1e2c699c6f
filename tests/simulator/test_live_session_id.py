"""GPT-Live's session id is opaque ("preserve the returned value unchanged"): one of another shape
than the simulator's own is kept as it is, and the server attaches to, hears and closes its
session by it (the SDK percent-encodes it into the sideband's path)."""

import asyncio

import pytest

from tests.simulator.client import Call
from tests.simulator.live import KEY, MODEL, close_checked, faults, simulator
from voice_app.live import sessions
from voice_app.realtime import rest, sideband
from voice_app.realtime.settings import ApiSettings

SHAPES = ["live:2026/12/02=a.b", "sess_ü?x#y%20z&q=1", "rtc_looks_like_a_call"]


@pytest.mark.parametrize("session_id", SHAPES)
async def test_a_session_id_of_another_shape_is_kept_and_the_server_holds_its_session_by_it(session_id):
    async with simulator() as (url, client):
        await faults(url, session={"session_id": session_id})
        peer = Call(url + "/v1")
        try:
            started = await sessions.create(
                rest.client(ApiSettings(api_key=KEY, base_url=url + "/v1")), {"model": MODEL}, await peer.offer()
            )
            assert started.id == session_id
            await peer.connect(started.answer)
            assert (await peer.wait_for("session.started"))["session"]["id"] == session_id
            heard, outbox = [], asyncio.Queue()

            async def hear(event):
                heard.append(event["type"])

            async def attached():
                outbox.put_nowait({"type": "session.close"})

            await sideband.hold(sideband.live_session(client, started.id), hear, attached, outbox, timeout_s=10)
            assert "session.closed" in heard  # attached by that id, and closed by it
            assert (await peer.wait_for("session.closed"))["reason"] == "close_requested"
        finally:
            await close_checked(peer)


@pytest.mark.parametrize(
    ("session_id", "usable"),
    [
        *((shape, True) for shape in SHAPES),
        ("x" * 256, True),
        ("", False),
        ("x" * 257, False),
        ("live_1\nforged log line", False),
        ("live\x00", False),
        (".", False),
        ("..", False),
        (42, False),
        (None, False),
    ],
)
def test_only_what_safety_needs_is_checked(session_id, usable):
    assert sessions.usable_id(session_id) == usable
