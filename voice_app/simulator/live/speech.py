"""The session's voice: it hears utterances with the energy VAD, transcribes them with the ear
(speech/; or takes the `heard` fault's words), and answers aloud, in the session's voice, with
output transcript deltas paced with the audio. With the ear off, speech is labelled and played back.

Everything is placed on the session timeline (ms since it started). The user speaking over an
answer stops its audio and its deltas: the API has full duplex and no event for this.
"""

import asyncio
from collections import deque

import numpy as np

from voice_app.live.events import ServerEvent
from voice_app.simulator.live import events
from voice_app.simulator.replies import RECALL, no_words, played_back
from voice_app.simulator.speech import EAR_TURNS_AT_ONCE, grammar, unheard
from voice_app.simulator.vad import EnergyVad, SpeechStarted, VadSettings, ms

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
        self._spoken_over = 0  # utterances begun: one begun while a turn is heard means it goes unanswered
        self._being_heard = 0

    def hear(self, samples: np.ndarray) -> None:
        for change in self._vad.feed(samples):
            if isinstance(change, SpeechStarted):
                self.speaking = True
                self._spoken_over += 1
                self.session.standby.activity()  # speech wakes a paused session
                self.stop()  # barge-in
            else:
                self.speaking = False
                self._utterance(change.audio)

    def _utterance(self, audio: np.ndarray) -> None:
        s = self.session
        end_ms = max(0, s.now_ms() - self._vad.settings.silence_duration_ms)  # it ended a silence ago
        start_ms = max(0, end_ms - ms(audio.size))
        if self._scripted:
            return self._understood(self._scripted.popleft(), audio, start_ms, end_ms)
        if s.speech.on and self._being_heard < EAR_TURNS_AT_ONCE:
            return s.spawn(self._hear(audio, start_ms, end_ms))
        self._unheard(audio, start_ms, end_ms)

    async def _hear(self, audio: np.ndarray, start_ms: int, end_ms: int) -> None:
        utterance, self._being_heard = self._spoken_over, self._being_heard + 1
        try:
            words = await self.session.speech.words(audio)
        finally:
            self._being_heard -= 1
        if words is None:  # not heard after all: as with the ear off
            return self._unheard(audio, start_ms, end_ms)
        if utterance != self._spoken_over:  # the user spoke again meanwhile: said, and not answered
            return self._emit_all(self._timed(words, start_ms, end_ms))
        self._understood(words, audio, start_ms, end_ms)

    def _unheard(self, audio: np.ndarray, start_ms: int, end_ms: int) -> None:
        label = unheard(audio)
        self._answer_turn(label, self._timed(label, start_ms, end_ms), audio, end_ms, understood=False)

    def _understood(self, words: str, audio: np.ndarray, start_ms: int, end_ms: int) -> None:
        heard = self._timed(words, start_ms, end_ms)
        if not self.session.backend.mcp.ready.is_set():  # the MCP servers' tools can be named once listed
            return self.session.spawn(self._once_listed(words, heard, audio, end_ms))
        self._answer_turn(words, heard, audio, end_ms, understood=True)

    @staticmethod
    def _timed(words: str, start_ms: int, end_ms: int) -> list[dict]:
        return [
            events.event(ServerEvent.INPUT_DELTA, delta=piece, start_ms=begin, end_ms=end)
            for piece, begin, end in events.timed(words, INPUT_FRAGMENTS, start_ms, end_ms)
        ]

    async def _once_listed(self, words: str, heard: list[dict], audio: np.ndarray, end_ms: int) -> None:
        await self.session.backend.mcp.ready.wait()
        self._answer_turn(words, heard, audio, end_ms, understood=True)

    def _answer_turn(self, words: str, heard: list[dict], audio: np.ndarray, end_ms: int, understood: bool) -> None:
        s = self.session
        # "what do you remember" names the tool `remember`: asking what it holds comes first.
        calls = grammar.calls(words, s.backend.tool_names()) if understood and RECALL not in words.lower() else []
        if calls:
            self._emit_all(heard)
            return s.backend.delegate(calls, offset_ms=end_ms)
        if understood:
            text, audio = self._reply(words, audio), None
            self._said.append(words)
        else:
            text = f"{played_back(audio)} {NO_MODEL}"
        if self._late_transcript:  # it arrives once the answer has begun, though it was said before
            return self.say(text, audio, after_first=lambda: self._emit_all(heard))
        self._emit_all(heard)
        self.say(text, audio)

    @property
    def _late_transcript(self) -> bool:
        """Only when asked for: the Realtime mode's default of this fault is "late"."""
        faults = self.session.faults
        return "transcript_timing" in faults.model_fields_set and faults.transcript_timing == "late"

    def _reply(self, words: str, audio: np.ndarray) -> str:
        if RECALL in words.lower():
            earlier = [said for said in self._said if RECALL not in said.lower()]
            return f"I remember you said: {' | '.join(earlier)}." if earlier else "I remember nothing from before this."
        if not words:
            return f"{no_words(audio)} {NO_MODEL}"
        return f'You said "{words}". {NO_MODEL}'

    def _emit_all(self, batch: list[dict]) -> None:
        for event in batch:
            self.session.emit(event)

    def say(self, text: str, audio: np.ndarray | None = None, after_first=None) -> None:
        """Answer aloud: `audio` (the text said in the session's voice, if None) and its transcript."""
        self.stop()
        self._answer = self.session.spawn(self._speak(text, audio, after_first))

    async def _speak(self, text: str, audio: np.ndarray | None, after_first) -> None:
        s = self.session
        try:
            if audio is None:  # said in the session's voice: as much as is said is all it shows
                voice, text = s.config.audio.output.voice, s.speech.sayable(text, 1.0)
                audio = await s.speech.voice(text, voice if isinstance(voice, str) else voice.id, 1.0)
            start_ms = s.now_ms() + ms(s.speaker.given - s.speaker.sent)
            played = s.speaker.play(audio)
            count = max(1, len(text.split()) // WORDS_PER_OUTPUT_FRAGMENT)
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
