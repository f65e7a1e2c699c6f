"""One session's conversation: client events and heard speech in, server events out."""

import asyncio
import json
from collections.abc import Callable

import numpy as np

from voice_app.realtime.events import ClientEvent as C
from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.answer import Answer, Hooks, Reply
from voice_app.simulator.config import Session, new_id, update_session
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.items import parse_item, text_of
from voice_app.simulator.speaker import Speaker, tone
from voice_app.simulator.tool_calls import requested_calls, stream_calls
from voice_app.simulator.turns import SpokenTurn, echo
from voice_app.simulator.vad import RATE, EnergyVad, SpeechStarted, VadSettings

MAX_PUSH_TO_TALK_SAMPLES = 60 * RATE
# Events a flaky network path could repeat: the duplicate_events fault sends these twice.
_REPEATABLE = {E.ITEM_ADDED, E.ITEM_DONE, E.TRANSCRIPTION_COMPLETED, E.RESPONSE_DONE, E.OUTPUT_ITEM_DONE}


class Conversation:
    def __init__(self, session: Session, send: Callable[[str], None], speaker: Speaker, faults: SessionFaults):
        self.session = session
        self.speaker = speaker
        self.faults = faults
        self.closed = False
        self.voice_locked = False  # the voice is fixed once the session has spoken
        self.playing_response_id: str | None = None
        self.responses = 0
        self.tokens_used = 0
        self._send = send
        self._items: dict[str, dict] = {}  # insertion order is conversation order
        self._answer: Answer | None = None
        self._tasks: set[asyncio.Task] = set()
        self._heard = 0  # samples of input audio so far: the clock of audio_*_ms
        self._push_to_talk: list[np.ndarray] = []
        self._push_to_talk_samples = 0  # kept as a count: summing the chunks per frame would grow with the turn
        self._last_audio: tuple[str, np.ndarray] | None = None  # the latest spoken item, for echo
        self._speech_item_id: str | None = None
        self._vad = self._new_vad()

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

    def add_item(self, item_id: str, item: dict, audio: np.ndarray | None = None) -> None:
        previous = self.last_item_id()
        self._items[item_id] = item
        if audio is not None:
            self._last_audio = (item_id, audio)
        self.emit(events.event(E.ITEM_ADDED, item=item, previous_item_id=previous))

    def set_transcript(self, item_id: str, transcript: str) -> None:
        self._items[item_id] = events.user_audio_item(item_id, transcript)

    def set_item(self, item_id: str, item: dict) -> None:
        self._items[item_id] = item

    def last_item_id(self) -> str | None:
        return next(reversed(self._items), None)

    def previous_of(self, item_id: str) -> str | None:
        ids = list(self._items)
        index = ids.index(item_id)
        return ids[index - 1] if index > 0 else None

    def usage_for(self, reply: Reply, said: str, played_s: float) -> dict:
        text_in = events.tokens_of(self.session.instructions) + sum(
            events.tokens_of(text_of(item)) for item in self._items.values()
        )
        usage = events.usage(text_in, reply.audio_in_s, cached=self.tokens_used, text_out=events.tokens_of(said), audio_out_s=played_s)
        self.responses += 1
        self.tokens_used += usage["total_tokens"]
        return usage

    # -- client events -------------------------------------------------------------
    def handle(self, raw: str) -> None:
        try:
            event = json.loads(raw)
        except ValueError:
            return self.error(ApiError(400, "The client event is not valid JSON.", code="invalid_json"))
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return self.error(ApiError(400, "Missing required parameter: 'type'.", code="missing_required_parameter", param="type"))
        client_event_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
        handler = self._handlers().get(event["type"])
        try:
            if handler is None:
                supported = ", ".join(f"'{kind}'" for kind in self._handlers())
                raise ApiError(400, f"Invalid value: '{event['type']}'. Supported values are: {supported}.", code="invalid_value", param="type")
            handler(event)
        except ApiError as error:
            self.error(error, client_event_id)

    def _handlers(self) -> dict[str, Callable[[dict], None]]:
        return {
            C.SESSION_UPDATE: self._session_update,
            C.ITEM_CREATE: self._item_create,
            C.RESPONSE_CREATE: self._response_create,
            C.RESPONSE_CANCEL: self._response_cancel,
            C.INPUT_COMMIT: self._input_commit,
            C.INPUT_CLEAR: self._input_clear,
            C.OUTPUT_AUDIO_CLEAR: self._output_audio_clear,
        }

    def _session_update(self, event: dict) -> None:
        before = self.session.audio.input.turn_detection
        self.session = update_session(self.session, event.get("session"), self.voice_locked)
        if self.session.audio.input.turn_detection != before:
            self._vad = self._new_vad()
        self.emit(events.event(E.SESSION_UPDATED, session=self.session.event_payload()))

    def _item_create(self, event: dict) -> None:
        previous = event.get("previous_item_id")
        if previous is not None and previous != self.last_item_id():
            raise ApiError(400, f"Invalid 'previous_item_id': only the last item ('{self.last_item_id()}') is supported here.", code="invalid_value", param="previous_item_id")
        item = parse_item(event.get("item"))
        if item["id"] in self._items:
            raise ApiError(400, f"Item with id '{item['id']}' already exists.", code="item_already_exists", param="item.id")
        self.add_item(item["id"], item)
        self.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=self.previous_of(item["id"])))

    def _response_create(self, event: dict) -> None:
        if event.get("response") is not None and not isinstance(event["response"], dict):
            raise ApiError(400, "Invalid type for 'response': expected an object.", code="invalid_type", param="response")
        if self.answering:
            raise ApiError(400, "Conversation already has an active response in progress.", code="conversation_already_has_active_response")
        last = self._items.get(self.last_item_id() or "", {})
        names = [tool.name for tool in self.session.tools] if self.session.tool_choice != "none" else []
        calls = requested_calls(text_of(last), names) if last.get("role") == "user" else []
        if calls:
            return stream_calls(self, calls)
        self.start_answer(self._reply_to_last_item())

    def _response_cancel(self, event: dict) -> None:
        if not self.answering:
            raise ApiError(400, "Cancellation failed: no active response found.", code="response_cancel_not_active")
        self.interrupt("client_cancelled")

    def _output_audio_clear(self, event: dict) -> None:
        self.interrupt("client_cancelled")

    def _input_commit(self, event: dict) -> None:
        if not self._push_to_talk:
            raise ApiError(400, "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 0.00ms of audio.", code="input_audio_buffer_commit_empty")
        audio = np.concatenate(self._push_to_talk)
        self._push_to_talk, self._push_to_talk_samples = [], 0
        SpokenTurn(self, new_id("item"), audio, respond=False).commit()

    def _input_clear(self, event: dict) -> None:
        self._push_to_talk, self._push_to_talk_samples = [], 0
        self.emit(events.event(E.INPUT_CLEARED))

    # -- answers -----------------------------------------------------------------------
    def start_answer(self, reply: Reply, hooks: Hooks | None = None) -> None:
        answer = Answer(self, reply, hooks or Hooks())
        answer.task = self.spawn(answer.run())
        self._answer = answer

    @property
    def answering(self) -> bool:
        """An answer is active until its response.done, even while its audio still plays."""
        return self._answer is not None and not self._answer.finished and not self._answer.task.done()

    def interrupt(self, reason: str) -> None:
        if self.answering:
            self._answer.cancel_reason = reason
            self._answer.task.cancel()
        if self.speaker.clear() and self.playing_response_id:
            self.emit(events.event(E.OUTPUT_AUDIO_CLEARED, response_id=self.playing_response_id))

    def _reply_to_last_item(self) -> Reply:
        last_id = self.last_item_id()
        if self._last_audio is not None and self._last_audio[0] == last_id:
            return echo(self._last_audio[1])  # answering speech committed by push-to-talk
        last = self._items.get(last_id or "", {})
        words = text_of(last)
        if last.get("type") == "function_call_output":
            text = f"The tools returned: {'; '.join(self._trailing_tool_outputs())}. This is the local simulator: there is no model here."
        elif words:
            text = f'You wrote "{words}". This is the local simulator: there is no model here, so it repeats you.'
        else:
            text = "Hello! This is the local Realtime API simulator."
        return Reply(text, tone(min(6.0, max(1.0, 0.25 * len(text.split())))))

    def _trailing_tool_outputs(self) -> list[str]:
        outputs = []
        for item in reversed(self._items.values()):
            if item.get("type") != "function_call_output":
                break
            outputs.append(item.get("output", ""))
        return outputs[::-1]

    # -- heard audio -----------------------------------------------------------------------
    def _new_vad(self) -> EnergyVad | None:
        detection = self.session.audio.input.turn_detection
        return None if detection is None else EnergyVad(VadSettings.for_turn_detection(detection), clock=self._heard)

    def hear(self, samples: np.ndarray) -> None:
        self._heard += samples.size
        if self._vad is None:
            if self._push_to_talk_samples < MAX_PUSH_TO_TALK_SAMPLES:
                self._push_to_talk.append(samples)
                self._push_to_talk_samples += samples.size
            return
        for change in self._vad.feed(samples):
            if isinstance(change, SpeechStarted):
                self._speech_started(change.audio_start_ms)
            else:
                self._speech_stopped(change.audio_end_ms, change.audio)

    def _speech_started(self, audio_start_ms: int) -> None:
        self._speech_item_id = new_id("item")
        self.emit(events.event(E.SPEECH_STARTED, audio_start_ms=audio_start_ms, item_id=self._speech_item_id))
        if self.session.audio.input.turn_detection.interrupt_response:
            self.interrupt("turn_detected")

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
