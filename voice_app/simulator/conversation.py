"""One session's conversation: client events and heard speech in, server events out."""

import asyncio
import json
from collections.abc import Awaitable, Callable

import numpy as np

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import client_events, events, mcp_calls
from voice_app.simulator.answer import Answer, Hooks, Reply
from voice_app.simulator.config import Session, new_id
from voice_app.simulator.conversation_items import APPEND, inserted
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.interjection import Interjection
from voice_app.simulator.items import images_in, text_of
from voice_app.simulator.push_to_talk import InputAudioBuffer
from voice_app.simulator.speaker import Speaker
from voice_app.simulator.speech import EAR_TURNS_AT_ONCE, SILENT, Speech
from voice_app.simulator.truncation import Voices, truncated
from voice_app.simulator.turns import SpokenTurn
from voice_app.simulator.vad import EnergyVad, SpeechStarted, VadSettings

# Events a flaky network path could repeat: the duplicate_events fault sends these twice.
_REPEATABLE = {E.ITEM_ADDED, E.ITEM_DONE, E.TRANSCRIPTION_COMPLETED, E.RESPONSE_DONE, E.OUTPUT_ITEM_DONE}


class Conversation:
    def __init__(
        self,
        session: Session,
        send: Callable[[str], None],
        speaker: Speaker,
        faults: SessionFaults,
        mcp_allowed: frozenset[str] | None = None,
        speech: Speech = SILENT,
    ):
        self.session = session
        self.speech = speech  # the ear and voice (speech/), shared by the simulator's calls
        speech.warm()
        self.mcp_allowed = mcp_allowed  # the MCP server URLs it may reach (None: any)
        self.speaker = speaker
        self.faults = faults
        self.closed = False
        self.voice_locked = False  # the voice is fixed once the session has spoken
        self.playing_response_id: str | None = None
        self.responses = 0
        self.tokens_used = 0
        self.items: dict[str, dict] = {}  # insertion order is conversation order
        self.last_audio: tuple[str, np.ndarray] | None = None  # the latest spoken item, for echo
        self.hearing: dict[str, asyncio.Task] = {}  # spoken item id -> its words, as the ear hears them
        self.input_audio = InputAudioBuffer()  # push-to-talk: filled while turn detection is off
        self.voices = Voices()  # each spoken message's audio, for truncation
        self.mcp_tools: dict[str, list[str]] = {}  # server label -> the tool names it listed
        self._send = send
        self._answer: Answer | None = None
        self._tasks: set[asyncio.Task] = set()
        self._heard = 0  # samples of input audio so far: the clock of audio_*_ms
        self._speech_item_id: str | None = None
        self._vad = self._new_vad()
        self._interjection = Interjection(self)

    # -- output ------------------------------------------------------------------
    def emit(self, event: dict) -> None:
        if self.closed:
            return
        text = json.dumps(event)
        self._send(text)
        if self.faults.duplicate_events and event["type"] in _REPEATABLE:
            self._send(text)

    def error(self, error: ApiError, client_event_id: str | None = None) -> None:
        self.emit(events.error_event(error, client_event_id))

    def handle(self, raw: str) -> None:
        if not self._interjection.takes(raw):
            client_events.handle(self, raw)

    def use_session(self, session: Session) -> None:
        before, self.session = self.session, session
        if session.audio.input.turn_detection != before.audio.input.turn_detection:
            self._vad = self._new_vad()
        known = {tool.server_label for tool in before.mcp_servers}
        self.list_mcp_servers([tool for tool in session.mcp_servers if tool.server_label not in known])

    def list_mcp_servers(self, servers: list) -> None:
        """As the API does when a session gets MCP servers: each lists its tools."""
        for tool in servers:
            self.spawn(mcp_calls.list_server(self, tool))

    # -- items -------------------------------------------------------------------
    def add_item(self, item_id: str, item: dict, audio: np.ndarray | None = None, after=APPEND) -> None:
        """At the end, or after the item `after` names (None: at the start)."""
        previous = self.last_item_id() if after is APPEND else after
        self.items = inserted(self.items, item_id, item, after)
        if audio is not None:
            self.last_audio = (item_id, audio)
        self.emit(events.event(E.ITEM_ADDED, item=item, previous_item_id=previous))

    def listen(self, item_id: str, audio: np.ndarray) -> None:
        """The ear starts on a committed turn (when it can hear, and this call has fewer than
        EAR_TURNS_AT_ONCE turns being heard: one page cannot take the ear from the others): its
        words, in self.hearing. A turn not heard is answered as the placeholder answers."""
        if self.speech.on and sum(not task.done() for task in self.hearing.values()) < EAR_TURNS_AT_ONCE:
            self.hearing[item_id] = self.spawn(self.speech.words(audio))

    def set_transcript(self, item_id: str, transcript: str) -> None:
        self.items[item_id] = events.user_audio_item(item_id, transcript)

    def set_item(self, item_id: str, item: dict) -> None:
        self.items[item_id] = item

    def last_item_id(self) -> str | None:
        return next(reversed(self.items), None)

    def previous_of(self, item_id: str) -> str | None:
        ids = list(self.items)
        index = ids.index(item_id)
        return ids[index - 1] if index > 0 else None

    def usage_for(self, reply: Reply, said: str, played_s: float) -> dict:
        text_in = events.tokens_of(self.session.instructions) + sum(
            events.tokens_of(text_of(item)) for item in self.items.values()
        )
        image_in = sum(events.image_tokens(*size, detail) for size, detail in images_in(self.items.values()))
        usage = events.usage(
            text_in,
            reply.audio_in_s,
            cached=self.tokens_used,
            text_out=events.tokens_of(said),
            audio_out_s=played_s,
            image_in=image_in,
        )
        self.responses += 1
        self.tokens_used += usage["total_tokens"]
        return usage

    # -- answers -----------------------------------------------------------------------
    def start_answer(self, reply: Reply | Awaitable[Reply], hooks: Hooks | None = None) -> None:
        answer = Answer(self, reply, hooks or Hooks())
        answer.task = self.spawn(answer.run())
        self._answer = answer

    @property
    def answering(self) -> bool:
        """A response is in progress from response.created to response.done; its audio may play on."""
        return self._answer is not None and not self._answer.finished and not self._answer.task.done()

    @property
    def answer_id(self) -> str:
        return self._answer.id if self._answer is not None else ""

    def cancel_response(self, reason: str) -> None:
        if self.answering:
            self._answer.cancel(reason)

    def cut_audio(self) -> bool:
        """Stop what is playing now, of whichever response, finished or not; True if anything was."""
        if self.speaker.clear() and self.playing_response_id:
            self.emit(events.event(E.OUTPUT_AUDIO_CLEARED, response_id=self.playing_response_id))
            return True
        return False

    @property
    def busy(self) -> bool:
        """Someone is talking: the user (as the VAD hears it), or the model answering or playing."""
        return self.answering or self.speaker.playing or (self._vad is not None and self._vad.speaking)

    @property
    def heard_samples(self) -> int:
        return self._heard

    # -- heard audio -----------------------------------------------------------------------
    def _new_vad(self) -> EnergyVad | None:
        detection = self.session.audio.input.turn_detection
        return None if detection is None else EnergyVad(VadSettings.for_turn_detection(detection), clock=self._heard)

    def hear(self, samples: np.ndarray) -> None:
        self._heard += samples.size
        if self._vad is None:
            return self.input_audio.add(samples)
        for change in self._vad.feed(samples):
            if isinstance(change, SpeechStarted):
                self._speech_started(change.audio_start_ms)
            else:
                self._speech_stopped(change.audio_end_ms, change.audio)

    def _speech_started(self, audio_start_ms: int) -> None:
        self._speech_item_id = new_id("item")
        self.emit(events.event(E.SPEECH_STARTED, audio_start_ms=audio_start_ms, item_id=self._speech_item_id))
        if self.session.audio.input.turn_detection.interrupt_response:
            heard = self.voices.playing(self.speaker.sent)  # how far the voice got, before the cut
            self.cancel_response("turn_detected")
            if self.cut_audio() and heard:  # over WebRTC the server knows, and truncates by itself
                truncated(self, *heard)

    def _speech_stopped(self, audio_end_ms: int, audio: np.ndarray) -> None:
        item_id = self._speech_item_id or new_id("item")
        self.emit(events.event(E.SPEECH_STOPPED, audio_end_ms=audio_end_ms, item_id=item_id))
        respond = self.session.audio.input.turn_detection.create_response
        SpokenTurn(self, item_id, audio, respond=respond).commit()

    # -- lifetime ------------------------------------------------------------------------------
    def spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        self.closed = True
        self.speaker.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
