"""Client events: session updates, cancelling answers, push-to-talk, and bad input."""

import asyncio
import json

import pytest

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event
from tests.simulator.sessions import SLOW, close_checked, connect, type_turn

HELLO = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hello"}]}


@pytest.fixture
async def call(api_url):
    call = Call(api_url)
    await call.start(await mint(api_url))
    await call.wait_for("session.created")
    yield call
    await close_checked(call)


async def test_session_update_is_confirmed_with_the_merged_session(call):
    call.send(
        "session.update",
        session={
            "type": "realtime",
            "instructions": "Speak slowly.",
            "audio": {"input": {"transcription": {"model": "gpt-live-transcribe"}}},
        },
    )
    session = (await call.wait_for("session.updated"))["session"]
    assert session["instructions"] == "Speak slowly."
    assert session["audio"]["input"]["transcription"]["model"] == "gpt-live-transcribe"
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"  # untouched, kept
    assert session["audio"]["output"]["voice"] == "marin"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"instructions": "no type"}, "missing_required_parameter"),
        ({"type": "realtime", "audio": {"output": {"voice": "robot"}}}, "invalid_value"),
        ({"type": "realtime", "model": "gpt-realtime-2.1-mini"}, "invalid_value"),
        ({"type": "realtime", "turn_detection": None}, "unknown_parameter"),  # the beta spelling
    ],
)
async def test_invalid_session_update_is_an_error_and_keeps_the_session(call, change, code):
    call.send("session.update", session=change, event_id="evt_mine")
    error = (await call.wait_for("error"))["error"]
    assert error["code"] == code and error["event_id"] == "evt_mine"
    call.send("session.update", session={"type": "realtime"})
    session = (await call.wait_for("session.updated"))["session"]
    assert session["audio"]["output"]["voice"] == "marin" and session["model"] == "gpt-realtime-2.1"


async def test_voice_cannot_change_once_the_session_has_spoken(call):
    call.send("session.update", session={"type": "realtime", "audio": {"output": {"voice": "coral"}}})
    assert (await call.wait_for("session.updated"))["session"]["audio"]["output"]["voice"] == "coral"
    call.send("response.create")
    await call.wait_for("response.done")
    call.send("session.update", session={"type": "realtime", "audio": {"output": {"voice": "ash"}}})
    assert (await call.wait_for("error"))["error"]["code"] == "cannot_update_voice"


@pytest.mark.slow  # answers played in real time
async def test_speed_changes_between_responses_not_during_one(api_url, control):
    call = await connect(api_url, control, SLOW)
    try:
        type_turn(call, "Hello")
        await call.wait_for("response.created")
        call.send("session.update", session={"type": "realtime", "audio": {"output": {"speed": 1.2}}}, event_id="evt_speed")
        assert (await call.wait_for("error"))["error"] == {
            "type": "invalid_request_error",
            "code": "invalid_value",
            "param": "session.audio.output.speed",
            "message": "Cannot update speed while a response is in progress.",
            "event_id": "evt_speed",
        }
        # the same speed is no change: the rest of the update applies, the refused speed did not
        call.send(
            "session.update", session={"type": "realtime", "instructions": "Be brief.", "audio": {"output": {"speed": 1.0}}}
        )
        kept = (await call.wait_for("session.updated"))["session"]
        assert kept["audio"]["output"]["speed"] == 1.0 and kept["instructions"] == "Be brief."
        await call.wait_for("response.done", timeout=20)
        assert call.types().index("session.updated") < call.types().index("response.done")
        call.send("session.update", session={"type": "realtime", "audio": {"output": {"speed": 1.2}}})
        assert (await call.wait_for("session.updated", count=2))["session"]["audio"]["output"]["speed"] == 1.2
    finally:
        await call.close()


async def test_a_second_response_while_one_is_active_is_refused(call):
    call.send("response.create")
    call.send("response.create")
    assert (await call.wait_for("error"))["error"]["code"] == "conversation_already_has_active_response"
    assert (await call.wait_for("response.done"))["response"]["status"] == "completed"


async def test_cancel_with_nothing_to_cancel_is_an_error(call):
    call.send("response.cancel")
    assert (await call.wait_for("error"))["error"]["code"] == "response_cancel_not_active"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "invalid_json"),
        ("[1, 2]", "missing_required_parameter"),
        (json.dumps({"type": "conversation.explode"}), "invalid_value"),
        (
            json.dumps({"type": "conversation.item.create", "item": {"type": "message", "role": "user"}}),
            "missing_required_parameter",
        ),
        (
            json.dumps(
                {
                    "type": "conversation.item.create",
                    "item": {"type": "message", "role": "user", "content": [{"type": "output_text", "text": "x"}]},
                }
            ),
            "invalid_value",
        ),
        (
            json.dumps({"type": "conversation.item.create", "item": {"type": "function_call_output", "output": "x"}}),
            "missing_required_parameter",
        ),
        (json.dumps({"type": "response.create", "response": "now"}), "invalid_type"),
        (json.dumps({"type": "input_audio_buffer.commit"}), "input_audio_buffer_commit_empty"),
    ],
)
async def test_malformed_client_events_get_an_error_event_and_the_session_goes_on(call, raw, code):
    call.channel.send(raw)
    assert (await call.wait_for("error"))["error"]["code"] == code
    call.send("conversation.item.create", item=HELLO)
    assert (await call.wait_for("conversation.item.done"))["item"]["content"][0]["text"] == "Hello"


async def test_tool_output_item_is_added_and_answered(call):
    call.send("conversation.item.create", item={"type": "function_call_output", "call_id": "call_1", "output": '{"ok": true}'})
    added = (await call.wait_for("conversation.item.added"))["item"]
    assert added["type"] == "function_call_output" and added["call_id"] == "call_1"
    call.send("response.create")
    assert "tool" in (await call.wait_for("response.output_audio_transcript.done"))["transcript"]


@pytest.mark.slow  # seconds of speech sent in real time
async def test_push_to_talk_commits_on_request_and_clears(api_url, speech_wav):
    call = Call(api_url, microphone=speech_wav)
    await call.start(await mint(api_url, {"audio": {"input": {"turn_detection": None}}}))
    try:
        async with asyncio.timeout(30):  # the fixture speaks from 1 s to about 4 s: all of it sent
            while await call.sent_ms() < 4500:
                await asyncio.sleep(0.1)
        assert "input_audio_buffer.speech_started" not in call.types()  # no VAD: nothing automatic
        call.send("input_audio_buffer.commit")
        committed = await call.wait_for("input_audio_buffer.committed")
        assert (await call.wait_for("conversation.item.added"))["item"]["id"] == committed["item_id"]
        assert "response.created" not in call.types()
        call.send("response.create")  # answers the committed speech, once heard
        done = (await call.wait_for("response.done"))["response"]
        said = done["output"][0]["content"][0]["transcript"]
        assert done["status"] == "completed" and said.startswith("You said:") and "can you hear me" in said.lower()
        call.send("input_audio_buffer.clear")
        await call.wait_for("input_audio_buffer.cleared")
    finally:
        await call.close()


async def test_a_typed_turn_naming_tools_gets_parallel_function_calls(api_url):
    from voice_app.realtime.example_tools import example_tools

    call = Call(api_url)
    await call.start(await mint(api_url, {"tools": example_tools.schemas()}))
    try:
        text = 'Please calculate {"expression": "6*7"} and tell me current_time {"timezone": "Asia/Tokyo"}'
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]},
        )
        call.send("response.create")
        done = (await call.wait_for("response.done"))["response"]
        calls = [e for e in call.events if e["type"] == "response.function_call_arguments.done"]
        assert [(c["name"], c["arguments"]) for c in calls] == [
            ("calculate", '{"expression": "6*7"}'),
            ("current_time", '{"timezone": "Asia/Tokyo"}'),
        ]
        assert [item["call_id"] for item in done["output"]] == [c["call_id"] for c in calls]
        assert "output_audio_buffer.started" not in call.types()
        for c, output in zip(calls, ["42", "Monday 09:00 JST"], strict=True):
            call.send(
                "conversation.item.create", item={"type": "function_call_output", "call_id": c["call_id"], "output": output}
            )
        call.send("response.create")
        answer = await call.wait_for("response.output_audio_transcript.done")
        assert "42" in answer["transcript"] and "Monday 09:00 JST" in answer["transcript"]
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()
