"""GPT-Live's voice while the ear still hears a turn (no WebRTC: the voice alone, in a stand-in
session, with an ear that answers when the test says): a turn the user speaks over while it is
being heard is transcribed and not answered; one left alone is answered."""

import asyncio
import time
from types import SimpleNamespace

import numpy as np

from tests.simulator.test_hearing_turns import SlowEar, until
from voice_app.live.events import ServerEvent
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.live.schema import LiveSession
from voice_app.simulator.live.speech import Voice
from voice_app.simulator.speaker import Speaker
from voice_app.simulator.vad import RATE

LOUD, QUIET = np.full(RATE // 10, 3000, np.int16), np.zeros(RATE // 10, np.int16)  # 100 ms each


class StandIn:
    """What the voice uses of a GPT-Live session, keeping what it emits."""

    def __init__(self, ear) -> None:
        ready = asyncio.Event()
        ready.set()
        self.faults, self.config, self.speech, self.speaker = SessionFaults(), LiveSession(model="gpt-live-1"), ear, Speaker()
        self.standby = SimpleNamespace(activity=lambda: None)
        self.backend = SimpleNamespace(mcp=SimpleNamespace(ready=ready), tool_names=lambda: [])
        self.emitted: list[dict] = []
        self._started = time.monotonic()

    def now_ms(self) -> int:
        return int((time.monotonic() - self._started) * 1000)

    def spawn(self, coroutine) -> asyncio.Task:
        return asyncio.get_running_loop().create_task(coroutine)

    def emit(self, event: dict) -> None:
        self.emitted.append(event)

    def said(self, kind: ServerEvent) -> str:
        return "".join(e["delta"] for e in self.emitted if e["type"] == kind)


def speak(voice: Voice, loud_ms: int, quiet_ms: int = 0) -> None:
    for chunk in [LOUD] * (loud_ms // 100) + [QUIET] * (quiet_ms // 100):
        voice.hear(chunk)


async def test_a_turn_spoken_over_while_it_is_heard_is_transcribed_and_not_answered():
    ear = SlowEar()
    session = StandIn(ear)
    voice = Voice(session)
    speak(voice, 1000, 700)  # a turn, ended by the silence: the ear starts on it
    await asyncio.sleep(0.1)
    speak(voice, 300)  # the user speaks again before it is heard
    ear.heard.set()
    await until(lambda: session.said(ServerEvent.INPUT_DELTA) == "Tell me a story")
    await asyncio.sleep(0.3)
    assert session.said(ServerEvent.OUTPUT_DELTA) == ""


async def test_a_turn_left_alone_while_it_is_heard_is_answered():
    ear = SlowEar()
    session = StandIn(ear)
    voice = Voice(session)
    speak(voice, 1000, 700)
    await asyncio.sleep(0.1)
    ear.heard.set()
    await until(lambda: session.said(ServerEvent.OUTPUT_DELTA).startswith('You said "Tell me a story"'))
    voice.stop()
