"""GPT-Live's events in the app's words: transcripts settled and ordered by the timeline, tool
calls run once from a completed delegated response, usage billed by the second."""

import pytest
from openai.types.live import ServerEvent as LiveServerEvent
from pydantic import TypeAdapter

from voice_app.live.translate import LiveEvents, outgoing
from voice_app.live.turns import TURN_GAP_MS
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.insight import Insight
from voice_app.realtime.tools import ToolResult
from voice_app.realtime.transcript import Transcript
from voice_app.realtime.turn_taking import TurnTaking

LIVE_EVENT = TypeAdapter(LiveServerEvent)
_numbers = iter(range(1_000_000))


def live(kind: str, **fields) -> dict:
    """A server event as GPT-Live sends it, checked against the package's types."""
    event = {"type": kind, "event_id": f"ev_{next(_numbers)}", **fields}
    LIVE_EVENT.validate_python(event)
    return event


def said(who: str, delta: str, start: int, end: int) -> dict:
    kind = "session.input_transcript.delta" if who == "user" else "session.output_transcript.delta"
    return live(kind, delta=delta, start_ms=start, end_ms=end)


def shown(transcript: Transcript) -> list[tuple[str, str, str]]:
    return [(e["role"], e["text"] or transcript.live.get(e["id"], ""), e["status"]) for e in transcript.entries]


def test_a_spoken_turn_and_its_answer_become_two_entries_each_whole_when_the_other_speaks():
    events, transcript = LiveEvents("live_1"), Transcript()
    transcript.apply_all(events.take([said("user", "Hello ", 0, 400), said("user", "there", 400, 800)]))
    transcript.apply_all(events.take([said("assistant", "Hi!", 900, 1300)]))
    assert shown(transcript) == [("user", "Hello there", "done"), ("assistant", "Hi!", "in_progress")]
    transcript.apply_all(events.take([said("user", "Bye", 1500, 1800)]))
    assert shown(transcript)[1] == ("assistant", "Hi!", "done")
    transcript.apply_all(events.finish())
    assert [status for *_, status in shown(transcript)] == ["done"] * 3  # what was said is whole
    assert len({e["id"] for e in transcript.entries}) == 3 and all(e["id"].startswith("live_1-") for e in transcript.entries)


def test_made_up_calls_that_never_end_are_held_to_a_bound():
    events = LiveEvents("live_1")
    for number in range(500):
        item = {**function_call("completed"), "id": f"fc_{number}", "call_id": f"call_{number}"}
        events.take(
            [
                {
                    "type": "response.event",
                    "delegation_id": f"del_{number % 100}",
                    "event": {"type": "response.output_item.done", "item": item},
                }
            ]
        )
    assert sum(len(calls) for calls in events._calls.values()) <= 64 * 64 and len(events._calls) <= 64


def test_words_that_arrive_late_stand_where_they_were_said_on_the_timeline():
    events, transcript = (
        LiveEvents("live_1", anchor="old"),
        Transcript(entries=[{"id": "old", "role": "assistant", "text": "Earlier", "status": "done", "at": ""}]),
    )
    transcript.apply_all(events.take([said("assistant", "Sure, ", 1200, 1500)]))
    transcript.apply_all(events.take([said("user", "Can you help?", 0, 1000)]))  # its transcript came later
    assert [role for role, *_ in shown(transcript)] == ["assistant", "user", "assistant"]
    assert shown(transcript)[1][1] == "Can you help?"


def test_speaking_over_the_answer_splits_it_around_the_words_that_cut_in():
    events, transcript = LiveEvents("live_1"), Transcript()
    transcript.apply_all(events.take([said("assistant", "Rome is long ", 3000, 5200)]))
    transcript.apply_all(events.take([said("user", "Stop.", 5000, 5400)]))
    transcript.apply_all(events.take([said("assistant", "OK, stopping.", 6500, 7000)]))
    transcript.apply_all(events.finish())
    assert shown(transcript) == [
        ("assistant", "Rome is long ", "done"),
        ("user", "Stop.", "done"),
        ("assistant", "OK, stopping.", "done"),
    ]


def test_late_words_of_a_question_join_it_even_after_the_answer_began():
    events, transcript = LiveEvents("live_1"), Transcript()
    transcript.apply_all(events.take([said("user", "Hi", 0, 300), said("assistant", "Hello!", 1700, 2000)]))
    transcript.apply_all(events.take([said("user", " there", 300, 800)]))  # its transcript came late
    transcript.apply_all(events.finish())
    assert shown(transcript) == [("user", "Hi there", "done"), ("assistant", "Hello!", "done")]


def test_a_tool_call_stands_between_what_was_said_before_and_after_it():
    events, transcript = LiveEvents("live_1"), Transcript()
    transcript.apply_all(events.take([said("user", "What time is it?", 0, 1500), said("assistant", "Let me check.", 2500, 3300)]))
    transcript.apply_all(
        events.take(
            [
                delegated(
                    {
                        "type": "response.output_item.added",
                        "sequence_number": 1,
                        "output_index": 0,
                        "item": function_call("in_progress"),
                    }
                )
            ]
        )
    )
    transcript.apply_all(events.take([said("assistant", "It is five.", 4500, 5200)]))
    transcript.apply_all(events.finish())
    assert [(role, status) for role, _, status in shown(transcript)] == [
        ("user", "done"),
        ("assistant", "done"),
        ("tool", "in_progress"),
        ("assistant", "done"),
    ]
    assert shown(transcript)[3][1] == "It is five."


def test_a_continued_conversations_late_question_stands_before_its_answer():
    entries = [{"id": "old", "role": "assistant", "text": "Earlier", "status": "done", "at": ""}]
    events, transcript = LiveEvents("live_2", anchor="old"), Transcript(entries=[dict(e) for e in entries])
    transcript.apply_all(events.take([said("assistant", "Sure.", 3200, 3600), said("user", "Help?", 1000, 2000)]))
    assert [text for _, text, _ in shown(transcript)] == ["Earlier", "Help?", "Sure."]


def test_a_long_pause_in_one_speakers_words_starts_a_new_entry_and_a_repeat_changes_nothing():
    events, transcript = LiveEvents("live_1"), Transcript()
    first = said("assistant", "One.", 0, 500)
    transcript.apply_all(events.take([first, first]))
    transcript.apply_all(events.take([said("assistant", "Two.", 500 + TURN_GAP_MS, 3500)]))
    assert shown(transcript) == [("assistant", "One.", "done"), ("assistant", "Two.", "in_progress")]


def delegated(nested: dict) -> dict:
    return live("response.event", delegation_id="del_1", event=nested)


def function_call(status: str, arguments: str = "") -> dict:
    return {
        "id": "fc_1",
        "type": "function_call",
        "call_id": "call_1",
        "name": "calculate",
        "arguments": arguments,
        "status": status,
    }


@pytest.mark.parametrize("end, runs", [("response.completed", True), ("response.incomplete", False)])
def test_a_delegated_call_runs_once_only_when_its_response_completed_and_its_output_goes_back(end, runs):
    events, record = LiveEvents("live_1"), CallRecord()
    response = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "model": "gpt-6-luna",
        "output": [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "status": "in_progress",
    }
    stream = [
        delegated({"type": "response.created", "sequence_number": 0, "response": response}),
        delegated(
            {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": function_call("in_progress")}
        ),
        delegated(
            {
                "type": "response.output_item.done",
                "sequence_number": 2,
                "output_index": 0,
                "item": function_call("completed", '{"expression": "6*7"}'),
            }
        ),
        delegated({"type": end, "sequence_number": 3, "response": {**response, "status": end.split(".")[1]}}),
    ]
    heard = record.take_all(events.take(stream))
    assert record.transcript.entries[0]["role"] == "tool" and "6*7" in record.transcript.entries[0]["text"]
    assert [call["name"] for call in heard.run] == (["calculate"] if runs else [])
    assert record.take_all(events.take(stream)).run == []  # the same events again: nothing runs twice
    if runs:
        done = record.tool_finished(heard.run[0], ToolResult(output="42", failed=False, duration_ms=3))
        assert [outgoing(event) for event in done.send] == [
            {"type": "response.item.create", "item": {"type": "function_call_output", "call_id": "call_1", "output": "42"}},
            {"type": "response.create", "event_id": done.send[1]["event_id"]},
        ]


def test_usage_is_a_snapshot_billed_by_the_second_at_the_active_and_the_standby_rate():
    events, insight = LiveEvents("live_1"), Insight(model="gpt-live-1.1")
    for usage in (
        {"seconds": 60, "active_seconds": 60, "paused_seconds": 0},
        {"seconds": 60, "active_seconds": 60, "paused_seconds": 0},  # the same snapshot again
        {"seconds": 180, "active_seconds": 120, "paused_seconds": 60},
    ):
        for event in events.take([live("session.usage.updated", usage=usage)]):
            insight.apply(event)
    assert insight.live_seconds == 180
    assert insight.cost == pytest.approx(2 * 0.05 + 1 * 0.02)
    assert insight.summary()["live_minutes"] == "3.0"


def test_what_the_app_cannot_say_to_gpt_live_is_not_sent():
    assert outgoing({"type": "session.update", "session": {"type": "realtime", "tools": []}}) is None
    assert outgoing({"type": "conversation.item.create", "item": {"type": "message", "role": "user"}}) is None


def test_gpt_live_refusing_our_answer_names_it_as_the_realtime_api_would_so_it_is_asked_again():
    turns, events = TurnTaking(), LiveEvents("live_1")
    [sent] = turns.answer()
    out = outgoing(sent)
    assert out == {"type": "response.create", "event_id": sent["event_id"]}
    turns.follow({"type": "response.created"})  # a delegated response under way
    refusal = live(
        "error",
        error={
            "type": "invalid_request_error",
            "code": "conversation_already_has_active_response",
            "message": "busy",
            "client_event_id": out["event_id"],
        },
    )
    [error] = events.take([refusal])
    turns.follow(error)
    assert [e["type"] for e in turns.follow({"type": "response.done", "response": {"id": "resp_1", "output": []}}).send] == [
        "response.create"
    ]
