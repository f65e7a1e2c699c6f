"""One response of the simulated model, streamed as the real API streams it.

Generation runs ahead of speech, as the model's does (pacing.py), so `response.done` comes while
the audio still plays and `output_audio_buffer.stopped` once it has all been heard. A response
may say a message and then call tools: output_index 0 is the message, the calls follow. An answer
to speech begins at once (`response.created`) and says its first words once the ear has heard the
turn (speech/).

A response is cut short when its task is cancelled (response.cancel, or the user speaking over
it) or when the session's `response_end` fault says so. The fault cuts the last part of the
output: the calls, if any (each still sends its `function_call_arguments.done`, as the API does
for cut responses, and ends incomplete), else the message, halfway through its text. Audio
generated before a cut plays on, then `stopped`; if the user spoke over it (`turn_detected`), it
is cleared.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import ending, events, pacing
from voice_app.simulator.config import new_id
from voice_app.simulator.ending import Ending
from voice_app.simulator.mcp_calls import McpRequest, ask_approval
from voice_app.simulator.mcp_calls import stream_call as stream_mcp_call
from voice_app.simulator.tool_calls import stream_call
from voice_app.simulator.vad import RATE


@dataclass
class Reply:
    text: str  # what the message says; empty: no message, only the calls
    audio: np.ndarray | None  # how it sounds; None: the text said in the session's voice (speech/)
    audio_in_s: float = 0.0  # the user's audio this turn, for usage
    calls: list[tuple[str, str]] = field(default_factory=list)  # (name, arguments JSON), after the message
    mcp: list[McpRequest] = field(default_factory=list)  # MCP calls (or approval requests), after those


@dataclass
class Hooks:
    started: Callable[[], None] = lambda: None  # after the first text delta
    done: Callable[[], None] = lambda: None  # after response.done


@dataclass
class Answer:
    conversation: Any  # the Conversation: emit, session, speech, speaker, faults, add_item, usage_for, cut_audio
    reply: Reply | Awaitable[Reply]  # awaitable while the ear is still hearing the turn it answers
    hooks: Hooks = field(default_factory=Hooks)
    id: str = field(default_factory=lambda: new_id("resp"))
    item_id: str = field(default_factory=lambda: new_id("item"))  # the message's
    finished: bool = False  # response.done was sent (audio may still be playing)
    cancel_reason: str = "client_cancelled"  # or "turn_detected" when the user speaks over it
    task: asyncio.Task | None = None
    _said: str = ""
    _generated: float = 0.0  # the share of the message generated so far
    _message_open: bool = False
    _began: bool = False  # response.created was sent
    _running: bool = False  # run() has begun
    _cancel_first: bool = False  # cancelled before run() began
    _output: list[dict] = field(default_factory=list)
    _played: asyncio.Future | None = None  # resolves when the message's audio has played out

    @property
    def kind(self) -> str:
        return "audio" if self.conversation.session.speaks else "text"

    def cancel(self, reason: str) -> None:
        """Stop it: at once if it runs, else as it starts (a task cancelled before it ever ran would
        run nothing, and send neither response.created nor response.done)."""
        self.cancel_reason = reason
        if self._running:
            self.task.cancel()
        else:
            self._cancel_first = True

    async def run(self) -> None:
        self._running = True
        try:
            if self._cancel_first:
                raise asyncio.CancelledError
            await self._generate()
        except asyncio.CancelledError:
            if self.conversation.closed or self.finished:
                raise
            if not isinstance(self.reply, Reply):  # cancelled before it knew what to say
                _close(self.reply)
                self.reply = Reply("", np.zeros(0, np.int16))
            self._cut(ending.cancelled(self.cancel_reason))
        if self._played is not None and await self._played:
            self._emit(E.OUTPUT_AUDIO_STOPPED, response_id=self.id)

    def _created(self) -> None:
        if not self._began:
            self._began = True
            self._emit(E.RESPONSE_CREATED, response=events.response(self.conversation.session, self.id, "in_progress", []))

    def _emit(self, kind: E, **fields) -> None:
        self.conversation.emit(events.event(kind, **fields))

    def _where(self) -> dict:
        return {"response_id": self.id, "item_id": self.item_id, "output_index": 0, "content_index": 0}

    async def _prepare(self) -> None:
        """What to say, once the turn it answers is heard (the model's thinking time, here), and how it
        sounds (as much of it as is said: the transcript is what the voice says)."""
        if not isinstance(self.reply, Reply):
            self.reply = await self.reply
        reply, c = self.reply, self.conversation
        if reply.audio is None:
            reply.audio = np.zeros(0, np.int16)
            if self.kind == "audio" and reply.text:
                speed = c.session.audio.output.speed
                reply.text = c.speech.sayable(reply.text, speed)
                reply.audio = await c.speech.voice(reply.text, c.session.voice_name, speed)

    async def _generate(self) -> None:
        c = self.conversation
        self._created()
        await self._prepare()
        end = ending.BY_FAULT[c.faults.response_end]
        spoken = self.kind == "audio"
        reply = self.reply
        deltas, pause = pacing.deltas_of(reply.text, reply.audio.size, spoken, c.faults) if reply.text else ([], 0.0)
        # max_output_tokens reached: no more words, and no calls
        calls = "".join(arguments for _, arguments in reply.calls)
        audio_s = reply.audio.size / RATE if spoken else 0.0
        sent, capped = pacing.within_cap(c.session.max_output_tokens, deltas, calls, audio_s)
        if capped:
            end = ending.MAX_OUTPUT_TOKENS
        elif end.cut_short and not self.reply.calls:
            sent = max(1, len(deltas) // 2)
        message_cut = capped or (end.cut_short and not self.reply.calls)
        if self.reply.text:
            await self._say(deltas[:sent], pause, len(deltas), message_cut)
        else:
            self.hooks.started()  # nothing to say (only calls): the answer has still begun
        if message_cut:
            return self._cut(end)
        first = len(self._output)
        for index, (name, arguments) in enumerate(self.reply.calls, start=first):
            self._output.append(stream_call(c, self.id, index, name, arguments, end.item_status))
        for request in self.reply.mcp:  # the API makes these calls itself, within the response
            index = len(self._output)
            self._output.append(
                ask_approval(c, self.id, index, request)
                if request.needs_approval
                else await stream_mcp_call(c, self.id, index, request)
            )
        self._end(end)

    async def _say(self, deltas: list[str], pause: float, total: int, halfway: bool) -> None:
        c = self.conversation
        item = events.assistant_item(self.item_id, "in_progress", self.kind)
        self._emit(E.OUTPUT_ITEM_ADDED, response_id=self.id, output_index=0, item=item)
        c.add_item(self.item_id, item)
        empty = {"type": "audio", "transcript": ""} if self.kind == "audio" else {"type": "text", "text": ""}
        self._emit(E.CONTENT_PART_ADDED, **self._where(), part=empty)
        self._message_open = True
        if self.kind == "audio":
            c.voices.began(self.item_id, c.speaker.given, self.reply.audio.size)
            self._played = c.speaker.play(self.reply.audio)
            c.voice_locked = True
            c.playing_response_id = self.id
            self._emit(E.OUTPUT_AUDIO_STARTED, response_id=self.id)
        await self._stream_text(deltas, pause, total)
        if not halfway:
            self._close_message("completed")

    async def _stream_text(self, deltas: list[str], pause: float, total: int) -> None:
        delta_kind = E.AUDIO_TRANSCRIPT_DELTA if self.kind == "audio" else E.TEXT_DELTA
        start = asyncio.get_running_loop().time()
        for index, delta in enumerate(deltas):
            self._said += delta
            self._generated = (index + 1) / total
            self._emit(delta_kind, **self._where(), delta=delta)
            if index == 0:
                self.hooks.started()
            # On a clock, not pause after pause: the rate holds however long each emit takes.
            await asyncio.sleep(max(0.0, start + (index + 1) * pause - asyncio.get_running_loop().time()))
        if not deltas:
            self.hooks.started()  # capped before its first word: the answer has still begun

    def _close_message(self, status: str) -> None:
        c = self.conversation
        if self.kind == "audio":
            self._emit(E.AUDIO_DONE, **self._where())
            self._emit(E.AUDIO_TRANSCRIPT_DONE, **self._where(), transcript=self._said)
            part = {"type": "audio", "transcript": self._said}
        else:
            self._emit(E.TEXT_DONE, **self._where(), text=self._said)
            part = {"type": "text", "text": self._said}
        self._emit(E.CONTENT_PART_DONE, **self._where(), part=part)
        item = events.assistant_item(self.item_id, status, self.kind, self._said)
        c.set_item(self.item_id, item)
        self._emit(E.OUTPUT_ITEM_DONE, response_id=self.id, output_index=0, item=item)
        c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(self.item_id)))
        self._output.append(item)
        self._message_open = False

    def _cut(self, end: Ending) -> None:
        """Stop generating: what was said so far is all the message has, and all its audio."""
        if self._played is not None:
            generated = round(self._generated * self.reply.audio.size)
            self.conversation.speaker.keep_last(generated)
            self.conversation.voices.cut_short(self.item_id, generated)
        if self._message_open:
            self._close_message(end.item_status)
        self._end(end)

    def _end(self, end: Ending) -> None:
        c = self.conversation
        self._created()  # cancelled while it was still hearing the turn: created, then done
        if end.details and end.details.get("reason") == "turn_detected":
            c.cut_audio()  # the user spoke over it: nothing more of it is heard
        played_s = self._generated * self.reply.audio.size / RATE if self._played is not None else 0.0
        said = self._said + "".join(item.get("arguments", "") for item in self._output)
        usage = c.usage_for(self.reply, said, played_s)
        done = events.response(c.session, self.id, end.status, self._output, usage=usage, status_details=end.details)
        self.finished = True
        self._emit(E.RESPONSE_DONE, response=done)
        c.emit(events.rate_limits(c.responses, c.tokens_used))
        self.hooks.done()


def _close(pending) -> None:
    """A reply never awaited: a coroutine is closed (no warning that it never ran)."""
    if asyncio.iscoroutine(pending):
        pending.close()
