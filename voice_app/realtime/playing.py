"""What is playing: the answers whose voice is in the call's audio, keyed by response id, and
which one the user hears now. Pure: server events in. Turn-taking (is anyone answering?), the
transcript (which entry an interrupt marks) and the page's truncation (which item, and where)
all read this one reducer, so they agree on what an interrupt cut. Each keeps its own copy (the
page's turn-taking and transcript live in two states, the server's record holds both), fed the
same events.

Over WebRTC the API's output audio is one buffer, played in order: `output_audio_buffer.started`
names a response whose voice entered it (a later answer's may enter while an earlier one still
plays: it is heard once that one ends), `.stopped` one heard to its end, and `.cleared` says the
whole buffer was cut. An answer's messages are the assistant messages added while it is the
active response (the API runs one at a time) and those its `response.done` lists.
"""

from dataclasses import dataclass, field

from voice_app.realtime.events import ClientEvent
from voice_app.realtime.events import ServerEvent as E
from voice_app.realtime.heard import TRUNCATE_EVENT, played_ms
from voice_app.realtime.items import as_dict, role_of, text_or_none

ANSWERS_KEPT = 16  # recent responses' messages: more than can be queued in the buffer at once


def _message_id(item) -> str | None:
    item = as_dict(item)
    return text_or_none(item.get("id")) if role_of(item) == "assistant" and item.get("type") == "message" else None


@dataclass
class Playing:
    answers: dict[str, list[str]] = field(default_factory=dict)  # response id -> its messages, oldest first
    active: str = ""  # the response being generated, whose messages are being added
    voices: list[str] = field(default_factory=list)  # responses whose voice is in the buffer, heard first
    heard_since: float | None = None  # when the first of `voices` began to be heard

    @property
    def sounding(self) -> bool:
        return bool(self.voices)

    def follow(self, event: dict, now: float) -> None:
        kind = event.get("type")
        response = as_dict(event.get("response"))
        response_id = text_or_none(event.get("response_id")) or ""
        if kind == E.RESPONSE_CREATED and text_or_none(response.get("id")):
            self.active = response["id"]
            self._claim(self.active, [])
        elif kind == E.ITEM_ADDED and self.active and (item_id := _message_id(event.get("item"))):
            self._claim(self.active, [item_id])
        elif kind == E.RESPONSE_DONE and text_or_none(response.get("id")):
            output = response.get("output") if isinstance(response.get("output"), list) else []
            self._claim(response["id"], [i for i in map(_message_id, output) if i])
            self.active = "" if self.active == response["id"] else self.active
        elif kind == E.OUTPUT_AUDIO_STARTED and response_id and response_id not in self.voices:
            self.voices.append(response_id)
            self.heard_since = self.heard_since if len(self.voices) > 1 else now
        elif kind == E.OUTPUT_AUDIO_STOPPED and response_id:
            first = self.voices[:1] == [response_id]
            self.voices = [voice for voice in self.voices if voice != response_id]
            if first:  # the next in the buffer is heard from now
                self.heard_since = now if self.voices else None
        elif kind in (E.OUTPUT_AUDIO_STOPPED, E.OUTPUT_AUDIO_CLEARED):  # the buffer is one: all of it
            self.voices, self.heard_since = [], None

    def cut_items(self) -> list[str]:
        """The messages whose voice a clearing of the buffer cuts: those of every answer in it."""
        return [item_id for item_id in map(self._spoken, self.voices) if item_id]

    def interrupt(self, now: float) -> list[dict]:
        """The page cuts the voice: a truncation per answer in the buffer, saying how much of it
        was heard (of the first, the time since it began to be heard; of those queued, none)."""
        sent = []
        for index, item_id in enumerate(map(self._spoken, self.voices)):
            heard = played_ms((now - self.heard_since) * 1000) if index == 0 and self.heard_since is not None else 0
            if item_id:
                sent.append(
                    {
                        "type": ClientEvent.ITEM_TRUNCATE.value,
                        "event_id": f"{TRUNCATE_EVENT}{item_id}"[:64],
                        "item_id": item_id,
                        "content_index": 0,
                        "audio_end_ms": heard,
                    }
                )
        self.voices, self.heard_since = [], None
        return sent

    def _spoken(self, response_id: str) -> str | None:
        """An answer's message that its voice says: its latest (one, as a rule)."""
        return next(reversed(self.answers.get(response_id, [])), None)

    def _claim(self, response_id: str, item_ids: list[str]):
        known = self.answers.pop(response_id, [])  # re-inserted: newest last, oldest dropped first
        self.answers[response_id] = known + [item_id for item_id in item_ids if item_id not in known]
        while len(self.answers) > ANSWERS_KEPT:
            self.answers.pop(next(iter(self.answers)))
