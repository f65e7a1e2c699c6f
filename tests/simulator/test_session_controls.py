"""The session controls the simulator honours as the API does: reasoning only for models that
reason, idle nudges (server VAD idle_timeout_ms), text-only answers, and max_output_tokens."""

import httpx
import pytest

from tests.simulator.sessions import LONG_TEXT, close_checked, connect, type_turn
from voice_app.realtime import catalog
from voice_app.realtime.session_options import IDLE_TIMEOUT_MS
from voice_app.realtime.settings import SessionSettings
from voice_app.simulator.idle import NUDGE

TOOL_TURN = 'Let me check: current_time {"timezone": "Asia/Tokyo"}'


def mint_status(api_url: str, session: dict) -> httpx.Response:
    return httpx.post(
        api_url + catalog.CLIENT_SECRETS_PATH,
        headers={"Authorization": "Bearer sk-test"},
        json={"session": {"type": "realtime", **session}},
    )


def test_reasoning_is_refused_for_a_model_that_does_not_reason(api_url):
    refused = mint_status(api_url, {"model": "gpt-realtime-1.5", "reasoning": {"effort": "low"}})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unsupported_parameter" and refused.json()["error"]["param"] == "session.reasoning"
    taken = mint_status(api_url, {"model": "gpt-realtime-2", "reasoning": {"effort": "xhigh"}})
    assert taken.status_code == 200 and taken.json()["session"]["reasoning"] == {"effort": "xhigh"}


def test_every_session_the_app_mints_with_all_options_is_taken(api_url):
    chosen = SessionSettings(
        reasoning_effort="minimal",
        idle_timeout_ms=IDLE_TIMEOUT_MS[0],
        answer_mode="text",
        transcription_model="gpt-live-transcribe",
        transcription_language="de",
        transcription_prompt="Namen",
        transcription_keywords="Reflex, WebRTC",
        truncation="retention_ratio",
        retention_ratio=0.6,
        truncation_token_limit=8000,
        max_output_tokens=900,
        instructions_source="stored_prompt",
        prompt_id="pmpt_abc",
        prompt_version="2",
        prompt_variables="who=Ada",
    )
    for model in catalog.MODELS:  # a model that does not reason is sent no reasoning
        minted = mint_status(api_url, chosen.with_changes(model=model).session())
        assert minted.status_code == 200, minted.text
        session = minted.json()["session"]
        assert session["truncation"]["retention_ratio"] == 0.6 and session["prompt"]["variables"] == {"who": "Ada"}
        assert session["audio"]["input"]["transcription"]["language"] == "de" and session["output_modalities"] == ["text"]
        assert session["audio"]["input"]["transcription"]["keywords"] == ["Reflex", "WebRTC"]


@pytest.mark.slow  # the idle timeout passes in real time
async def test_an_idle_nudge_commits_the_silence_and_the_model_speaks_up(api_url):
    call = await connect(
        api_url, session={"audio": {"input": {"turn_detection": {"type": "server_vad", "idle_timeout_ms": 600}}}}
    )
    try:
        nudge = await call.wait_for("input_audio_buffer.timeout_triggered", timeout=5)
        committed = await call.wait_for("input_audio_buffer.committed")
        assert committed["item_id"] == nudge["item_id"] and nudge["audio_end_ms"] >= nudge["audio_start_ms"]
        added = await call.wait_for("conversation.item.added")
        assert added["item"]["id"] == nudge["item_id"] and added["item"]["content"][0]["type"] == "input_audio"
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == "completed" and NUDGE in str(done["output"])
        # The next nudge counts from the end of this answer's audio, not from the first.
        stopped = await call.wait_for("output_audio_buffer.stopped", timeout=15)
        await call.wait_for("input_audio_buffer.timeout_triggered", count=2, timeout=5)
        types = call.types()
        assert types.index("output_audio_buffer.stopped") < len(types) - 1 - types[::-1].index(
            "input_audio_buffer.timeout_triggered"
        )
        assert stopped["response_id"] == done["id"]
    finally:
        await close_checked(call)


async def test_no_idle_nudge_without_idle_timeout(api_url):
    call = await connect(api_url)
    try:
        await call.wait_for("input_audio_buffer.timeout_triggered", timeout=1.5)
        raise AssertionError("a nudge came with no idle timeout set")
    except AssertionError as error:
        assert "no input_audio_buffer.timeout_triggered" in str(error)
    finally:
        await close_checked(call)


async def test_text_only_answers_send_text_and_no_audio(api_url):
    call = await connect(api_url, session={"output_modalities": ["text"]})
    try:
        type_turn(call, "Hello")
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == "completed" and done["output"][0]["content"][0]["type"] == "output_text"
        assert "response.output_text.done" in call.types()
        assert not any(kind.startswith(("response.output_audio", "output_audio_buffer")) for kind in call.types())
        assert done["usage"]["output_token_details"]["audio_tokens"] == 0
    finally:
        await close_checked(call)


async def test_an_answer_that_reaches_max_output_tokens_ends_incomplete(api_url):
    call = await connect(api_url, session={"max_output_tokens": 40})
    try:
        type_turn(call, LONG_TEXT)  # a 6 s answer: 120 audio tokens alone
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == "incomplete" and done["status_details"] == {"type": "incomplete", "reason": "max_output_tokens"}
        assert done["max_output_tokens"] == 40 and done["usage"]["output_tokens"] <= 40
        assert done["output"][0]["status"] == "incomplete"
    finally:
        await close_checked(call)


async def test_a_capped_answer_makes_no_tool_calls_and_an_uncapped_one_completes(api_url):
    call = await connect(
        api_url,
        session={
            "max_output_tokens": 6,
            "output_modalities": ["text"],
            "tools": [{"type": "function", "name": "current_time", "parameters": {"type": "object"}}],
        },
    )
    try:
        type_turn(call, TOOL_TURN)
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == "incomplete" and [item["type"] for item in done["output"]] == ["message"]
        assert "response.function_call_arguments.done" not in call.types()
        call.send("session.update", session={"type": "realtime", "max_output_tokens": "inf"})
        await call.wait_for("session.updated")
        type_turn(call, "Hello")
        assert (await call.wait_for("response.done", count=2))["response"]["status"] == "completed"
    finally:
        await close_checked(call)
