"""Truncating an answer's audio as the API does: `conversation.item.truncate` answered with
`conversation.item.truncated`, refusals in the API's `error` shape, and over WebRTC the server
truncating by itself, at the point its voice had reached, when the user speaks over an answer."""

import asyncio

import pytest
from openai.types.realtime import ConversationItemTruncatedEvent, ConversationItemTruncateEvent

from tests.simulator.schema import validate_server_event
from tests.simulator.sessions import FAST, LONG_TEXT, close_checked, connect, later_speech, type_turn

pytestmark = pytest.mark.slow  # answers played, and spoken over, in real time


@pytest.fixture
async def answered(api_url, control):
    """A call whose 6 s answer to a long message has started to play (generated at once)."""
    call = await connect(api_url, control, FAST)
    type_turn(call, LONG_TEXT)
    await call.wait_for("output_audio_buffer.started")
    yield call
    await close_checked(call)


def item_of(call, role: str) -> str:
    return next(e["item"]["id"] for e in call.events if e["type"] == "conversation.item.added" and e["item"]["role"] == role)


def truncate(call, **fields) -> None:
    event = {"type": "conversation.item.truncate", "content_index": 0, **fields}
    ConversationItemTruncateEvent.model_validate(event)  # what the client sends is the SDK's type
    call.send(event.pop("type"), **event)


async def test_truncate_answers_truncated_with_the_point_the_client_gave(answered):
    call = answered
    item_id = item_of(call, "assistant")
    await call.listen(50)  # a second of its voice heard
    truncate(call, item_id=item_id, audio_end_ms=900, event_id="truncate_1")
    event = await call.wait_for("conversation.item.truncated")
    ConversationItemTruncatedEvent.model_validate(event)
    assert (event["item_id"], event["content_index"], event["audio_end_ms"]) == (item_id, 0, 900)
    assert "error" not in call.types()


@pytest.mark.parametrize(
    "whose, audio_end_ms, code, param",
    [
        ("nobody", 100, "invalid_value", "item_id"),  # no such item
        ("user", 100, "unsupported_content_type", "item_id"),  # the user's typed message: no audio of the model
        ("assistant", 60_000, "invalid_value", "audio_end_ms"),  # past the answer's 6 s of audio
    ],
)
async def test_truncate_refuses_as_the_api_does(answered, whose, audio_end_ms, code, param):
    call = answered
    await call.wait_for("response.done")
    item_id = "item_nothing" if whose == "nobody" else item_of(call, whose)
    truncate(call, item_id=item_id, audio_end_ms=audio_end_ms, event_id="evt_mine")
    error = (await call.wait_for("error"))["error"]
    assert (error["code"], error["param"], error["event_id"]) == (code, param, "evt_mine")
    assert error["type"] == "invalid_request_error" and error["message"]
    assert "conversation.item.truncated" not in call.types()


CATCH_UP_MS = 500


async def test_speaking_over_an_answer_truncates_it_where_its_voice_was(api_url, control, speech_wav, tmp_path):
    microphone = later_speech(speech_wav, tmp_path, seconds=2)  # speaks from about 3 s into the call
    call = await connect(api_url, control, FAST, microphone=microphone)
    try:
        asked = asyncio.get_running_loop().time()  # the answer can play from no earlier than this
        type_turn(call, LONG_TEXT)
        started = await call.wait_for("output_audio_buffer.started")
        at = asyncio.get_running_loop().time()
        await call.wait_for("input_audio_buffer.speech_started")
        spoke_after_ms = (asyncio.get_running_loop().time() - at) * 1000
        # Events reach the client late on a busy machine: `at` may lag the voice's start, never precede
        # the question: the voice cannot have played longer than since the question was sent.
        since_asked_ms = (asyncio.get_running_loop().time() - asked) * 1000
        truncated = await call.wait_for("conversation.item.truncated")
        types = call.types()
        assert types.index("output_audio_buffer.cleared") < types.index("conversation.item.truncated")
        assert truncated["item_id"] == item_of(call, "assistant") and truncated["content_index"] == 0
        # Where the voice was: the time it had played, less what the VAD needs to hear speech. The
        # sender paces frames by its own clock and, after a stall of the loop, sends the late ones
        # at once: what it counts as played may lead the wall clock by as much as it fell behind.
        assert 0 < truncated["audio_end_ms"] <= since_asked_ms + CATCH_UP_MS
        assert truncated["audio_end_ms"] > spoke_after_ms - 1500
        assert started["response_id"] == (await call.wait_for("output_audio_buffer.cleared"))["response_id"]
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


async def test_an_answer_heard_to_the_end_is_not_truncated(answered):
    call = answered
    await call.wait_for("output_audio_buffer.stopped", timeout=20)
    assert "conversation.item.truncated" not in call.types()
