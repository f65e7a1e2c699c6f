"""The official `openai` SDK as a client of the standalone simulator: what it sends is taken,
what it gets back parses into its types, and refusals raise its errors with the API's codes."""

import openai
import pytest
from openai.types.realtime import ClientSecretCreateResponse, RealtimeTruncationRetentionRatio

from tests.conftest import standalone_simulator
from tests.simulator.client import Call
from tests.simulator.schema import validate_server_event

KEY = "sk-sdk-test-0123456789abcdef"
RICH = {
    "type": "realtime",
    "model": "gpt-realtime-2",
    "instructions": "Answer in French.",
    "reasoning": {"effort": "medium"},
    "prompt": {"id": "pmpt_abc", "variables": {"name": "Ada"}},
    "tools": [
        {"type": "function", "name": "get_time", "parameters": {"type": "object", "properties": {}}},
        {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.com", "require_approval": "never"},
    ],
    "tool_choice": {"type": "function", "name": "get_time"},
    "truncation": {"type": "retention_ratio", "retention_ratio": 0.5},
    "tracing": {"workflow_name": "sdk-test"},
    "max_output_tokens": 800,
    "audio": {
        "input": {
            "noise_reduction": {"type": "near_field"},
            "transcription": {"model": "gpt-live-transcribe", "language": "fr"},
            "turn_detection": {"type": "server_vad", "idle_timeout_ms": 8000},
        },
        "output": {"voice": "cedar"},
    },
}


@pytest.fixture(scope="module")
def sdk_url():
    with standalone_simulator(api_key=KEY) as (url, _, _log):
        yield url + "/v1"


@pytest.fixture
async def client(sdk_url):
    async with openai.AsyncOpenAI(base_url=sdk_url, api_key=KEY, max_retries=0) as client:
        yield client


async def test_sdk_mints_a_rich_session_into_its_response_type(client):
    minted = await client.realtime.client_secrets.create(session=RICH, expires_after={"anchor": "created_at", "seconds": 120})
    assert isinstance(minted, ClientSecretCreateResponse) and minted.value.startswith("ek_")
    session = minted.session
    assert (session.model, session.reasoning.effort, session.max_output_tokens) == ("gpt-realtime-2", "medium", 800)
    assert session.tool_choice.name == "get_time" and session.tools[1].server_label == "docs"
    assert isinstance(session.truncation, RealtimeTruncationRetentionRatio) and session.truncation.retention_ratio == 0.5
    assert session.tracing.workflow_name == "sdk-test" and session.prompt.variables == {"name": "Ada"}
    assert session.audio.input.noise_reduction.type == "near_field"
    assert session.audio.input.transcription.language == "fr"
    assert session.audio.input.turn_detection.idle_timeout_ms == 8000


async def test_sdk_call_with_a_session_connects_and_carries_that_session(client, sdk_url):
    peer = Call(sdk_url)
    try:
        answer = await client.realtime.calls.with_raw_response.create(sdp=await peer.offer(), session=RICH)
        assert answer.status_code == 201 and answer.headers["content-type"].startswith("application/sdp")
        await peer.connect(answer.text)
        created = await peer.wait_for("session.created")
        validate_server_event(created)
        assert created["session"]["instructions"] == "Answer in French."
        assert created["session"]["tool_choice"] == {"type": "function", "name": "get_time"}
        assert created["session"]["audio"]["output"]["voice"] == "cedar"

        await client.realtime.calls.hangup(answer.headers["location"].rsplit("/", 1)[-1])
        await peer.wait_closed()
    finally:
        await peer.close()


async def test_sdk_call_without_a_session_gets_the_defaults(client, sdk_url):
    peer = Call(sdk_url)
    try:
        await peer.connect((await client.realtime.calls.create(sdp=await peer.offer())).text)
        assert (await peer.wait_for("session.created"))["session"]["model"] == "gpt-realtime-2.1"
    finally:
        await peer.close()


async def test_sdk_raises_bad_request_with_the_apis_code_and_param(client):
    with pytest.raises(openai.BadRequestError) as refused:
        await client.realtime.client_secrets.create(session={**RICH, "max_output_tokens": 5000})
    assert (refused.value.code, refused.value.param) == ("integer_above_max_value", "session.max_output_tokens")
    with pytest.raises(openai.BadRequestError) as refused:
        await client.realtime.calls.create(sdp="v=0", session={"type": "realtime", "audio": {"output": {"voice": "robot"}}})
    assert (refused.value.code, refused.value.param) == ("invalid_value", "session.audio.output.voice")


async def test_sdk_raises_not_found_for_a_call_that_is_not_there(client):
    with pytest.raises(openai.NotFoundError) as refused:
        await client.realtime.calls.hangup("rtc_gone")
    assert refused.value.code == "call_id_not_found"


async def test_sdk_with_a_wrong_key_raises_authentication_error(sdk_url):
    async with openai.AsyncOpenAI(base_url=sdk_url, api_key="sk-wrong-key-0000", max_retries=0) as wrong:
        with pytest.raises(openai.AuthenticationError) as refused:
            await wrong.realtime.client_secrets.create(session={"type": "realtime"})
    assert refused.value.code == "invalid_api_key" and "sk-wrong-key-0000" not in refused.value.message


async def test_sdk_refuses_a_truncation_limit_past_the_models_window_less_its_output(client):
    def limited(model: str, limit: int) -> dict:
        return {
            "type": "realtime",
            "model": model,
            "truncation": {"type": "retention_ratio", "retention_ratio": 0.5, "token_limits": {"post_instructions": limit}},
        }

    for model, most in (("gpt-realtime-1.5", 32_000 - 4_096), ("gpt-realtime-2.1", 128_000 - 32_000)):
        minted = await client.realtime.client_secrets.create(session=limited(model, most))
        assert minted.session.truncation.token_limits.post_instructions == most
        with pytest.raises(openai.BadRequestError) as refused:
            await client.realtime.client_secrets.create(session=limited(model, most + 1))
        assert (refused.value.code, refused.value.param) == (
            "integer_above_max_value",
            "session.truncation.token_limits.post_instructions",
        )
        assert refused.value.type == "invalid_request_error" and f"<= {most}" in refused.value.message
