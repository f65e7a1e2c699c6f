"""Overlapping answers: response A's voice still plays when response B begins, and the user
interrupts. The page's truncation and the transcript's "(interrupted)" must name the same item,
the one being heard (A's), whichever response the API's `output_audio_buffer.cleared` names."""

import pytest

from tests.realtime.test_transcript import assistant, ev
from voice_app.realtime.transcript import Transcript
from voice_app.realtime.turn_taking import TurnTaking

A_TEXT = "The quick brown fox jumps over the lazy dog and keeps on running far away from here."


def _answer_a() -> list[tuple[float, dict]]:
    said = assistant("item_a", None, "completed", A_TEXT)
    return [
        (100.0, ev("response.created", response={"id": "resp_a", "status": "in_progress", "output": []})),
        (100.0, ev("conversation.item.added", item=assistant("item_a", None), previous_item_id=None)),
        (100.0, ev("output_audio_buffer.started", response_id="resp_a")),
        (100.5, ev("conversation.item.done", item=said, previous_item_id=None)),
        (100.5, ev("response.done", response={"id": "resp_a", "status": "completed", "output": [said]})),
    ]


def _answer_b_begins(b_audio: bool) -> list[tuple[float, dict]]:
    """B begins (after a tool's output, say) while A's voice plays on; its own voice, if any,
    is queued behind A's."""
    events = [
        (103.0, ev("response.created", response={"id": "resp_b", "status": "in_progress", "output": []})),
        (103.0, ev("conversation.item.added", item=assistant("item_b", "item_a"), previous_item_id="item_a")),
    ]
    return events + ([(103.5, ev("output_audio_buffer.started", response_id="resp_b"))] if b_audio else [])


class Page:
    """What the page keeps of a call, wired as CallState and ConversationState wire it."""

    def __init__(self):
        self.turns, self.transcript = TurnTaking(runs_tools=False), Transcript()

    def hear(self, timed: list[tuple[float, dict]]):
        for now, event in timed:
            self.transcript.clock = self.turns.clock = lambda now=now: now
            self.transcript.apply(event)
            self.turns.follow(event)

    def interrupt(self, now: float) -> list[dict]:
        self.turns.clock = lambda: now
        return self.turns.interrupt()


@pytest.mark.parametrize("b_audio", [False, True], ids=["b-generating", "b-voice-queued"])
@pytest.mark.parametrize("cleared_names", ["resp_a", "resp_b"])
def test_the_item_truncated_and_the_item_marked_interrupted_are_the_one_being_heard(b_audio, cleared_names):
    page = Page()
    page.hear(_answer_a() + _answer_b_begins(b_audio))
    sent = page.interrupt(now=105.0)
    truncated = [(e["item_id"], e["audio_end_ms"]) for e in sent if e["type"] == "conversation.item.truncate"]
    assert truncated[:1] == [("item_a", 5000)], "A's voice was heard for 5 s: it is the one cut"
    assert truncated[1:] == ([("item_b", 0)] if b_audio else []), "B's, queued, was not heard at all"
    # The API's answer: the buffer cleared, B cancelled, the truncation done.
    page.hear(
        [
            (105.1, ev("output_audio_buffer.cleared", response_id=cleared_names)),
            (
                105.1,
                ev(
                    "response.done",
                    response={"id": "resp_b", "status": "cancelled", "output": [assistant("item_b", "item_a", "incomplete", "")]},
                ),
            ),
            *[
                (105.2, ev("conversation.item.truncated", item_id=item_id, content_index=0, audio_end_ms=ms))
                for item_id, ms in truncated
            ],
        ]
    )
    a = page.transcript.find("item_a")
    assert (a["status"], a.get("heard_chars")) == ("interrupted", "73")
    assert not page.turns.answering
