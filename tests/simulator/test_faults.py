"""Faults on demand: each queued fault hits the next mint, call or session, once."""

import asyncio
import time

import httpx
import pytest

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event
from tests.simulator.test_conversation import spoken_turn
from tests.simulator.test_rest import assert_openai_error, post_secret

SESSION = {"session": {"type": "realtime"}}


@pytest.mark.parametrize(
    "status, code, kind",
    [(401, "invalid_api_key", "invalid_request_error"), (429, "rate_limit_exceeded", "requests"), (500, None, "server_error")],
)
def test_mint_fault_fails_the_next_mint_once(api_url, control, status, code, kind):
    control.post("/faults", json={"mint": {"status": status, "retry_after": 2}}).raise_for_status()
    minted = control.get("/stats").json()["minted"]
    reply = post_secret(api_url, SESSION)
    assert assert_openai_error(reply, status, code)["type"] == kind
    if status == 429:
        assert reply.headers["retry-after"] == "2" and "2" in reply.json()["error"]["message"]
    assert post_secret(api_url, SESSION).status_code == 200
    assert control.get("/stats").json()["minted"] == minted + 1  # the refused one made no secret


def test_slow_mint_fault_delays_then_succeeds(api_url, control):
    control.post("/faults", json={"mint": {"delay": 1.0}}).raise_for_status()
    began = time.monotonic()
    assert post_secret(api_url, SESSION).status_code == 200
    assert time.monotonic() - began >= 1.0  # a lower bound: a busy machine only adds to it
    control.post("/faults", json={"mint": {"delay": 3.0}}).raise_for_status()
    with pytest.raises(httpx.ReadTimeout):  # a delay beyond the client's patience is a timeout
        httpx.post(f"{api_url}/realtime/client_secrets", json=SESSION, headers={"Authorization": "Bearer k"}, timeout=0.5)


def test_latency_delays_every_mint_until_cleared(api_url, control):
    assert control.post("/latency", json={"mint": 0.4, "call": 0.2}).json() == {"mint": 0.4, "call": 0.2}
    for _ in range(2):  # standing, not one-off
        began = time.monotonic()
        assert post_secret(api_url, SESSION).status_code == 200
        assert time.monotonic() - began >= 0.4  # a lower bound: a busy machine only adds to it
    assert control.post("/latency", json={"mint": -1}).json()["error"]["param"] == "mint"
    control.delete("/faults").raise_for_status()  # clears the latency too
    assert control.get("/stats").json()["latency"] == {"mint": 0.0, "call": 0.0}


async def test_call_fault_fails_the_next_call_once(api_url, control):
    control.post("/faults", json={"call": {"status": 503}}).raise_for_status()
    secret = await mint(api_url)
    refused = Call(api_url)
    with pytest.raises(AssertionError, match="503 .*overloaded"):
        await refused.start(secret)
    await refused.close()
    call = Call(api_url)
    await call.start(secret)
    await call.wait_for("session.created")
    await call.close()


def test_faults_are_validated_and_listed(control):
    assert control.post("/faults", json={"mint": {"status": 200}}).status_code == 400
    assert control.post("/faults", json={"meteor": {}}).status_code == 400
    assert control.post("/faults", json={"session": {"response_end": "exploded"}}).status_code == 400
    control.post("/faults", json={"mint": {"status": 500}, "session": {"transcription": "fail"}}).raise_for_status()
    assert control.get("/stats").json()["pending"] == {"mint": 1, "call": 0, "session": 1}
    control.delete("/faults").raise_for_status()
    assert control.get("/stats").json()["pending"] == {"mint": 0, "call": 0, "session": 0}


async def test_session_expires_with_session_expired_then_closes(api_url, control, simulator_url):
    control.post("/faults", json={"session": {"expire_after": 1}}).raise_for_status()
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        error = await call.wait_for("error")
        validate_server_event(error)
        assert error["error"]["code"] == "session_expired"
        await call.wait_closed()
    finally:
        await call.close()


async def test_connection_drop_closes_without_a_word(api_url, control):
    control.post("/faults", json={"session": {"drop_after": 1}}).raise_for_status()
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        await call.wait_for("session.created")
        await call.wait_closed()
        assert call.types() == ["session.created"]
    finally:
        await call.close()


async def test_closing_the_data_channel_leaves_the_call_up_for_the_client_to_end(api_url, control):
    control.post("/faults", json={"session": {"close_channel_after": 1}}).raise_for_status()
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        await call.wait_for("session.created")
        await call.wait_closed()
        assert call.channel.readyState == "closed" and call.pc.connectionState == "connected"
        assert control.get("/stats").json()["calls"] == 1  # until the client hangs up
    finally:
        await call.close()
    deadline = time.monotonic() + 10
    while control.get("/stats").json()["calls"] and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert control.get("/stats").json()["calls"] == 0


@pytest.mark.slow  # a spoken turn, in real time
async def test_transcription_fault_sends_failed_not_completed(api_url, speech_wav, control):
    control.post("/faults", json={"session": {"transcription": "fail"}}).raise_for_status()
    call = await spoken_turn(api_url, speech_wav)
    try:
        failed = await call.wait_for("conversation.item.input_audio_transcription.failed")
        validate_server_event(failed)
        committed = await call.wait_for("input_audio_buffer.committed")
        assert failed["item_id"] == committed["item_id"] and failed["error"]["message"]
        assert "conversation.item.input_audio_transcription.completed" not in call.types()
        assert (await call.wait_for("response.done"))["response"]["status"] == "completed"
    finally:
        await call.close()


@pytest.mark.parametrize(
    "timing, before, after",
    [
        ("early", "conversation.item.input_audio_transcription.completed", "response.created"),
        ("after_response", "response.done", "conversation.item.input_audio_transcription.completed"),
    ],
)
@pytest.mark.slow  # spoken turns, in real time
async def test_transcript_timing_fault_reorders_the_transcription(api_url, speech_wav, control, timing, before, after):
    control.post("/faults", json={"session": {"transcript_timing": timing}}).raise_for_status()
    call = await spoken_turn(api_url, speech_wav)
    try:
        await call.wait_for("conversation.item.input_audio_transcription.completed")
        types = call.types()
        assert types.index(before) < types.index(after)
    finally:
        await call.close()


async def test_duplicate_events_fault_repeats_item_events(api_url, control):
    control.post("/faults", json={"session": {"duplicate_events": True}}).raise_for_status()
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "twice"}]},
        )
        call.send("response.create")
        await call.wait_for("response.done", count=2)
        added = [e for e in call.events if e["type"] == "conversation.item.added"]
        assert len(added) == 4 and added[0] == added[1] and added[2] == added[3]
        assert call.types().count("response.output_audio_transcript.delta") >= 2
    finally:
        await call.close()


async def test_a_paced_stream_sends_numbered_words_no_faster_than_asked(api_url, control):
    control.post("/faults", json={"session": {"stream_rate": 100, "stream_count": 30}}).raise_for_status()
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        await call.wait_for("session.created")
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Go"}]},
        )
        call.send("response.create")
        started = time.monotonic()
        done = await call.wait_for("response.done")
        elapsed = time.monotonic() - started
        deltas = [e["delta"] for e in call.events if e["type"] == "response.output_audio_transcript.delta"]
        assert deltas == [f"w{i} " for i in range(29)] + ["w29"]
        assert done["response"]["output"][0]["content"][0]["transcript"] == " ".join(f"w{i}" for i in range(30))
        assert elapsed >= 29 / 100  # on a clock: never ahead of the asked rate
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()
