"""The page's data channel: what it may send, what it receives, and how it is told no.
The sideband is trusted: it gets every event whatever the page's permissions."""

import json

from tests.simulator.client import Call
from tests.simulator.live import MODEL, TOOLS, Sideband, checked, close_checked, faults, simulator, start, stats, wait_for

ONLY_TRANSCRIPTS = {
    "data_channel": {
        "allowed_client_events": ["session.close"],
        "allowed_server_events": [
            {"type": "session.output_transcript.delta"},
            {"type": "response.event", "response_event": "response.completed"},
        ],
    }
}


async def test_a_client_event_the_page_may_not_send_is_refused_and_ignored():
    async with simulator() as (url, client):
        peer, _ = await start(url, client, client=ONLY_TRANSCRIPTS, delegation=TOOLS)
        try:
            peer.send("response.create", event_id="evt_page_1")
            refused = await peer.wait_for("error")
            assert refused["error"]["code"] == "client_event_not_allowed"
            assert refused["error"]["type"] == "invalid_request_error" and "response.create" in refused["error"]["message"]
            assert refused["error"]["client_event_id"] == "evt_page_1"
            assert "response.event" not in peer.types()  # ignored: no response was made
        finally:
            await close_checked(peer)


async def test_unknown_and_malformed_client_events_get_errors():
    async with simulator() as (url, client):
        peer, _ = await start(url, client)
        try:
            peer.channel.send("{not json")
            peer.send("conversation.item.create", event_id="evt_x")  # a Realtime event, not a Live one
            peer.channel.send(json.dumps({"event_id": "evt_y"}))
            await peer.wait_for("error", count=3)
            codes = [(e["error"]["code"], e["error"].get("param")) for e in peer.events if e["type"] == "error"]
            assert codes == [("invalid_json", None), ("invalid_value", "type"), ("missing_required_parameter", "type")]
        finally:
            await close_checked(peer)


async def test_the_page_receives_only_the_server_events_it_may_and_the_sideband_all():
    async with simulator() as (url, client):
        peer, session_id = await start(url, client, client=ONLY_TRANSCRIPTS, delegation=TOOLS)
        try:
            async with Sideband(client, session_id) as sideband:
                await sideband.send(type="response.create", event_id="evt_server")
                await sideband.wait_for("response.event")
                done = await wait_for(peer.events, "response.event")
                assert done["event"]["type"] == "response.completed"
                await peer.wait_for("session.output_transcript.delta")
                types = set(peer.types())
                assert types == {"session.started", "info", "response.event", "session.output_transcript.delta"}
                assert all(e["event"]["type"] == "response.completed" for e in peer.events if e["type"] == "response.event")
                nested = [e["event"]["type"] for e in sideband.events if e["type"] == "response.event"]
                assert nested[0] == "response.created" and "response.output_text.delta" in nested
        finally:
            await close_checked(peer)


async def test_a_command_before_session_started_is_refused_and_the_session_runs_on():
    """ "Wait for session.started on the data channel before sending commands": a hang-up sent as
    the channel opens is refused, and the session goes on (billed) until one comes after it."""
    async with simulator() as (url, client):
        await faults(url, session={"started_after": 1.0})
        peer = Call(url + "/v1")
        try:
            created = await client.live.create(session={"model": MODEL}, transport={"type": "webrtc", "sdp": await peer.offer()})
            await peer.connect(created.transport.sdp)  # the channel is open; the session has not started
            peer.send("session.close", event_id="evt_early")
            refused = checked(await peer.wait_for("error"))
            assert (refused["error"]["code"], refused["error"]["client_event_id"]) == ("session_not_started", "evt_early")
            await peer.wait_for("session.started")
            assert peer.types().index("error") < peer.types().index("session.started")
            assert "session.closed" not in peer.types() and (await stats(url))["live_sessions"] == 1  # still running
            peer.send("session.close", event_id="evt_after")
            closed = await peer.wait_for("session.closed")
            assert (closed["reason"], closed["client_event_id"]) == ("close_requested", "evt_after")
        finally:
            await close_checked(peer)
