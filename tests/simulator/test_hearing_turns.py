"""A spoken turn while the ear is still hearing it (no WebRTC: the conversation alone, with an
ear that answers when the test says): the answer waits for the words, and a cancel meanwhile
still gives response.created, then response.done, and the transcript once."""

import asyncio
import json
from datetime import date

import numpy as np

from voice_app.simulator.config import parse_session
from voice_app.simulator.conversation import Conversation
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.speaker import Speaker
from voice_app.simulator.speech import SILENT
from voice_app.simulator.turns import SpokenTurn
from voice_app.simulator.vad import RATE


class SlowEar:
    """Hears "Tell me a story" once `heard` is set; says at most 40 characters, with a chime."""

    on = True

    def __init__(self) -> None:
        self.heard = asyncio.Event()

    def warm(self) -> None:
        pass

    async def words(self, audio) -> str:
        await self.heard.wait()
        return "Tell me a story"

    def sayable(self, text, speed):
        return text[:40]

    async def voice(self, text, voice, speed):
        return await SILENT.voice(text, voice, speed)


def conversation(ear, **faults) -> tuple[Conversation, list[dict]]:
    sent: list[dict] = []
    session = parse_session({"type": "realtime", "audio": {"input": {"transcription": {"model": "whisper-1"}}}}, date.today)
    c = Conversation(session, lambda text: sent.append(json.loads(text)), Speaker(), SessionFaults(**faults), speech=ear)
    return c, sent


def spoken(c, item_id: str = "item_1") -> None:
    SpokenTurn(c, item_id, np.full(RATE, 1000, np.int16), respond=True).commit()


def transcripts(sent: list[dict]) -> list[str]:
    return [e["transcript"] for e in sent if e["type"] == "conversation.item.input_audio_transcription.completed"]


def kinds(sent: list[dict]) -> list[str]:
    return [event["type"] for event in sent]


async def until(found, timeout: float = 10.0):
    async with asyncio.timeout(timeout):
        while not found():
            await asyncio.sleep(0.01)


async def test_the_answer_begins_at_once_and_says_the_words_once_heard():
    ear = SlowEar()
    c, sent = conversation(ear)
    spoken(c)
    await asyncio.sleep(0.2)
    assert c.answering and kinds(sent)[-1] == "response.created"  # begun, as the API's, and still hearing
    ear.heard.set()
    await until(lambda: "response.output_audio_transcript.done" in kinds(sent))
    done = next(e for e in sent if e["type"] == "response.output_audio_transcript.done")
    assert done["transcript"].startswith('You said: "Tell me a story"')
    await until(lambda: "conversation.item.input_audio_transcription.completed" in kinds(sent))
    await c.close()


async def test_a_cancel_while_hearing_gives_created_then_done_and_the_transcript_once():
    ear = SlowEar()
    c, sent = conversation(ear)
    SpokenTurn(c, "item_1", np.full(RATE, 1000, np.int16), respond=True).commit()
    await asyncio.sleep(0.2)
    c.cancel_response("turn_detected")
    await until(lambda: "response.done" in kinds(sent))
    assert kinds(sent).index("response.created") < kinds(sent).index("response.done")
    assert next(e for e in sent if e["type"] == "response.done")["response"]["status"] == "cancelled"
    ear.heard.set()  # the words come after all: the user's transcript still arrives, once
    await until(lambda: "conversation.item.input_audio_transcription.completed" in kinds(sent))
    await asyncio.sleep(0.2)
    completed = [e for e in sent if e["type"] == "conversation.item.input_audio_transcription.completed"]
    assert [e["transcript"] for e in completed] == ["Tell me a story"]
    await c.close()


class BusyEar(SlowEar):
    """Too many turns wait for it: it does not hear this one."""

    async def words(self, audio):
        return None


async def test_a_turn_the_ear_could_not_hear_is_labelled_and_played_back():
    c, sent = conversation(BusyEar())
    SpokenTurn(c, "item_1", np.full(RATE, 1000, np.int16), respond=True).commit()
    await until(lambda: "conversation.item.input_audio_transcription.completed" in kinds(sent))
    completed = next(e for e in sent if e["type"] == "conversation.item.input_audio_transcription.completed")
    assert completed["transcript"] == "[speech, 1.0 s]"
    await until(lambda: "response.output_audio_transcript.done" in kinds(sent))
    done = next(e for e in sent if e["type"] == "response.output_audio_transcript.done")
    assert done["transcript"].startswith("I heard 1.0 seconds of speech and played it back")
    await c.close()


async def test_the_ear_refuses_a_turn_once_too_many_wait(monkeypatch):
    from voice_app.simulator import speech
    from voice_app.simulator.speech import ear

    quiet = np.zeros(RATE, np.int16)
    assert await speech.Speech().words(quiet) == ""  # heard: silence has no words
    monkeypatch.setattr(ear, "_waiting", speech.MAX_WAITING)
    assert await speech.Speech().words(quiet) is None


async def test_a_cancel_before_the_answer_ever_ran_still_gives_created_then_done():
    ear = SlowEar()
    c, sent = conversation(ear)
    spoken(c)
    c.cancel_response("turn_detected")  # in the same tick: the answer's task has not run yet
    await until(lambda: "response.done" in kinds(sent))
    assert kinds(sent).index("response.created") < kinds(sent).index("response.done")
    ear.heard.set()
    await until(lambda: transcripts(sent) == ["Tell me a story"])
    await c.close()


async def test_an_early_transcript_comes_before_the_answer_begins():
    ear = SlowEar()
    c, sent = conversation(ear, transcript_timing="early")
    spoken(c)
    await asyncio.sleep(0.2)
    assert "response.created" not in kinds(sent)  # the answer waits for the transcript
    ear.heard.set()
    await until(lambda: "response.created" in kinds(sent))
    completed = kinds(sent).index("conversation.item.input_audio_transcription.completed")
    assert completed < kinds(sent).index("response.created")
    await c.close()


async def test_one_call_has_at_most_two_turns_heard_at_once_and_the_next_is_labelled():
    ear = SlowEar()
    c, sent = conversation(ear)
    for index in range(3):
        SpokenTurn(c, f"item_{index}", np.full(RATE, 1000, np.int16), respond=False).commit()
    await until(lambda: transcripts(sent) == ["[speech, 1.0 s]"])  # the third: not heard
    ear.heard.set()
    await until(lambda: len(transcripts(sent)) == 3)
    assert transcripts(sent)[1:] == ["Tell me a story"] * 2
    await c.close()


async def test_an_answer_shows_what_its_voice_says():
    c, sent = conversation(SlowEar())
    c.handle(
        json.dumps(
            {
                "type": "conversation.item.create",
                "item": {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "x" * 500}]},
            }
        )
    )
    c.handle(json.dumps({"type": "response.create"}))
    await until(lambda: "response.output_audio_transcript.done" in kinds(sent))
    done = next(e for e in sent if e["type"] == "response.output_audio_transcript.done")
    assert done["transcript"] == 'You wrote "' + "x" * 29  # the 40 characters said of a long answer
    await c.close()
