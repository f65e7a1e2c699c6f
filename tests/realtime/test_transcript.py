"""The transcript reducer on GA-shaped event sequences."""

import itertools

import pytest

from voice_app.realtime.transcript import ENTRIES, LIVE, SEEN_KEPT, Transcript

_ids = itertools.count()


def ev(kind, **fields):
    return {"type": kind, "event_id": f"event_{next(_ids)}", **fields}


def user_audio(item_id, previous=None):
    item = {
        "id": item_id,
        "object": "realtime.item",
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_audio", "transcript": None}],
    }
    return [
        ev("conversation.item.added", item=item, previous_item_id=previous),
        ev("conversation.item.done", item=item, previous_item_id=previous),
    ]


def user_text(item_id, text, previous=None):
    item = {
        "id": item_id,
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": text}],
    }
    return [ev("conversation.item.added", item=item, previous_item_id=previous)]


def assistant(item_id, previous, status="in_progress", transcript=None):
    content = [] if transcript is None else [{"type": "output_audio", "transcript": transcript}]
    return {"id": item_id, "type": "message", "role": "assistant", "status": status, "content": content}


def reply(item_id, previous, words, status="completed"):
    where = {"response_id": "resp_1", "item_id": item_id, "output_index": 0, "content_index": 0}
    said = "".join(words)
    events = [ev("conversation.item.added", item=assistant(item_id, previous), previous_item_id=previous)]
    events += [ev("response.output_audio_transcript.delta", **where, delta=w) for w in words]
    events += [
        ev("response.output_audio_transcript.done", **where, transcript=said),
        ev(
            "conversation.item.done",
            item=assistant(item_id, previous, "completed" if status == "completed" else "incomplete", said),
            previous_item_id=previous,
        ),
    ]
    return events


def transcribed(item_id, text):
    return [
        ev("conversation.item.input_audio_transcription.delta", item_id=item_id, content_index=0, delta=text[:3]),
        ev("conversation.item.input_audio_transcription.delta", item_id=item_id, content_index=0, delta=text[3:]),
        ev(
            "conversation.item.input_audio_transcription.completed",
            item_id=item_id,
            content_index=0,
            transcript=text,
            usage={"type": "duration", "seconds": 1.0},
        ),
    ]


def shown(transcript):
    return [(e["role"], e["text"], e["status"]) for e in transcript.entries]


def test_user_stands_before_the_reply_though_transcribed_after_it():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    t.apply_all(reply("item_a", "item_u", ["Hi ", "there."])[:2])  # reply starts streaming
    t.apply_all(transcribed("item_u", "Hello, model"))
    t.apply_all(reply("item_a", "item_u", ["Hi ", "there."])[2:])
    assert shown(t) == [("user", "Hello, model", "done"), ("assistant", "Hi there.", "done")]
    assert t.live == {}


def test_an_item_is_placed_after_its_previous_item_not_at_the_end():
    t = Transcript()
    t.apply_all(user_text("item_1", "first"))
    t.apply_all(user_text("item_3", "third", previous="item_1"))
    t.apply_all(user_text("item_2", "second", previous="item_1"))
    assert [e["text"] for e in t.entries] == ["first", "second", "third"]


def test_the_transcript_names_only_the_entries_a_save_must_write():
    t = Transcript()
    t.apply_all(user_text("item_1", "first") + user_text("item_3", "third", previous="item_1"))
    assert t.dirty == {"item_1", "item_3"}
    t.dirty.clear()  # saved
    added = reply("item_4", "item_3", ["Streaming ", "text."])
    t.apply_all(added[:3])
    assert t.dirty == {"item_4"}  # added; its streaming text is not saved until it settles
    t.dirty.clear()
    t.apply_all(added[3:])
    assert t.dirty == {"item_4"}  # settled
    t.dirty.clear()
    # Placed in the middle: it and the entries after it changed place; those before did not.
    t.apply_all(user_text("item_2", "second", previous="item_1"))
    assert t.dirty == {"item_2", "item_3", "item_4"}
    t.dirty.clear()
    t.end_call()
    assert t.dirty == set()  # nothing was streaming


def test_a_new_session_appends_after_the_kept_conversation():
    t = Transcript()
    t.apply_all(user_text("item_old", "before the reconnect"))
    t.apply_all(user_text("item_new", "after", previous=None))
    assert [e["id"] for e in t.entries] == ["item_old", "item_new"]


def test_deltas_stream_into_live_text_for_both_roles_then_settle():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    changed = t.apply(ev("conversation.item.input_audio_transcription.delta", item_id="item_u", content_index=0, delta="Hel"))
    assert changed == {LIVE} and t.live == {"item_u": "Hel"}
    added = reply("item_a", "item_u", ["One ", "two."])
    assert t.apply(added[0]) == {ENTRIES}
    assert t.apply(added[1]) == {LIVE} and t.apply(added[2]) == {LIVE}
    assert t.live == {"item_u": "Hel", "item_a": "One two."}
    t.apply_all(added[3:])
    assert t.live == {"item_u": "Hel"} and t.entries[1]["text"] == "One two."


def test_repeated_events_are_applied_once():
    t = Transcript()
    events = user_audio("item_u") + reply("item_a", "item_u", ["Once ", "only."])
    t.apply_all([e for e in events for _ in (0, 1)])  # every event twice, ids and all
    assert shown(t) == [("user", "", "in_progress"), ("assistant", "Once only.", "done")]


def test_only_recent_event_ids_are_remembered():
    t = Transcript()
    first = ev("response.output_audio_transcript.delta", item_id="item_a", delta="a")
    t.apply(first)
    t.apply_all([ev("response.output_audio_transcript.delta", item_id="item_b", delta="b") for _ in range(SEEN_KEPT - 1)])
    assert t.apply(first) == set() and t.live["item_a"] == "a", "still remembered"
    t.apply(ev("response.output_audio_transcript.delta", item_id="item_b", delta="b"))
    assert t.apply(first) == {LIVE} and len(t._seen) == SEEN_KEPT, "the oldest is forgotten: memory stays bounded"


def test_a_second_added_for_the_same_item_does_not_duplicate_it():
    t = Transcript()
    t.apply_all(user_text("item_1", "hi"))
    t.apply_all(user_text("item_1", "hi"))  # same item, new event id
    assert len(t.entries) == 1


def test_unknown_and_malformed_events_change_nothing():
    t = Transcript()
    assert (
        t.apply_all(
            [ev("rate_limits.updated", rate_limits=[]), ev("made.up"), {"type": None}, "junk", ev("conversation.item.added")]
        )
        == set()
    )
    assert t.entries == []


def test_interrupted_reply_keeps_what_was_said_and_is_marked():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    events = reply("item_a", "item_u", ["I was ", "saying"], status="cancelled")
    t.apply_all(events[:3])
    t.apply(
        ev(
            "response.done",
            response={"id": "resp_1", "status": "cancelled", "output": [assistant("item_a", "item_u", "incomplete")]},
        )
    )
    assert shown(t)[1] == ("assistant", "I was saying", "interrupted")


def test_cancelled_reply_marked_by_its_item_done_too():
    t = Transcript()
    t.apply_all(reply("item_a", None, ["Half"], status="cancelled"))
    assert shown(t) == [("assistant", "Half", "interrupted")]


def test_failed_transcription_is_marked_failed():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    t.apply(
        ev(
            "conversation.item.input_audio_transcription.failed",
            item_id="item_u",
            content_index=0,
            error={"type": "transcription_error", "code": "audio_unintelligible", "message": "x"},
        )
    )
    assert shown(t) == [("user", "", "failed")]


def test_ending_a_call_settles_what_was_streaming():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    t.apply_all(reply("item_a", "item_u", ["Cut ", "off"])[:2])
    assert t.end_call() == {ENTRIES, LIVE}
    assert shown(t) == [("user", "", "interrupted"), ("assistant", "Cut ", "interrupted")]
    assert t.live == {}


@pytest.mark.parametrize(
    "kind, field", [("response.output_text.delta", "text"), ("response.output_audio_transcript.delta", "transcript")]
)
def test_text_and_audio_replies_stream_alike(kind, field):
    t = Transcript()
    t.apply_all([ev("conversation.item.added", item=assistant("item_a", None), previous_item_id=None)])
    t.apply(ev(kind, response_id="r", item_id="item_a", output_index=0, content_index=0, delta="abc"))
    t.apply(
        ev(kind.replace(".delta", ".done"), response_id="r", item_id="item_a", output_index=0, content_index=0, **{field: "abc"})
    )
    assert t.entries[0]["text"] == "abc" and t.live == {}


def test_a_tool_call_is_one_entry_with_its_arguments_result_and_duration():
    t = Transcript()
    t.apply_all(user_text("item_u", "what time is it?"))
    call = {
        "id": "item_c",
        "type": "function_call",
        "call_id": "c1",
        "name": "current_time",
        "arguments": "",
        "status": "in_progress",
    }
    t.apply(ev("conversation.item.added", item=call, previous_item_id="item_u"))
    assert shown(t)[1] == ("tool", "current_time()", "in_progress")
    t.apply(
        ev(
            "response.function_call_arguments.done",
            response_id="r",
            item_id="item_c",
            output_index=0,
            call_id="c1",
            name="current_time",
            arguments='{"timezone": "UTC"}',
        )
    )
    t.apply(ev("conversation.item.done", item={**call, "arguments": '{"timezone": "UTC"}', "status": "completed"}))
    assert shown(t)[1] == ("tool", 'current_time({"timezone": "UTC"})', "in_progress")  # asked for, not yet run
    assert t.tool_finished("c1", "12:00 UTC", failed=False, duration_ms=3) == {ENTRIES}
    out = {"id": "item_o", "type": "function_call_output", "call_id": "c1", "output": "12:00 UTC"}
    assert t.apply(ev("conversation.item.added", item=out, previous_item_id="item_c")) == set()  # shown already
    assert shown(t) == [
        ("user", "what time is it?", "done"),
        ("tool", 'current_time({"timezone": "UTC"}) → 12:00 UTC · 3 ms', "done"),
    ]


def test_a_tool_that_finishes_before_its_item_is_done_still_shows_its_call():
    """A tool's result may come back before the item's `conversation.item.done` reaches Python."""
    t = Transcript()
    call = {
        "id": "item_c",
        "type": "function_call",
        "call_id": "c1",
        "name": "current_time",
        "arguments": "",
        "status": "in_progress",
    }
    t.apply(ev("conversation.item.added", item=call))
    t.apply(
        ev(
            "response.function_call_arguments.done",
            response_id="r",
            item_id="item_c",
            output_index=0,
            call_id="c1",
            name="current_time",
            arguments='{"timezone": "UTC"}',
        )
    )
    assert shown(t) == [("tool", 'current_time({"timezone": "UTC"})', "in_progress")]
    t.tool_finished("c1", "12:00 UTC", failed=False, duration_ms=1)
    t.apply(ev("conversation.item.done", item={**call, "arguments": '{"timezone": "UTC"}', "status": "completed"}))
    assert shown(t) == [("tool", 'current_time({"timezone": "UTC"}) → 12:00 UTC · 1 ms', "done")]


def test_a_failed_tool_is_marked_failed():
    t = Transcript()
    t.apply(
        ev(
            "conversation.item.added",
            item={"id": "i", "type": "function_call", "call_id": "c", "name": "calc", "arguments": "{}"},
        )
    )
    t.tool_finished("c", "Error: calc failed", failed=True, duration_ms=1)
    assert shown(t) == [("tool", "calc({}) → Error: calc failed · 1 ms", "failed")]


@pytest.mark.parametrize("status", ["cancelled", "incomplete", "failed"])
def test_a_call_of_a_response_that_did_not_complete_shows_it_was_not_run(status):
    t = Transcript()
    call = {
        "id": "item_c",
        "type": "function_call",
        "call_id": "c1",
        "name": "current_time",
        "arguments": "",
        "status": "in_progress",
    }
    t.apply(ev("conversation.item.added", item=call))
    t.apply(
        ev(
            "response.function_call_arguments.done",
            response_id="r",
            item_id="item_c",
            output_index=0,
            call_id="c1",
            name="current_time",
            arguments="{}",
        )
    )
    t.apply(ev("conversation.item.done", item={**call, "arguments": "{}", "status": "incomplete"}))
    t.apply(ev("response.done", response={"id": "r", "status": status, "output": [{**call, "status": "incomplete"}]}))
    assert shown(t) == [("tool", f"current_time({{}}) · not run: the response was {status}", "interrupted")]


def _answered(t, item_id="item_a", response_id="resp_1"):
    item = assistant(item_id, None, status="completed", transcript="A long answer.")
    t.apply(ev("response.created", response={"id": response_id, "status": "in_progress", "output": []}))
    t.apply(ev("conversation.item.added", item={**item, "status": "in_progress", "content": []}))
    t.apply(ev("output_audio_buffer.started", response_id=response_id))
    t.apply(ev("conversation.item.done", item=item))
    t.apply(ev("response.done", response={"id": response_id, "status": "completed", "output": [item]}))


def test_an_answer_cut_while_its_audio_still_plays_is_marked_interrupted():
    t = Transcript()
    _answered(t)
    assert shown(t) == [("assistant", "A long answer.", "done")]
    assert t.apply(ev("output_audio_buffer.cleared", response_id="resp_1")) == {ENTRIES}
    assert shown(t) == [("assistant", "A long answer.", "interrupted")]


def test_an_answer_heard_to_the_end_stays_done():
    t = Transcript()
    _answered(t)
    t.apply(ev("output_audio_buffer.stopped", response_id="resp_1"))
    assert t.apply(ev("output_audio_buffer.cleared", response_id="resp_1")) == set()
    assert shown(t) == [("assistant", "A long answer.", "done")]


def test_a_transcript_kept_by_an_older_version_still_works():
    import pickle
    from collections import deque

    old = Transcript()
    old.apply_all(user_text("item_u", "hello"))
    state = dict(old.__dict__)
    del state["dirty"], state["playing"]  # fields this version added
    state["_playing"] = {"resp_0": ["item_0"]}  # what `playing` replaced
    state["_seen"] = deque(["event_seen"], maxlen=1024)  # as older versions kept it
    kept = Transcript.__new__(Transcript)
    kept.__setstate__(state)
    repeated = ev("conversation.item.added", item=assistant("item_x", "item_u"), previous_item_id="item_u")
    assert kept.apply({**repeated, "event_id": "event_seen"}) == set(), "an event it saw is still dropped"
    assert kept.apply(ev("conversation.item.added", item=assistant("item_a", "item_u"), previous_item_id="item_u")) == {ENTRIES}
    assert "item_a" in kept.dirty and pickle.loads(pickle.dumps(kept)).entries == kept.entries


def test_items_given_to_a_new_session_change_nothing_shown():
    t = Transcript()
    t.apply_all(user_text("item_u", "The code word is pelican"))
    t.apply_all(reply("item_a", "item_u", ["Noted, ", "pel"]))
    t.apply(ev("output_audio_buffer.cleared", response_id="resp_1"))  # however it ended
    before = [dict(e) for e in t.entries]
    t.given = {"item_u", "item_a"}
    for item_id, role, text in (("item_u", "user", "The code word is pelican"), ("item_a", "assistant", "Noted, pel")):
        kind = "input_text" if role == "user" else "output_text"
        item = {"type": "message", "role": role, "id": item_id, "status": "completed", "content": [{"type": kind, "text": text}]}
        assert t.apply(ev("conversation.item.added", item=item, previous_item_id=None)) == set()
        assert t.apply(ev("conversation.item.done", item=item, previous_item_id=None)) == set()
    assert t.entries == before, "no second copy, and no status changed by the copy"


def test_a_new_sessions_first_turn_goes_after_every_entry_shown_not_just_those_it_was_given():
    t = Transcript()
    t.apply_all(user_text("item_u", "hello"))
    t.apply_all([ev("conversation.item.added", item=assistant("item_a", "item_u"), previous_item_id="item_u")])
    t.end_call()  # its answer was cut before any word: not given to the next session
    t.given = {"item_u"}
    t.apply_all(user_text("item_u2", "again", previous="item_u"))
    assert [e["id"] for e in t.entries] == ["item_u", "item_a", "item_u2"]


def test_a_result_that_comes_before_its_call_waits_for_it():
    """The server runs a tool from its own events, which may beat the page's report of the call."""
    transcript = Transcript()
    assert transcript.tool_finished("call_1", "35", False, 3) == set()
    transcript.apply(
        {
            "type": "conversation.item.added",
            "item": {"id": "item_1", "type": "function_call", "name": "calculate", "call_id": "call_1", "arguments": ""},
        }
    )
    transcript.apply(
        {
            "type": "response.function_call_arguments.done",
            "item_id": "item_1",
            "call_id": "call_1",
            "name": "calculate",
            "arguments": '{"expression": "5*7"}',
        }
    )
    [entry] = transcript.entries
    assert entry["status"] == "done"
    assert entry["text"] == 'calculate({"expression": "5*7"}) → 35 · 3 ms'


def test_the_silence_an_idle_nudge_commits_is_no_user_turn_but_its_answer_shows():
    t = Transcript()
    t.take(
        [
            ev("input_audio_buffer.timeout_triggered", audio_start_ms=0, audio_end_ms=5000, item_id="item_quiet"),
            *user_audio("item_quiet"),
            *reply("item_nudge", "item_quiet", ["Are you ", "still there?"]),
        ]
    )
    assert [(e["id"], e["role"], e["text"]) for e in t.entries] == [("item_nudge", "assistant", "Are you still there?")]
