"""What the server keeps of a call from its own events: the saved record, the usage, the tools."""

from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.tools import ToolResult


def call_item(call_id="call_1"):
    return {
        "id": "item_c",
        "type": "function_call",
        "name": "calculate",
        "call_id": call_id,
        "arguments": '{"expression": "6*7"}',
    }


def response_done(status="completed", output=None, event_id="ev_done"):
    return {
        "type": "response.done",
        "event_id": event_id,
        "response": {
            "id": "resp_1",
            "status": status,
            "output": output or [],
            "usage": {"input_tokens": 10, "output_tokens": 20, "total_tokens": 30},
        },
    }


def test_a_completed_responses_call_runs_once_and_is_answered_after_its_output():
    record = CallRecord()
    record.take({"type": "response.created", "event_id": "ev_c", "response": {"id": "resp_1"}})
    assert record.take({"type": "conversation.item.added", "event_id": "ev_a", "item": call_item()}).save
    heard = record.take(response_done(output=[call_item()]))
    assert [call["call_id"] for call in heard.run] == ["call_1"] and heard.save  # usage counted
    assert record.take(response_done(output=[call_item()])).run == []  # the same event again: nothing
    done = record.tool_finished(heard.run[0], ToolResult(output="42", failed=False, duration_ms=2))
    assert [event["type"] for event in done.send] == ["conversation.item.create", "response.create"]
    assert done.send[0]["item"] == {"type": "function_call_output", "call_id": "call_1", "output": "42"}
    assert done.save and record.transcript.entries[0]["text"].endswith("→ 42 · 2 ms")


def test_usage_adds_to_the_conversations_earlier_calls():
    record = CallRecord.continuing(
        [{"id": "item_u", "role": "user", "text": "Hi", "status": "done", "at": ""}],
        '{"input_tokens": 100, "output_tokens": 5, "cost_usd": 0.5}',
        "gpt-realtime-2.1",
        "gpt-realtime-whisper",
        8000,
    )
    record.take(response_done())
    usage = record.usage()
    assert (usage["input_tokens"], usage["output_tokens"]) == (110, 25)
    assert usage["cost_usd"] > 0.5


def test_a_cancelled_responses_call_runs_nothing_and_an_unfinished_answer_ends_interrupted():
    record = CallRecord()
    record.take({"type": "conversation.item.added", "event_id": "ev_a", "item": call_item()})
    assert record.take(response_done(status="cancelled", output=[call_item()])).run == []
    record.take(
        {
            "type": "conversation.item.added",
            "event_id": "ev_m",
            "item": {"id": "item_m", "type": "message", "role": "assistant", "content": []},
        }
    )
    assert record.ended()
    assert record.transcript.entries[-1]["status"] == "interrupted"
