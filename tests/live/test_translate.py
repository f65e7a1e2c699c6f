"""GPT-Live's events in the app's words: transcripts settled and ordered by the timeline, tool
calls run once from a completed delegated response, usage billed by the second."""

import pytest
from pydantic import TypeAdapter
from openai.types.live import ServerEvent as LiveServerEvent

from voice_app.live.translate import TURN_GAP_MS, LiveEvents, outgoing
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.insight import Insight
from voice_app.realtime.tools import ToolResult
from voice_app.realtime.transcript import Transcript

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


def test_words_that_arrive_late_stand_where_they_were_said_on_the_timeline():
    events, transcript = LiveEvents("live_1", anchor="old"), Transcript(entries=[
        {"id": "old", "role": "assistant", "text": "Earlier", "status": "done", "at": ""}])
    transcript.apply_all(events.take([said("assistant", "Sure, ", 1200, 1500)]))
    transcript.apply_all(events.take([said("user", "Can you help?", 0, 1000)]))  # its transcript came later
    assert [role for role, *_ in shown(transcript)] == ["assistant", "user", "assistant"]
    assert shown(transcript)[1][1] == "Can you help?"


def test_a_long_pause_in_one_speakers_words_starts_a_new_entry_and_a_repeat_changes_nothing():
    events, transcript = LiveEvents("live_1"), Transcript()
    first = said("assistant", "One.", 0, 500)
    transcript.apply_all(events.take([first, first]))
    transcript.apply_all(events.take([said("assistant", "Two.", 500 + TURN_GAP_MS, 3500)]))
    assert shown(transcript) == [("assistant", "One.", "done"), ("assistant", "Two.", "in_progress")]


def delegated(nested: dict) -> dict:
    return live("response.event", delegation_id="del_1", event=nested)


def function_call(status: str, arguments: str = "") -> dict:
    return {"id": "fc_1", "type": "function_call", "call_id": "call_1", "name": "calculate",
            "arguments": arguments, "status": status}


@pytest.mark.parametrize("end, runs", [("response.completed", True), ("response.incomplete", False)])
def test_a_delegated_call_runs_once_only_when_its_response_completed_and_its_output_goes_back(end, runs):
    events, record = LiveEvents("live_1"), CallRecord()
    response = {"id": "resp_1", "object": "response", "created_at": 1, "model": "gpt-6-luna", "output": [],
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "status": "in_progress"}
    stream = [
        delegated({"type": "response.created", "sequence_number": 0, "response": response}),
        delegated({"type": "response.output_item.added", "sequence_number": 1, "output_index": 0, "item": function_call("in_progress")}),
        delegated({"type": "response.output_item.done", "sequence_number": 2, "output_index": 0,
                   "item": function_call("completed", '{"expression": "6*7"}')}),
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
            {"type": "response.create"}]


def test_usage_is_a_snapshot_billed_by_the_second_at_the_active_and_the_standby_rate():
    events, insight = LiveEvents("live_1"), Insight(model="gpt-live-1.1")
    for usage in ({"seconds": 60, "active_seconds": 60, "paused_seconds": 0},
                  {"seconds": 60, "active_seconds": 60, "paused_seconds": 0},  # the same snapshot again
                  {"seconds": 180, "active_seconds": 120, "paused_seconds": 60}):
        for event in events.take([live("session.usage.updated", usage=usage)]):
            insight.apply(event)
    assert insight.live_seconds == 180
    assert insight.cost == pytest.approx(2 * 0.05 + 1 * 0.02)
    assert insight.summary()["live_minutes"] == "3.0"


def test_what_the_app_cannot_say_to_gpt_live_is_not_sent():
    assert outgoing({"type": "session.update", "session": {"type": "realtime", "tools": []}}) is None
    assert outgoing({"type": "conversation.item.create", "item": {"type": "message", "role": "user"}}) is None
