"""GPT-Live's transcript fragments grouped into entries, in the Realtime API's words. Pure.

Fragments carry `start_ms`/`end_ms` on the session's timeline and nothing else: no item ids, no
turns, no done events, and they may arrive out of order (the user's words after the answer's).
A speaker's fragment continues that speaker's latest entry unless
- the other speaker began an entry between the two (a barge-in, or an answer: a new entry),
- a tool was called between them (`fence`), or
- it comes after a pause of TURN_GAP_MS;
else it starts a new entry, placed on the timeline by its start. An entry is whole once the other
speaker starts after its end, once a tool is called, or when the session ends; words that arrive
for an entry already whole are added to it (it is settled again, with all of them).
"""

from dataclasses import dataclass, field

from voice_app.realtime import bounds
from voice_app.realtime.events import ServerEvent as E

TURN_GAP_MS = 2500  # a pause this long within one speaker's words starts a new entry
USER, ASSISTANT = "user", "assistant"


@dataclass
class _Turn:
    speaker: str
    item_id: str
    start_ms: int
    end_ms: int
    text: str = ""
    whole: bool = False


def _other(speaker: str) -> str:
    return ASSISTANT if speaker == USER else USER


@dataclass
class Turns:
    session_id: str  # entry ids start with it: unique across a conversation's sessions
    anchor: str = "root"  # the entry this session's first entries follow ("root": none)
    fence_ms: int = -1  # where the latest tool call stands: no entry continues across it
    _last: dict[str, _Turn] = field(default_factory=dict)  # speaker -> their latest entry
    _timeline: list[tuple[int, str]] = field(default_factory=list)  # (start_ms, id), in order
    _made: int = 0
    _now_ms: int = 0  # the latest end heard

    def fragment(self, speaker: str, delta: str, start: int, end: int) -> list[dict]:
        out = []
        other = self._last.get(_other(speaker))
        if other and not other.whole and other.end_ms <= start:
            out += self._whole(other)
        turn = self._last.get(speaker)
        if turn is None or not self._continues(turn, other, start):
            if turn is not None and not turn.whole:
                out += self._whole(turn)
            turn = self._begin(speaker, start, end, out)
        turn.text, turn.end_ms = bounds.text(turn.text + delta), max(turn.end_ms, end)
        self._now_ms = max(self._now_ms, end)
        if turn.whole:  # late words for an entry already whole: it is settled again, with them
            return [*out, *self._settled(turn)]
        kind = E.TRANSCRIPTION_DELTA if speaker == USER else E.AUDIO_TRANSCRIPT_DELTA
        return [*out, {"type": kind.value, "item_id": turn.item_id, "delta": delta}]

    def tool_called(self) -> tuple[list[dict], str]:
        """A tool is being called now: what was being said is whole; returns it, and the id the
        call's entry follows (it stands after everything said so far)."""
        out = [event for turn in self._last.values() if not turn.whole for event in self._whole(turn)]
        self.fence_ms = self._now_ms
        return out, self._timeline[-1][1] if self._timeline else self.anchor

    def placed(self, item_id: str) -> None:
        """An entry that is not words (a tool call) now stands at the end of the timeline."""
        self._place(self._now_ms, item_id)

    def finish(self) -> list[dict]:
        return [event for turn in self._last.values() if not turn.whole for event in self._whole(turn)]

    def _continues(self, turn: _Turn, other: _Turn | None, start: int) -> bool:
        if start - turn.end_ms >= TURN_GAP_MS:
            return False
        if other is not None and turn.start_ms < other.start_ms <= start:
            return False  # the other speaker began in between
        return not turn.start_ms < self.fence_ms <= start

    def _begin(self, speaker: str, start: int, end: int, out: list) -> _Turn:
        self._made += 1
        turn = self._last[speaker] = _Turn(speaker, f"{self.session_id}-{speaker[0]}{self._made}", start, end)
        out.append(
            {
                "type": E.ITEM_ADDED.value,
                "previous_item_id": self._place(start, turn.item_id),
                "item": {"id": turn.item_id, "type": "message", "role": speaker, "content": []},
            }
        )
        return turn

    def _place(self, start_ms: int, item_id: str) -> str:
        """Into the timeline by its start; returns the id it follows."""
        at = len(self._timeline)
        while at and self._timeline[at - 1][0] > start_ms:
            at -= 1
        self._timeline.insert(at, (start_ms, item_id))
        previous = self._timeline[at - 1][1] if at else self.anchor
        if len(self._timeline) > bounds.MAX_ENTRIES:  # a page's made-up fragments cannot grow it without end
            del self._timeline[0]
        return previous

    def _whole(self, turn: _Turn) -> list[dict]:
        turn.whole = True
        return self._settled(turn)

    @staticmethod
    def _settled(turn: _Turn) -> list[dict]:
        if turn.speaker == USER:
            return [{"type": E.TRANSCRIPTION_COMPLETED.value, "item_id": turn.item_id, "transcript": turn.text}]
        item = {
            "id": turn.item_id,
            "type": "message",
            "role": ASSISTANT,
            "status": "completed",
            "content": [{"type": "output_audio", "transcript": turn.text}],
        }
        return [{"type": E.ITEM_DONE.value, "item": item}]
