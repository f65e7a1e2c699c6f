"""`POST /v1/live/sessions` with the official SDK: the session it creates, and what it refuses."""

import openai
import pytest
from openai.types.live import MediaSessionConfigParam

from tests.simulator.client import Call
from tests.simulator.live import MODEL, TOOLS, close_checked, faults, simulator, start, stats
from voice_app.simulator.live.schema import LiveSession

HISTORY = [
    {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Be brief."}]},
    {"role": "user", "content": [{"type": "input_text", "text": "My name is Ada."}]},
    {"role": "assistant", "content": [{"type": "output_text", "text": "Hello Ada."}]},
]


async def test_the_sdk_creates_a_session_whose_answer_connects_and_starts():
    async with simulator() as (url, client):
        peer, session_id = await start(
            url,
            client,
            audio={"output": {"voice": "cedar"}},
            input=HISTORY,
            instructions="Speak French.",
            delegation=TOOLS,
            store=True,
            idle_timeout_s=30,
            wake_policy={"type": "speech", "vad_threshold": 0.4},
        )
        try:
            assert session_id.startswith("live_") and len(session_id) == 29
            assert peer.types()[0] == "session.started"
            started = peer.events[0]["session"]
            assert (started["id"], started["model"], started["status"]) == (session_id, MODEL, "active")
            assert started["audio"]["output"]["voice"] == "cedar" and started["instructions"] == "Speak French."
            assert started["input"][1]["content"][0]["text"] == "My name is Ada."
            assert started["delegation"]["responses"]["tools"][0]["name"] == "remember"
            assert "info" not in peer.types()  # no permissions were set
            assert (await stats(url))["live_sessions"] == 1
        finally:
            await close_checked(peer)


async def test_the_default_voice_is_marin_and_permissions_are_told():
    async with simulator() as (url, client):
        peer, _ = await start(url, client, client={"data_channel": {"allowed_client_events": ["session.close"]}})
        try:
            assert peer.events[0]["session"]["audio"]["output"]["voice"] == "marin"
            info = await peer.wait_for("info")
            assert info["code"] == "data_channel_permissions" and "session.close" in info["message"]
        finally:
            await close_checked(peer)


@pytest.mark.parametrize(
    ("session", "code", "param"),
    [
        ({"model": "gpt-realtime-2.1"}, "invalid_value", "session.model"),
        ({"model": MODEL, "speed": 1.2}, "unknown_parameter", "session.speed"),
        (
            {"model": MODEL, "input": [{"role": "user", "content": [{"type": "input_text", "text": "a"}] * 2}]},
            "invalid_value",
            "session.input[0].content",
        ),
        (
            {"model": MODEL, "input": [{"role": "user", "content": [{"type": "input_text", "text": "a"}]}] * 129},
            "array_above_max_length",
            "session.input",
        ),
        (
            {"model": MODEL, "input": [{"role": "user", "content": [{"type": "input_text", "text": "字" * 3000}]}] * 3},
            "context_length_exceeded",
            "session.input",
        ),  # 128 messages or fewer, but past 8,192 tokens
        ({"model": MODEL, "audio": {"output": {"voice": "robot"}}}, "invalid_value", "session.audio.output.voice"),
        (
            {"model": MODEL, "client": {"data_channel": {"allowed_server_events": [{"type": "response.event"}]}}},
            "invalid_value",
            "session.client.data_channel.allowed_server_events[0].response_event",
        ),
        (
            {"model": MODEL, "client": {"data_channel": {"allowed_client_events": ["made.up"]}}},
            "invalid_value",
            "session.client.data_channel.allowed_client_events[0]",
        ),
    ],
)
async def test_a_bad_session_is_refused_with_its_param(session, code, param):
    async with simulator() as (_url, client):
        with pytest.raises(openai.BadRequestError) as refused:
            await client.live.create(session=session, transport={"type": "webrtc", "sdp": "v=0"})
        assert (refused.value.code, refused.value.param) == (code, param)


async def test_a_bad_offer_is_refused_and_leaves_no_session():
    async with simulator() as (url, client):
        with pytest.raises(openai.BadRequestError) as refused:
            await client.live.create(session={"model": MODEL}, transport={"type": "webrtc", "sdp": "v=0"})
        assert refused.value.param == "transport.sdp" and (await stats(url))["live_sessions"] == 0


@pytest.mark.parametrize("key", ["ek_a-client-secret", "sk-wrong-key-0000"])
async def test_only_the_api_key_creates_sessions(key):
    async with simulator() as (url, _client):
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=key, max_retries=0) as wrong:
            with pytest.raises(openai.AuthenticationError) as refused:
                await wrong.live.create(session={"model": MODEL}, transport={"type": "webrtc", "sdp": "v=0"})
        assert refused.value.code == "invalid_api_key" and key not in refused.value.message


async def test_the_call_fault_refuses_a_session():
    async with simulator() as (url, client):
        await faults(url, call={"status": 503})
        peer = Call(url + "/v1")
        try:
            with pytest.raises(openai.InternalServerError):
                await client.live.create(session={"model": MODEL}, transport={"type": "webrtc", "sdp": await peer.offer()})
        finally:
            await peer.close()


def test_the_accepted_session_fields_are_the_sdks():
    """A field added to the SDK's MediaSessionConfigParam must be added here too (or refused knowingly)."""
    assert set(LiveSession.model_fields) == set(MediaSessionConfigParam.__annotations__)
