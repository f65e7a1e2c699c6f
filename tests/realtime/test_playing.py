"""The one reducer of what is playing (playing.py): the answers in the call's audio, in order."""

import pickle

import pytest

from tests.realtime.test_transcript import assistant, ev
from voice_app.realtime import playing as playing_module
from voice_app.realtime.playing import Playing
from voice_app.realtime.turn_taking import TurnTaking


def _answer(p: Playing, response_id: str, item_id: str, now: float, audio: bool = True):
    p.follow(ev("response.created", response={"id": response_id, "status": "in_progress", "output": []}), now)
    p.follow(ev("conversation.item.added", item=assistant(item_id, None)), now)
    if audio:
        p.follow(ev("output_audio_buffer.started", response_id=response_id), now)


def _cuts(sent: list[dict]) -> list[tuple[str, int]]:
    return [(e["item_id"], e["audio_end_ms"]) for e in sent]


@pytest.mark.parametrize(
    "stops, cut",
    [
        ("resp_a", ("item_b", 1500)),  # the one heard ends: the one queued behind it is heard from then (14.0)
        ("resp_b", ("item_a", 5500)),  # the one queued ends first: the one heard plays on
    ],
)
def test_voices_are_heard_in_the_order_they_entered_the_buffer(stops, cut):
    p = Playing()
    _answer(p, "resp_a", "item_a", now=10.0)
    _answer(p, "resp_b", "item_b", now=11.0)
    assert p.voices == ["resp_a", "resp_b"] and p.heard_since == 10.0
    p.follow(ev("output_audio_buffer.stopped", response_id=stops), now=14.0)
    assert _cuts(p.interrupt(now=15.5)) == [cut]


def test_a_clearing_cuts_every_voice_in_the_buffer_whichever_it_names():
    p = Playing()
    _answer(p, "resp_a", "item_a", now=10.0)
    _answer(p, "resp_b", "item_b", now=11.0)
    assert p.cut_items() == ["item_a", "item_b"]
    p.follow(ev("output_audio_buffer.cleared", response_id="resp_b"), now=12.0)
    assert not p.sounding and p.cut_items() == [] and p.interrupt(now=13.0) == []


def test_an_answer_still_generating_is_not_heard_and_not_cut():
    p = Playing()
    _answer(p, "resp_a", "item_a", now=10.0)
    _answer(p, "resp_b", "item_b", now=11.0, audio=False)
    assert _cuts(p.interrupt(now=12.0)) == [("item_a", 2000)]


def test_an_answers_messages_are_those_added_while_it_is_active_and_those_it_lists_when_done():
    p = Playing()
    p.follow(ev("conversation.item.added", item=assistant("item_x", None)), 1.0)  # no response active: no one's
    _answer(p, "resp_a", "item_a", now=1.0, audio=False)
    p.follow(ev("conversation.item.added", item={"id": "item_u", "type": "message", "role": "user", "content": []}), 1.0)
    p.follow(ev("response.done", response={"id": "resp_a", "status": "completed", "output": [assistant("item_a", None)]}), 2.0)
    p.follow(ev("conversation.item.added", item=assistant("item_y", None)), 2.0)  # after it was done: not its
    p.follow(ev("response.done", response={"id": "resp_c", "status": "completed", "output": [assistant("item_c", None)]}), 2.0)
    assert p.answers == {"resp_a": ["item_a"], "resp_c": ["item_c"]} and p.active == ""


def test_a_voice_of_a_response_whose_messages_are_unknown_is_cut_without_a_truncation():
    p = Playing()
    p.follow(ev("output_audio_buffer.started", response_id="resp_z"), 1.0)
    assert p.sounding and p.interrupt(now=2.0) == [] and not p.sounding


def test_events_with_malformed_fields_change_nothing():
    p = Playing()
    for event in (
        ev("response.created", response="x"),
        ev("response.done", response={"id": 5, "output": "no"}),
        ev("output_audio_buffer.started", response_id=None),
        ev("conversation.item.added", item=[1]),
    ):
        p.follow(event, 1.0)
    assert p == Playing()


def test_it_remembers_only_recent_answers(monkeypatch):
    monkeypatch.setattr(playing_module, "ANSWERS_KEPT", 3)
    p = Playing()
    for n in range(5):
        _answer(p, f"resp_{n}", f"item_{n}", now=float(n), audio=False)
    assert list(p.answers) == ["resp_2", "resp_3", "resp_4"]


def test_turn_taking_kept_by_an_older_version_starts_with_nothing_playing():
    old = TurnTaking()
    state = {**old.__dict__, "playing": ["resp_a"]}  # it was a list of response ids
    del state["clock"]
    kept = TurnTaking.__new__(TurnTaking)
    kept.__setstate__(state)
    assert not kept.answering and kept.interrupt() == [{"type": "output_audio_buffer.clear"}]
    assert pickle.loads(pickle.dumps(kept)).playing == Playing()
