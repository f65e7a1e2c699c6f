"""What a response holds and how it ends: generation ahead of the audio, a message before tool
calls, and the `response_end` fault ending responses as the API ends them."""

import pytest

from tests.simulator.schema import validate_server_event
from tests.simulator.sessions import LONG_TEXT, connect, type_turn
from voice_app.realtime.example_tools import example_tools

TOOLS = {"tools": example_tools.schemas()}
FULL_ANSWER = 'You wrote "Hello". This is the local simulator: there is no model here, so it repeats you.'
ENDINGS = {
    "incomplete": {"type": "incomplete", "reason": "max_output_tokens"},
    "failed": {
        "type": "failed",
        "error": {
            "type": "server_error",
            "code": "server_error",
            "message": "The response failed: the server had an error while generating it.",
        },
    },
    "cancelled": {"type": "cancelled", "reason": "turn_detected"},
}


def of_type(call, kind: str) -> list[dict]:
    return [e for e in call.events if e["type"] == kind]


@pytest.mark.slow  # a 6 s answer played in real time
async def test_response_done_comes_while_its_audio_still_plays(api_url):
    call = await connect(api_url)
    try:
        type_turn(call, LONG_TEXT)  # 6 s of audio
        done = await call.wait_for("response.done")
        assert done["response"]["status"] == "completed"
        assert max(await call.listen(25)) > -45, "nothing was heard after response.done"  # the next half second
        stopped = await call.wait_for("output_audio_buffer.stopped", timeout=20)
        assert stopped["response_id"] == done["response"]["id"]
        assert call.types().index("response.done") < call.types().index("output_audio_buffer.stopped")
    finally:
        await call.close()


@pytest.mark.parametrize("modality, part", [("audio", "output_audio"), ("text", "output_text")])
async def test_words_before_a_colon_are_said_before_the_calls(api_url, modality, part):
    call = await connect(api_url, session={**TOOLS, "output_modalities": [modality]})
    try:
        type_turn(call, 'Let me check: current_time {"timezone": "Asia/Tokyo"}')
        done = (await call.wait_for("response.done"))["response"]
        message, function_call = done["output"]
        assert message["type"] == "message" and message["role"] == "assistant" and message["status"] == "completed"
        assert message["content"][0]["type"] == part and "Let me check" in str(message["content"][0])
        assert function_call["type"] == "function_call" and function_call["name"] == "current_time"
        assert [e["item"]["type"] for e in of_type(call, "response.output_item.added")] == ["message", "function_call"]
        assert [e["output_index"] for e in of_type(call, "response.output_item.added")] == [0, 1]
        arguments = await call.wait_for("response.function_call_arguments.done")
        assert arguments["output_index"] == 1 and arguments["arguments"] == '{"timezone": "Asia/Tokyo"}'
        if modality == "audio":  # the message's audio plays as any answer's does
            assert (await call.wait_for("output_audio_buffer.stopped", timeout=20))["response_id"] == done["id"]
        else:
            assert "output_audio_buffer.started" not in call.types()
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


@pytest.mark.parametrize("end", ENDINGS)
async def test_response_end_fault_cuts_a_spoken_answer_short(api_url, control, end):
    call = await connect(api_url, control, {"response_end": end})
    try:
        type_turn(call, "Hello")
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == end and done["status_details"] == ENDINGS[end]
        message = done["output"][0]
        said = message["content"][0]["transcript"]
        assert message["status"] == "incomplete" and said and FULL_ANSWER.startswith(said) and said != FULL_ANSWER
        # the audio generated so far plays out, unless the user (here, the fault) spoke over it
        ends_audio = "output_audio_buffer.cleared" if end == "cancelled" else "output_audio_buffer.stopped"
        assert (await call.wait_for(ends_audio, timeout=20))["response_id"] == done["id"]
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


@pytest.mark.parametrize("text", ["current_time", "Let me check: current_time"])
@pytest.mark.parametrize("end", ENDINGS)
async def test_response_end_fault_still_sends_the_calls_arguments_and_leaves_them_incomplete(api_url, control, end, text):
    call = await connect(api_url, control, {"response_end": end}, session=TOOLS)
    try:
        type_turn(call, text)
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == end and done["status_details"] == ENDINGS[end]
        arguments = await call.wait_for("response.function_call_arguments.done")
        assert arguments["name"] == "current_time" and arguments["arguments"] == "{}"
        assert call.types().index("response.function_call_arguments.done") < call.types().index("response.done")
        function_call = done["output"][-1]
        assert function_call["call_id"] == arguments["call_id"] and function_call["status"] == "incomplete"
        item_done = [e["item"] for e in of_type(call, "conversation.item.done") if e["item"]["id"] == function_call["id"]]
        assert item_done and item_done[0]["status"] == "incomplete"
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()
