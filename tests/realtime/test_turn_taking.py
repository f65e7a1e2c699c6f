"""Whose turn it is: the rules of one response at a time, on GA-shaped event sequences."""

import itertools

from voice_app.realtime import turn_taking
from voice_app.realtime.transcript import Transcript
from voice_app.realtime.turn_taking import TurnTaking

_ids = itertools.count()
CREATE = ["response.create"]
ACTIVE = {
    "type": "invalid_request_error",
    "code": "conversation_already_has_active_response",
    "message": "Conversation already has an active response in progress.",
    "param": None,
}
SPEED = {"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": 1.3}}}}


def ev(kind, **fields):
    return {"type": kind, "event_id": f"event_{next(_ids)}", **fields}


def call(call_id, response_id="resp_1"):
    return {"id": f"item_{call_id}", "type": "function_call", "call_id": call_id, "name": "current_time", "arguments": "{}"}


def done(response_id="resp_1", status="completed", output=()):
    return ev("response.done", response={"id": response_id, "status": status, "output": list(output)})


def kinds(events: list[dict]) -> list[str]:
    return [event["type"] for event in events]


def refused(sent: dict) -> dict:
    """The API's refusal of a response.create of ours, its event id echoed."""
    return ev("error", error={**ACTIVE, "event_id": sent["event_id"]})


def test_a_repeated_response_done_runs_its_tools_once_and_each_output_is_sent():
    turns = TurnTaking()
    event = done(output=[call("c1"), call("c2")])
    _, events = Transcript().take([event, event])  # a flaky path repeats it: the transcript drops it
    runs = [call for e in events for call in turns.follow(e).run]
    assert [r["call_id"] for r in runs] == ["c1", "c2"]
    first = turns.tool_done("resp_1", "c1", "12:00")
    assert [e["item"]["call_id"] for e in first] == ["c1"]  # no answer yet: c2 still runs
    second = turns.tool_done("resp_1", "c2", "12:00")
    assert [e["type"] for e in second] == ["conversation.item.create", "response.create"]


def test_a_response_that_did_not_complete_runs_nothing_and_asks_for_nothing():
    turns = TurnTaking()
    turns.follow(ev("response.created", response={"id": "resp_1"}))
    step = turns.follow(done(status="cancelled", output=[call("c1")]))
    assert step.run == [] and step.send == [] and not turns.answering


def test_answering_lasts_while_any_responses_audio_is_heard():
    turns = TurnTaking()
    for event in (
        ev("response.created"),
        ev("output_audio_buffer.started", response_id="resp_a"),
        done("resp_a"),
        ev("response.created"),
        ev("output_audio_buffer.started", response_id="resp_b"),
        done("resp_b"),
    ):
        turns.follow(event)
    assert turns.answering  # both still playing
    turns.follow(ev("output_audio_buffer.stopped", response_id="resp_a"))
    assert turns.answering  # b plays on
    turns.follow(ev("output_audio_buffer.stopped", response_id="resp_b"))
    assert not turns.answering


def test_an_answer_asked_for_during_a_response_is_sent_once_it_is_done():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    assert turns.answer() == []
    assert kinds(turns.follow(done()).send) == CREATE
    assert turns.follow(done()).send == []  # once


def test_a_refused_answer_is_asked_for_again_after_the_response_that_was_in_the_way():
    turns = TurnTaking()
    [sent] = turns.answer()  # sent as a server-VAD response begins at the API
    turns.follow(ev("response.created"))
    assert turns.api_error(refused(sent)["error"])[0] == ""  # a race: not shown
    assert turns.follow(refused(sent)).send == []  # not now: once that response is done
    assert kinds(turns.follow(done()).send) == CREATE


def test_tools_answer_once_with_their_outputs_even_if_an_answer_was_asked_for_meanwhile():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    turns.answer()  # e.g. a typed message while the tool-calling response streamed
    step = turns.follow(done(output=[call("c1")]))
    assert step.send == []  # not before the outputs exist
    assert kinds(turns.tool_done("resp_1", "c1", "ok"))[-1:] == CREATE
    turns.follow(ev("response.created"))
    assert turns.follow(done("resp_2")).send == []  # that answer covered both


def test_a_tool_of_an_earlier_session_sends_nothing():
    assert TurnTaking().tool_done("resp_old", "c1", "late") == []


def test_speed_waits_for_the_response_and_is_resent_if_it_crossed_one_starting():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    assert turns.speed(SPEED) == []
    assert turns.follow(done()).send == [SPEED]
    shown, _ = turns.api_error(
        {
            "code": "invalid_value",
            "param": "session.audio.output.speed",
            "message": "Cannot update speed while a response is in progress.",
        }
    )
    assert shown == ""
    turns.follow(ev("response.created"))
    assert turns.follow(done("resp_2")).send == [SPEED]
    assert TurnTaking().speed(SPEED) == [SPEED]  # between responses: at once


def test_push_to_talk_is_answered_only_once_the_api_has_the_audio():
    turns = TurnTaking()
    assert turns.commit() == [{"type": "input_audio_buffer.commit"}]
    assert kinds(turns.follow(ev("input_audio_buffer.committed", item_id="item_1")).send) == CREATE
    turns.commit()
    assert turns.api_error({"code": "input_audio_buffer_commit_empty", "message": "buffer too small"})[0] == "notice"
    assert turns.follow(ev("input_audio_buffer.committed", item_id="item_2")).send == []  # e.g. a server VAD commit


def test_interrupt_cancels_only_an_active_response_and_always_cuts_the_audio():
    turns = TurnTaking()
    turns.follow(ev("output_audio_buffer.started", response_id="resp_1"))
    assert turns.interrupt() == [{"type": "output_audio_buffer.clear"}]  # generation already done
    assert not turns.answering
    turns.follow(ev("response.created"))
    assert [e["type"] for e in turns.interrupt()] == ["response.cancel", "output_audio_buffer.clear"]


# -- refused answers, and answers owed after an item (an MCP approval, a tool's output) ----------
def approval_item(item_id="mcpa_1"):
    return ev("conversation.item.done", item={"id": item_id, "type": "mcp_approval_response"})


def test_an_answer_after_an_item_refused_as_a_response_began_is_asked_again_once_it_is_done():
    turns = TurnTaking()
    [sent] = turns.answer(after="mcpa_1")
    turns.follow(ev("response.created"))  # the user spoke: begun before the approval was in
    turns.follow(approval_item())
    turns.follow(refused(sent))
    [again] = turns.follow(done()).send
    assert again["type"] == "response.create" and again["event_id"] != sent["event_id"]
    turns.follow(ev("response.created"))
    assert turns.follow(done("resp_2")).send == []  # answered: once


def test_an_answer_after_an_item_waits_for_an_active_response_without_being_refused():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    assert turns.answer(after="call_1") == []
    turns.follow(ev("conversation.item.done", item={"id": "item_9", "type": "function_call_output", "call_id": "call_1"}))
    assert kinds(turns.follow(done()).send) == CREATE


def test_a_response_the_api_starts_once_the_item_is_in_covers_the_answer():
    turns = TurnTaking()
    [sent] = turns.answer(after="mcpa_1")
    turns.follow(approval_item())
    turns.follow(ev("response.created"))  # the API went on by itself after the approval
    assert turns.follow(refused(sent)).send == []
    assert turns.follow(done()).send == []  # no second answer


def test_a_response_the_api_starts_by_itself_after_a_deferred_answer_is_not_answered_twice():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    assert turns.answer(after="mcpa_1") == []
    turns.follow(approval_item())
    [sent] = turns.follow(done()).send  # the user's response is done: ours is asked for
    turns.follow(ev("response.created"))  # ... as the API's own, after the approval, begins
    turns.follow(refused(sent))
    assert turns.follow(done("resp_2")).send == []


def test_a_refusal_of_another_connections_event_or_without_an_id_is_not_ours():
    turns = TurnTaking()
    turns.answer()
    turns.follow(ev("response.created"))
    for error in ({**ACTIVE, "event_id": "evt_page_1"}, ACTIVE):
        assert turns.follow(ev("error", error=error)).send == []
    assert turns.follow(done()).send == []


def test_refusals_are_asked_again_a_few_times_then_given_up():
    turns = TurnTaking()
    [sent] = turns.answer(after="mcpa_1")
    asked = 1
    for round_ in range(10):
        turns.follow(ev("response.created"))  # begun before the item each time: never covers it
        turns.follow(refused(sent))
        again = turns.follow(done(f"resp_{round_}")).send
        if not again:
            break
        [sent] = again
        asked += 1
    assert asked == 1 + turn_taking.MAX_REFUSALS


def test_other_errors_change_nothing():
    turns = TurnTaking()
    [sent] = turns.answer()
    step = turns.follow(ev("error", error={"type": "server_error", "code": None, "message": "x", "event_id": sent["event_id"]}))
    assert step.send == [] and not turns.answer_next
    assert turns.follow(ev("error", error="not an object")).send == []


def test_an_earlier_item_that_never_came_does_not_keep_a_later_answer_from_being_covered():
    turns = TurnTaking()
    turns.answer(after="mcpa_lost")  # its item was refused: it never arrives
    [sent] = turns.answer(after="call_1")  # then a tool's output, and its answer
    turns.follow(ev("conversation.item.done", item={"id": "item_9", "type": "function_call_output", "call_id": "call_1"}))
    turns.follow(ev("response.created"))  # the API answers it by itself
    turns.follow(refused(sent))
    assert turns.follow(done()).send == []  # covered: no second answer
