"""What the user heard of an interrupted answer: the cut in the text (heard.py), the answer's
entry marked from `conversation.item.truncated`, and the truncation the page sends when the user
interrupts."""

import pytest

from tests.realtime.test_transcript import assistant, ev, reply, user_audio
from voice_app.realtime import api_rules
from voice_app.realtime.heard import CHARS_PER_SECOND, MAX_AUDIO_MS, heard_chars, played_ms
from voice_app.realtime.playing import Playing
from voice_app.realtime.transcript import ENTRIES, Transcript

ANSWER = "The quick brown fox jumps over the lazy dog and keeps on running far away."


@pytest.mark.parametrize(
    "audio_end_ms, heard",
    [
        (0, ""),
        (-50, ""),
        (1000, "The quick brown"),  # 15 characters a second: exactly "The quick brown"
        (1100, "The quick brown"),  # "f" of "fox" said: the word is not heard
        (1300, "The quick brown fox"),
        (60_000, ANSWER),
    ],
)
def test_the_heard_part_ends_at_the_last_whole_word_the_voice_reached(audio_end_ms, heard):
    assert ANSWER[: heard_chars(ANSWER, audio_end_ms)] == heard


def test_the_cut_follows_the_speaking_rate():
    assert CHARS_PER_SECOND == 15.0
    assert heard_chars("a" * 10 + " " + "b" * 100, 1000) == 10  # 15 characters reach into the b's
    assert heard_chars("one two\nthree four", 600) == 7  # 9 characters reach into "three": a line break ends a word too


@pytest.mark.parametrize(
    "value, ms", [(1234.7, 1234), ("99", 99), (-5, 0), (1e30, MAX_AUDIO_MS), ("x", 0), (None, 0), (float("inf"), 0)]
)
def test_a_played_time_is_bounded_whatever_sent_it(value, ms):
    assert played_ms(value) == ms


def _answered_and_playing(t: Transcript):
    t.apply_all(user_audio("item_u"))
    t.apply_all(reply("item_a", "item_u", [ANSWER]))
    t.apply(
        ev(
            "response.done",
            response={"id": "resp_1", "status": "completed", "output": [assistant("item_a", "item_u", "completed", ANSWER)]},
        )
    )


def test_a_truncated_answer_is_interrupted_and_knows_where_it_was_heard_to():
    t = Transcript()
    _answered_and_playing(t)
    t.dirty.clear()
    t.apply(ev("output_audio_buffer.cleared", response_id="resp_1"))
    assert t.apply(ev("conversation.item.truncated", item_id="item_a", content_index=0, audio_end_ms=1300)) == {ENTRIES}
    entry = t.find("item_a")
    assert (entry["text"], entry["status"], entry["heard_chars"]) == (ANSWER, "interrupted", "19")
    assert "item_a" in t.dirty  # saved so


def test_a_cut_that_comes_while_the_answer_still_streams_applies_when_it_settles():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    events = reply("item_a", "item_u", ["The quick ", "brown fox ", "jumps"], status="cancelled")
    t.apply_all(events[:3])
    t.apply(ev("conversation.item.truncated", item_id="item_a", content_index=0, audio_end_ms=700))
    assert t.find("item_a")["status"] == "in_progress" and "heard_chars" not in t.find("item_a")
    t.apply_all(events[3:])
    entry = t.find("item_a")
    assert (entry["text"], entry["status"], entry["heard_chars"]) == ("The quick brown fox jumps", "interrupted", "9")


def test_truncation_of_a_message_not_the_models_changes_nothing():
    t = Transcript()
    t.apply_all(user_audio("item_u"))
    assert t.apply(ev("conversation.item.truncated", item_id="item_u", content_index=0, audio_end_ms=10)) == set()
    assert t.apply(ev("conversation.item.truncated", item_id="item_x", content_index=0, audio_end_ms=10)) == set()
    assert "heard_chars" not in t.find("item_u")


def test_interrupting_a_playing_answer_says_how_much_of_it_was_heard():
    playing = Playing()
    playing.follow(ev("response.created", response={"id": "resp_1"}), now=100.0)
    playing.follow(ev("conversation.item.added", item=assistant("item_a", None)), now=100.0)
    assert playing.interrupt(now=100.5) == []  # its audio has not started
    playing.follow(ev("output_audio_buffer.started", response_id="resp_1"), now=101.0)
    sent = playing.interrupt(now=103.25)
    assert sent == [
        {
            "type": "conversation.item.truncate",
            "event_id": "truncate_item_a",
            "item_id": "item_a",
            "content_index": 0,
            "audio_end_ms": 2250,
        }
    ]
    assert playing.interrupt(now=104.0) == []  # once


@pytest.mark.parametrize("ended", ["output_audio_buffer.stopped", "output_audio_buffer.cleared"])
def test_an_answer_heard_to_the_end_or_cut_by_the_server_is_not_truncated_by_the_page(ended):
    playing = Playing()
    playing.follow(ev("response.created", response={"id": "resp_1"}), now=1.0)
    playing.follow(ev("conversation.item.added", item=assistant("item_a", None)), now=1.0)
    playing.follow(ev("output_audio_buffer.started", response_id="resp_1"), now=1.0)
    playing.follow(ev(ended, response_id="resp_1"), now=3.0)
    assert playing.interrupt(now=4.0) == []


def test_a_truncation_refused_because_the_voice_had_ended_is_a_race_not_shown():
    refused = {
        "code": "invalid_value",
        "message": "Audio content of 900ms is already shorter than 950ms",
        "event_id": "truncate_item_a",
    }
    assert api_rules.error_shown(refused)[0] == ""
    assert api_rules.error_shown({**refused, "event_id": "evt_other"})[0] == "error"


def test_the_page_gets_the_heard_and_unheard_words_apart():
    from voice_app.realtime.heard import as_shown

    cut = {"id": "item_a", "text": ANSWER, "status": "interrupted", "heard_chars": "19"}
    shown = as_shown(cut)
    assert (shown["heard"], shown["unheard"]) == ("The quick brown fox", ANSWER[19:])
    assert "unheard" not in as_shown({**cut, "heard_chars": str(len(ANSWER))})  # all of it heard
    assert "unheard" not in as_shown({**cut, "heard_chars": "²"}) and "unheard" not in as_shown({"text": "x"})
