"""A spoken turn: commit the user's audio as an item, transcribe it, answer it.

As on the real API, the user's transcription completes after the answer has
started (unless a fault asks for another order): clients must place items by
`previous_item_id`, not by arrival.
"""

from dataclasses import dataclass

import numpy as np

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.answer import Hooks, Reply
from voice_app.simulator.vad import RATE


def echo(audio: np.ndarray) -> Reply:
    """The simulator's answer to speech: the speech itself, played back."""
    seconds = audio.size / RATE
    text = (
        f"I heard {seconds:.1f} seconds of speech and played it back to you. This is the local simulator: there is no model here."
    )
    return Reply(text, audio, audio_in_s=seconds)


@dataclass
class SpokenTurn:
    conversation: object  # the Conversation
    item_id: str
    audio: np.ndarray
    respond: bool

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
        transcribe = self._transcribe if c.session.audio.input.transcription else lambda: None
        if not self.respond or c.answering:
            return transcribe()
        timing = c.faults.transcript_timing
        if timing == "early":
            transcribe()
        hooks = Hooks(
            started=transcribe if timing == "late" else lambda: None,
            done=transcribe if timing == "after_response" else lambda: None,
        )
        c.start_answer(echo(self.audio), hooks)

    def _transcribe(self) -> None:
        c = self.conversation
        if c.faults.transcription == "fail":
            error = {
                "type": "transcription_error",
                "code": "audio_unintelligible",
                "message": "Audio could not be transcribed.",
                "param": None,
            }
            return c.emit(events.event(E.TRANSCRIPTION_FAILED, item_id=self.item_id, content_index=0, error=error))
        # No speech model is available offline: say honestly what was heard, not what was said.
        transcript = f"[speech, {self.seconds:.1f} s]"
        head, tail = transcript[: len(transcript) // 2], transcript[len(transcript) // 2 :]
        for delta in (head, tail):
            c.emit(events.event(E.TRANSCRIPTION_DELTA, item_id=self.item_id, content_index=0, delta=delta))
        usage = events.transcription_usage(c.session.audio.input.transcription.model, self.seconds, words=2)
        c.emit(events.event(E.TRANSCRIPTION_COMPLETED, item_id=self.item_id, content_index=0, transcript=transcript, usage=usage))
        c.set_transcript(self.item_id, transcript)
