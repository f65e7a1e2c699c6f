"""One response of the simulated model, streamed as the real API streams it.

Text deltas are paced across the audio, so `response.done` arrives near the end
of the audio and `output_audio_buffer.stopped` once the audio has been heard.
Cancelling the task mid-way ends it as the API does: `response.done` cancelled.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.config import new_id
from voice_app.simulator.vad import RATE

TEXT_ONLY_WORD_SECONDS = 0.03  # text answers stream quickly: there is nothing to listen to


@dataclass
class Reply:
    text: str
    audio: np.ndarray  # what the simulator says: the user's own words, or a chime
    audio_in_s: float = 0.0  # the user's audio this turn, for usage


@dataclass
class Hooks:
    started: Callable[[], None] = lambda: None  # after the first text delta
    done: Callable[[], None] = lambda: None  # after response.done


@dataclass
class Answer:
    conversation: "object"  # the Conversation: emit, session, speaker, add_item, usage_for
    reply: Reply
    hooks: Hooks = field(default_factory=Hooks)
    id: str = field(default_factory=lambda: new_id("resp"))
    item_id: str = field(default_factory=lambda: new_id("item"))
    finished: bool = False  # response.done was sent (audio may still be playing)
    cancel_reason: str = "client_cancelled"  # or "turn_detected" when the user speaks over it
    task: asyncio.Task | None = None
    _said: str = ""
    _part_open: bool = False

    @property
    def kind(self) -> str:
        return "audio" if self.conversation.session.speaks else "text"

    async def run(self) -> None:
        try:
            await self._stream()
        except asyncio.CancelledError:
            if self.conversation.closed or self.finished:
                raise
            self._end("cancelled", reason=self.cancel_reason)

    def _emit(self, kind: E, **fields) -> None:
        self.conversation.emit(events.event(kind, **fields))

    def _where(self) -> dict:
        return {"response_id": self.id, "item_id": self.item_id, "output_index": 0, "content_index": 0}

    async def _stream(self) -> None:
        c = self.conversation
        self._emit(E.RESPONSE_CREATED, response=events.response(c.session, self.id, "in_progress", []))
        item = events.assistant_item(self.item_id, "in_progress", self.kind)
        self._emit(E.OUTPUT_ITEM_ADDED, response_id=self.id, output_index=0, item=item)
        c.add_item(self.item_id, item)
        empty = {"type": "audio", "transcript": ""} if self.kind == "audio" else {"type": "text", "text": ""}
        self._emit(E.CONTENT_PART_ADDED, **self._where(), part=empty)
        self._part_open = True
        drained = None
        if self.kind == "audio":
            drained = c.speaker.play(self.reply.audio)
            c.voice_locked = True
            c.playing_response_id = self.id
            self._emit(E.OUTPUT_AUDIO_STARTED, response_id=self.id)
        await self._stream_text()
        self._end("completed")
        if drained is not None and await drained:
            self._emit(E.OUTPUT_AUDIO_STOPPED, response_id=self.id)

    async def _stream_text(self) -> None:
        faults = self.conversation.faults
        if faults.stream_rate:  # numbered words at a steady rate, for the latency benchmark
            deltas, pause = [f"w{index} " for index in range(faults.stream_count)], 1.0 / faults.stream_rate
        else:
            words = self.reply.text.split(" ")
            deltas = [" ".join(words[i : i + 2]) + " " for i in range(0, len(words), 2)]
            seconds = self.reply.audio.size / RATE if self.kind == "audio" else TEXT_ONLY_WORD_SECONDS * len(words)
            pause = 0.8 * seconds / len(deltas)
        deltas[-1] = deltas[-1].rstrip()
        delta_kind = E.AUDIO_TRANSCRIPT_DELTA if self.kind == "audio" else E.TEXT_DELTA
        start = asyncio.get_running_loop().time()
        for index, delta in enumerate(deltas):
            self._said += delta
            self._emit(delta_kind, **self._where(), delta=delta)
            if index == 0:
                self.hooks.started()
            # On a clock, not pause after pause: the rate holds however long each emit takes.
            await asyncio.sleep(max(0.0, start + (index + 1) * pause - asyncio.get_running_loop().time()))

    def _end(self, status: str, reason: str | None = None) -> None:
        c = self.conversation
        item_status = "completed" if status == "completed" else "incomplete"
        if self._part_open:
            if self.kind == "audio":
                self._emit(E.AUDIO_DONE, **self._where())
                self._emit(E.AUDIO_TRANSCRIPT_DONE, **self._where(), transcript=self._said)
                part = {"type": "audio", "transcript": self._said}
            else:
                self._emit(E.TEXT_DONE, **self._where(), text=self._said)
                part = {"type": "text", "text": self._said}
            self._emit(E.CONTENT_PART_DONE, **self._where(), part=part)
        item = events.assistant_item(self.item_id, item_status, self.kind, self._said)
        self._emit(E.OUTPUT_ITEM_DONE, response_id=self.id, output_index=0, item=item)
        c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(self.item_id)))
        played_s = self.reply.audio.size / RATE if self.kind == "audio" else 0.0
        details = {"type": "cancelled", "reason": reason} if reason else None
        usage = c.usage_for(self.reply, self._said, played_s)
        done = events.response(c.session, self.id, status, [item], usage=usage, status_details=details)
        self.finished = True
        self._emit(E.RESPONSE_DONE, response=done)
        c.emit(events.rate_limits(c.responses, c.tokens_used))
        self.hooks.done()
