"""A session given the conversation so far: items inserted where `previous_item_id` says, every
kind of item a client may create, and the simulator saying what it holds."""

import base64

import pytest

from tests.pictures import png
from tests.simulator.sessions import close_checked, connect, type_turn
from voice_app.realtime.memory import remembered


def user(text: str, item_id: str | None = None) -> dict:
    item = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    return {**item, "id": item_id} if item_id else item


async def test_earlier_turns_given_at_the_start_are_remembered_before_a_turn_already_there(api_url):
    call = await connect(api_url)
    try:
        call.send("conversation.item.create", item=user("Just now", "item_now"))  # the user spoke first
        await call.wait_for("conversation.item.done")
        memory = remembered(
            [
                {"id": "item_old1", "role": "user", "text": "The code word is pelican", "status": "done"},
                {"id": "item_old2", "role": "assistant", "text": "Noted: pelican.", "status": "done"},
                {"id": "item_old3", "role": "tool", "text": "current_time({}) → 12:00 · 3 ms", "status": "done"},
            ],
            1000,
        )
        for event in memory.events:
            call.send(event["type"], previous_item_id=event["previous_item_id"], item=event["item"])
        added = [await call.wait_for("conversation.item.added", count=n) for n in (2, 3, 4)]
        assert [(e["item"]["id"], e["previous_item_id"]) for e in added] == [
            ("item_old1", None),
            ("item_old2", "item_old1"),
            ("item_old3", "item_old2"),
        ]
        type_turn(call, "What do you remember?")
        answer = await call.wait_for("response.output_audio_transcript.done")
        assert "The code word is pelican | Just now" in answer["transcript"], "in conversation order, not arrival"
    finally:
        await close_checked(call)


async def test_every_kind_of_item_a_client_may_create_is_taken(api_url):
    call = await connect(api_url)
    try:
        image = "data:image/png;base64," + base64.b64encode(png(2, 2)).decode()
        items = [
            {"type": "message", "role": "system", "content": [{"type": "input_text", "text": "Be brief."}]},
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_audio", "transcript": "hi"},
                    {"type": "input_image", "image_url": image, "detail": "low"},
                ],
            },
            {"type": "message", "role": "assistant", "content": [{"type": "output_audio", "transcript": "Hello."}]},
            {"type": "function_call", "name": "current_time", "arguments": "{}", "call_id": "call_9"},
            {"type": "function_call_output", "call_id": "call_9", "output": "12:00"},
        ]
        for item in items:
            call.send("conversation.item.create", item=item)
        done = [await call.wait_for("conversation.item.done", count=n) for n in range(1, len(items) + 1)]
        assert [e["item"]["type"] for e in done] == [i["type"] for i in items]
        assert "error" not in call.types()
    finally:
        await close_checked(call)


@pytest.mark.parametrize(
    "event, code",
    [
        ({"previous_item_id": "item_nowhere", "item": user("x")}, "invalid_value"),
        ({"item": user("x", "x" * 33)}, "string_above_max_length"),
        ({"item": {"type": "message", "role": "system", "content": [{"type": "output_text", "text": "x"}]}}, "invalid_value"),
    ],
)
async def test_an_item_the_api_would_refuse_is_refused(api_url, event, code):
    call = await connect(api_url)
    try:
        call.send("conversation.item.create", **event)
        assert (await call.wait_for("error"))["error"]["code"] == code
    finally:
        await close_checked(call)


async def test_a_new_session_remembers_nothing_it_was_not_given(api_url):
    call = await connect(api_url)
    try:
        type_turn(call, "What do you remember?")
        assert "nothing" in (await call.wait_for("response.output_audio_transcript.done"))["transcript"]
    finally:
        await close_checked(call)


async def test_the_refuse_inserts_fault_refuses_a_given_conversation_naming_its_event(api_url, control):
    call = await connect(api_url, control, faults={"refuse_inserts": True})
    try:
        call.send("conversation.item.create", event_id="memory_0", previous_item_id="root", item=user("x"))
        error = await call.wait_for("error")
        assert error["error"]["event_id"] == "memory_0" and error["error"]["code"] == "invalid_value"
        call.send("conversation.item.create", item=user("appended"))  # the rest of the session is as usual
        assert (await call.wait_for("conversation.item.done"))["item"]["content"][0]["text"] == "appended"
    finally:
        await close_checked(call)
