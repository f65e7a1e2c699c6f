"""A spoken turn: commit the user's audio as an item, hear it, transcribe it, answer it.

As on the real API, the user's transcription completes after the answer has started (unless a
fault asks for another order): clients must place items by `previous_item_id`, not by arrival.
The answer waits for the ear (speech/), as the model hears the audio itself; the transcript
carries the same words. With the ear off, the transcript says only how long the speech was.
"""

import asyncio
import re
from dataclasses import dataclass

import numpy as np

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.answer import Hooks
from voice_app.simulator.replies import to_speech
from voice_app.simulator.speech import unheard
from voice_app.simulator.vad import RATE


@dataclass
class SpokenTurn:
    conversation: object  # the Conversation
    item_id: str
    audio: np.ndarray
    respond: bool
    transcribed: bool = False  # its transcription was started: once

    @property
    def seconds(self) -> float:
        return self.audio.size / RATE

    def commit(self) -> None:
        c = self.conversation
        previous = c.last_item_id()
        c.emit(events.event(E.INPUT_COMMITTED, item_id=self.item_id, previous_item_id=previous))
        item = events.user_audio_item(self.item_id)
        c.add_item(self.item_id, item, audio=self.audio)
        c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=previous))
        c.listen(self.item_id, self.audio)
        transcribe = self._transcribe if c.session.audio.input.transcription else lambda: None
        if not self.respond or c.answering:
            return transcribe()
        timing = c.faults.transcript_timing
        if timing == "early":
            hearing = c.hearing.get(self.item_id)
            if hearing is not None and not hearing.done():  # the transcript first: the answer waits for it
                return c.spawn(self._answer_once_transcribed(hearing, transcribe))
            transcribe()
        hooks = Hooks(  # late: at the answer's first words, or at its end if it had none (cancelled while hearing)
            started=transcribe if timing == "late" else lambda: None,
            done=transcribe if timing in ("late", "after_response") else lambda: None,
        )
        c.start_answer(to_speech(c, self.item_id, self.audio), hooks)

    async def _answer_once_transcribed(self, hearing: asyncio.Future, transcribe) -> None:
        await asyncio.shield(hearing)
        transcribe()
        c = self.conversation
        if not c.answering:
            c.start_answer(to_speech(c, self.item_id, self.audio))

    def _transcribe(self) -> None:
        if self.transcribed:
            return
        self.transcribed = True
        c = self.conversation
        if c.faults.transcription == "fail":
            error = {
                "type": "transcription_error",
                "code": "audio_unintelligible",
                "message": "Audio could not be transcribed.",
                "param": None,
            }
            return c.emit(events.event(E.TRANSCRIPTION_FAILED, item_id=self.item_id, content_index=0, error=error))
        hearing = c.hearing.get(self.item_id)
        if hearing is None:
            return self._completed(None)
        if hearing.done():
            return self._completed(hearing.result())
        c.spawn(self._once_heard(hearing))

    async def _once_heard(self, hearing: asyncio.Future) -> None:
        self._completed(await asyncio.shield(hearing))

    def _completed(self, words: str | None) -> None:
        """The transcript: the words heard, or, not heard (the ear off or busy), honestly how long it was."""
        c = self.conversation
        transcript = unheard(self.audio) if words is None else words
        for delta in re.findall(r"\S+\s*", transcript):  # word by word, as the API's transcription models stream
            c.emit(events.event(E.TRANSCRIPTION_DELTA, item_id=self.item_id, content_index=0, delta=delta))
        words = len(transcript.split())
        usage = events.transcription_usage(c.session.audio.input.transcription.model, self.seconds, words=words)
        c.emit(events.event(E.TRANSCRIPTION_COMPLETED, item_id=self.item_id, content_index=0, transcript=transcript, usage=usage))
        c.set_transcript(self.item_id, transcript)
