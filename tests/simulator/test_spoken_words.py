"""The simulator hears what is said and answers aloud (speech/): over real WebRTC, the words of a
sentence made by its own synthesizer come back as the user's transcript, the answer says them
back in speech (heard again by the ear, not an echo), and a spoken request calls a tool."""

import numpy as np
import pytest

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event
from tests.spoken import spoken_wav
from voice_app.simulator.speech import ear

pytestmark = pytest.mark.slow  # spoken turns: seconds of speech played in real time

TRANSCRIBED = {"audio": {"input": {"transcription": {"model": "gpt-realtime-whisper"}}}}
STORY = "Tell me a story about a lighthouse keeper."


async def test_spoken_words_are_transcribed_and_said_back_in_speech(api_url, tmp_path):
    call = Call(api_url, microphone=spoken_wav(tmp_path / "story.wav", STORY))
    await call.start(await mint(api_url, TRANSCRIBED))
    try:
        transcribed = await call.wait_for("conversation.item.input_audio_transcription.completed", timeout=30)
        assert "lighthouse keeper" in transcribed["transcript"].lower()
        heard = "".join(e["delta"] for e in call.events if e["type"] == "conversation.item.input_audio_transcription.delta")
        assert heard == transcribed["transcript"] and len(heard.split()) >= 6  # word by word
        done = await call.wait_for("response.output_audio_transcript.done", timeout=30)
        assert done["transcript"].startswith(f'You said: "{transcribed["transcript"]}"')
        await call.wait_for("output_audio_buffer.stopped", timeout=30)
        answer = ear.transcribe_now(np.concatenate(call.sound)).lower()  # all it sent: silent but for the answer
        assert "you said" in answer, answer  # the answer's audio says its words: an echo of the user's never would
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


async def test_a_spoken_request_calls_the_tool_it_names(api_url, tmp_path):
    tool = {"type": "function", "name": "current_time", "description": "The time.", "parameters": {"type": "object"}}
    call = Call(api_url, microphone=spoken_wav(tmp_path / "time.wav", "What time is it in Paris?"))
    await call.start(await mint(api_url, {**TRANSCRIBED, "tools": [tool]}))
    try:
        done = (await call.wait_for("response.done", timeout=30))["response"]
        calls = [item for item in done["output"] if item["type"] == "function_call"]
        assert [(c["name"], c["arguments"]) for c in calls] == [("current_time", '{"timezone": "Europe/Paris"}')]
    finally:
        await call.close()
