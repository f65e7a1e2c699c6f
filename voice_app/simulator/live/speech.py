"""The session's voice: it hears utterances with the energy VAD, transcribes them (or takes the
`heard` fault's words), and answers aloud with output transcript deltas paced with the audio.

Everything is placed on the session timeline (ms since it started). The user speaking over an
answer stops its audio and its deltas: the API has full duplex and no event for this.
"""

import asyncio
from collections import deque

import numpy as np

from voice_app.live.events import ServerEvent
from voice_app.simulator.live import events
from voice_app.simulator.replies import RECALL, chimed
from voice_app.simulator.tool_calls import requested_calls
from voice_app.simulator.vad import RATE, EnergyVad, SpeechStarted, VadSettings, ms

INPUT_FRAGMENTS = 3
WORDS_PER_OUTPUT_FRAGMENT = 3
NO_MODEL = "This is the local GPT-Live simulator: there is no model here."


class Voice:
    def __init__(self, session) -> None:
        self.session = session
        self._vad = EnergyVad(VadSettings())
        self._scripted = deque(session.faults.heard)  # what the user "says", utterance by utterance
        self._said: list[str] = [item.content[0].text for item in session.config.input if item.role == "user"]
        self._answer: asyncio.Task | None = None
        self.speaking = False  # the user, between the VAD's start and end of an utterance

    def hear(self, samples: np.ndarray) -> None:
        for change in self._vad.feed(samples):
            if isinstance(change, SpeechStarted):
                self.speaking = True
                self.session.standby.activity()  # speech wakes a paused session
                self.stop()  # barge-in
            else:
                self.speaking = False
                self._utterance(change.audio)

    def _utterance(self, audio: np.ndarray) -> None:
        s = self.session
        end_ms = max(0, s.now_ms() - self._vad.settings.silence_duration_ms)  # it ended a silence ago
        start_ms = max(0, end_ms - ms(audio.size))
        scripted = bool(self._scripted)
        words = self._scripted.popleft() if scripted else f"[speech, {audio.size / RATE:.1f} s]"
        heard = [
            events.event(ServerEvent.INPUT_DELTA, delta=piece, start_ms=begin, end_ms=end)
            for piece, begin, end in events.timed(words, INPUT_FRAGMENTS, start_ms, end_ms)
        ]
        if scripted and not s.backend.mcp.ready.is_set():  # the MCP servers' tools can be named once listed
            return s.spawn(self._once_listed(words, heard, audio, end_ms))
        self._answer_turn(words, heard, audio, end_ms, scripted)

    async def _once_listed(self, words: str, heard: list[dict], audio: np.ndarray, end_ms: int) -> None:
        await self.session.backend.mcp.ready.wait()
        self._answer_turn(words, heard, audio, end_ms, True)

    def _answer_turn(self, words: str, heard: list[dict], audio: np.ndarray, end_ms: int, scripted: bool) -> None:
        s = self.session
        # "what do you remember" names the tool `remember`: asking what it holds comes first.
        calls = requested_calls(words, s.backend.tool_names()) if scripted and RECALL not in words.lower() else []
        if calls:
            self._emit_all(heard)
            return s.backend.delegate(calls, offset_ms=end_ms)
        if scripted:
            text, audio = self._reply(words)
            self._said.append(words)
        else:
            text = f"I heard {audio.size / RATE:.1f} seconds of speech and played it back to you. {NO_MODEL}"
        if self._late_transcript:  # it arrives once the answer has begun, though it was said before
            return self.say(text, audio, after_first=lambda: self._emit_all(heard))
        self._emit_all(heard)
        self.say(text, audio)

    @property
    def _late_transcript(self) -> bool:
        """Only when asked for: the Realtime mode's default of this fault is "late"."""
        faults = self.session.faults
        return "transcript_timing" in faults.model_fields_set and faults.transcript_timing == "late"

    def _reply(self, words: str) -> tuple[str, np.ndarray]:
        if RECALL in words.lower():
            earlier = [said for said in self._said if RECALL not in said.lower()]
            text = f"I remember you said: {' | '.join(earlier)}." if earlier else "I remember nothing from before this."
        else:
            text = f'You said "{words}". {NO_MODEL}'
        return text, chimed(text).audio

    def _emit_all(self, batch: list[dict]) -> None:
        for event in batch:
            self.session.emit(event)

    def say(self, text: str, audio: np.ndarray | None = None, after_first=None) -> None:
        """Answer aloud: `audio` (a chime as long as the words, if None) and its transcript."""
        self.stop()
        audio = chimed(text).audio if audio is None else audio
        self._answer = self.session.spawn(self._speak(text, audio, after_first))

    async def _speak(self, text: str, audio: np.ndarray, after_first) -> None:
        s = self.session
        start_ms = s.now_ms() + ms(s.speaker.given - s.speaker.sent)
        played = s.speaker.play(audio)
        count = max(1, len(text.split()) // WORDS_PER_OUTPUT_FRAGMENT)
        try:
            for piece, begin, end in events.timed(text, count, start_ms, start_ms + ms(audio.size)):
                await asyncio.sleep(max(0.0, (begin - s.now_ms()) / 1000))
                s.emit(events.event(ServerEvent.OUTPUT_DELTA, delta=piece, start_ms=begin, end_ms=end))
                if after_first is not None:
                    after_first, then = None, after_first
                    then()
        finally:
            if after_first is not None:  # cut before its first words: what the user said still arrives
                after_first()
        if await played:
            s.emit(events.event(ServerEvent.USAGE, usage=s.usage()))

    def stop(self) -> None:
        """Stop the answer speaking now: its audio and its remaining deltas."""
        if self._answer is not None and not self._answer.done():
            self._answer.cancel()
        self.session.speaker.clear()
