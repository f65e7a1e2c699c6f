"""Whose turn it is: the rules of one response at a time, on GA-shaped event sequences."""

import itertools

from voice_app.realtime.transcript import Transcript
from voice_app.realtime.turn_taking import TurnTaking

_ids = itertools.count()
CREATE = {"type": "response.create"}
SPEED = {"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": 1.3}}}}


def ev(kind, **fields):
    return {"type": kind, "event_id": f"event_{next(_ids)}", **fields}


def call(call_id, response_id="resp_1"):
    return {"id": f"item_{call_id}", "type": "function_call", "call_id": call_id, "name": "current_time", "arguments": "{}"}


def done(response_id="resp_1", status="completed", output=()):
    return ev("response.done", response={"id": response_id, "status": status, "output": list(output)})


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
    for event in (ev("response.created"), ev("output_audio_buffer.started", response_id="resp_a"), done("resp_a"),
                  ev("response.created"), ev("output_audio_buffer.started", response_id="resp_b"), done("resp_b")):
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
    assert turns.follow(done()).send == [CREATE]
    assert turns.follow(done()).send == []  # once


def test_a_refused_answer_is_asked_for_again_after_the_response_that_was_in_the_way():
    turns = TurnTaking()
    assert turns.answer() == [CREATE]  # sent as a server-VAD response begins at the API
    shown, _ = turns.api_error({"type": "invalid_request_error", "code": "conversation_already_has_active_response",
                                "message": "Conversation already has an active response in progress."})
    assert shown == ""
    turns.follow(ev("response.created"))
    assert turns.follow(done()).send == [CREATE]


def test_tools_answer_once_with_their_outputs_even_if_an_answer_was_asked_for_meanwhile():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    turns.answer()  # e.g. a typed message while the tool-calling response streamed
    step = turns.follow(done(output=[call("c1")]))
    assert step.send == []  # not before the outputs exist
    assert turns.tool_done("resp_1", "c1", "ok")[-1] == CREATE
    turns.follow(ev("response.created"))
    assert turns.follow(done("resp_2")).send == []  # that answer covered both


def test_a_tool_of_an_earlier_session_sends_nothing():
    assert TurnTaking().tool_done("resp_old", "c1", "late") == []


def test_speed_waits_for_the_response_and_is_resent_if_it_crossed_one_starting():
    turns = TurnTaking()
    turns.follow(ev("response.created"))
    assert turns.speed(SPEED) == []
    assert turns.follow(done()).send == [SPEED]
    shown, _ = turns.api_error({"code": "invalid_value", "param": "session.audio.output.speed",
                                "message": "Cannot update speed while a response is in progress."})
    assert shown == ""
    turns.follow(ev("response.created"))
    assert turns.follow(done("resp_2")).send == [SPEED]
    assert TurnTaking().speed(SPEED) == [SPEED]  # between responses: at once


def test_push_to_talk_is_answered_only_once_the_api_has_the_audio():
    turns = TurnTaking()
    assert turns.commit() == [{"type": "input_audio_buffer.commit"}]
    assert turns.follow(ev("input_audio_buffer.committed", item_id="item_1")).send == [CREATE]
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
