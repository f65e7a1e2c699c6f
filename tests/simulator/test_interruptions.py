"""Stopping answers as the API does: response.cancel stops the generation, output_audio_buffer.clear
cuts the audio, and a user speaking over an answer does both, or only cuts the audio of an answer
already done."""

import pytest

from tests.simulator.schema import validate_server_event
from tests.simulator.sessions import FAST, LONG_TEXT, SLOW, close_checked, connect, later_speech, type_turn

pytestmark = pytest.mark.slow  # answers played, and spoken over, in real time


def transcript_deltas(call) -> str:
    return "".join(e["delta"] for e in call.events if e["type"] == "response.output_audio_transcript.delta")


async def assert_silent(call) -> None:
    await call.listen(25)  # what was already on its way
    assert max(await call.listen(25)) < -60, "audio went on after it was cut"  # half a second heard, silent


@pytest.fixture
async def playing(api_url, control):
    """A call whose answer to "Hello" plays and is still being generated."""
    call = await connect(api_url, control, SLOW)
    type_turn(call, "Hello")
    await call.wait_for("output_audio_buffer.started")
    yield call
    await close_checked(call)


async def test_response_cancel_stops_generating_and_the_audio_generated_plays_out(playing):
    call = playing
    call.send("response.cancel")
    done = (await call.wait_for("response.done"))["response"]
    assert done["status"] == "cancelled" and done["status_details"] == {"type": "cancelled", "reason": "client_cancelled"}
    message = done["output"][0]
    assert message["status"] == "incomplete"
    assert message["content"][0]["transcript"] == transcript_deltas(call)
    assert len(message["content"][0]["transcript"].split()) < SLOW["stream_count"]
    stopped = await call.wait_for("output_audio_buffer.stopped")
    assert stopped["response_id"] == done["id"]
    assert "output_audio_buffer.cleared" not in call.types()
    # the conversation goes on
    call.send("response.create")
    assert (await call.wait_for("response.done", count=2, timeout=20))["response"]["status"] == "completed"


async def test_output_audio_clear_cuts_the_audio_and_the_response_still_completes(playing):
    call = playing
    call.send("output_audio_buffer.clear")
    cleared = await call.wait_for("output_audio_buffer.cleared")
    assert cleared["response_id"] == (await call.wait_for("response.created"))["response"]["id"]
    await assert_silent(call)
    done = (await call.wait_for("response.done", timeout=20))["response"]
    types = call.types()
    assert types.index("output_audio_buffer.cleared") < types.index("response.done")  # cut while generating
    assert done["status"] == "completed" and done["output"][0]["status"] == "completed"
    assert done["output"][0]["content"][0]["transcript"].split() == [f"w{i}" for i in range(SLOW["stream_count"])]
    assert "output_audio_buffer.stopped" not in types


async def test_cancel_and_clear_together_stop_the_answer_and_its_audio(playing):
    call = playing
    call.send("response.cancel")
    call.send("output_audio_buffer.clear")
    done = (await call.wait_for("response.done"))["response"]
    assert done["status"] == "cancelled"
    assert (await call.wait_for("output_audio_buffer.cleared"))["response_id"] == done["id"]
    await assert_silent(call)
    assert "output_audio_buffer.stopped" not in call.types()


async def test_speaking_over_an_answer_being_generated_cancels_it(api_url, control, speech_wav):
    call = await connect(api_url, control, SLOW, microphone=speech_wav)
    try:
        type_turn(call, "Hello")  # generated over about 6 s; the microphone speaks from 1 s
        await call.wait_for("input_audio_buffer.speech_started")
        done = (await call.wait_for("response.done"))["response"]
        assert done["status"] == "cancelled" and done["status_details"]["reason"] == "turn_detected"
        assert (await call.wait_for("output_audio_buffer.cleared"))["response_id"] == done["id"]
        # the user's turn is then answered as usual
        assert (await call.wait_for("response.done", count=2, timeout=30))["response"]["status"] == "completed"
    finally:
        await call.close()


async def test_speaking_over_an_answer_already_done_cuts_its_audio_only(api_url, control, speech_wav, tmp_path):
    microphone = later_speech(speech_wav, tmp_path, seconds=2)  # speaks from 3 s, while the 6 s answer plays
    call = await connect(api_url, control, FAST, microphone=microphone)
    try:
        type_turn(call, LONG_TEXT)
        await call.wait_for("input_audio_buffer.speech_started")
        first = (await call.wait_for("response.done"))["response"]
        assert first["status"] == "completed"
        cleared = await call.wait_for("output_audio_buffer.cleared")
        types = call.types()
        assert (
            types.index("response.done")
            < types.index("input_audio_buffer.speech_started")
            < types.index("output_audio_buffer.cleared")
        )
        assert cleared["response_id"] == first["id"]
        second = (await call.wait_for("response.done", count=2, timeout=30))["response"]
        assert second["id"] != first["id"] and second["status"] == "completed"  # the user's turn, answered
        assert not [e for e in call.events if e["type"] == "output_audio_buffer.stopped" and e["response_id"] == first["id"]]
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()
