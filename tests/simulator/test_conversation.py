"""Spoken and text turns over real WebRTC, every event checked against the openai types."""

import pytest

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event

pytestmark = pytest.mark.slow  # spoken turns: seconds of speech played in real time

TRANSCRIBED = {"audio": {"input": {"transcription": {"model": "gpt-realtime-whisper"}}}}


async def spoken_turn(api_url, speech_wav, session=TRANSCRIBED):
    call = Call(api_url, microphone=speech_wav)
    await call.start(await mint(api_url, session))
    await call.wait_for("output_audio_buffer.stopped", timeout=30)
    return call


async def test_spoken_turn_streams_the_full_ga_sequence(api_url, speech_wav):
    call = await spoken_turn(api_url, speech_wav)
    try:
        for event in call.events:
            validate_server_event(event)
        types = call.types()
        expected = [
            "session.created",
            "input_audio_buffer.speech_started",
            "input_audio_buffer.speech_stopped",
            "input_audio_buffer.committed",
            "conversation.item.added",  # the user's item
            "conversation.item.done",
            "response.created",
            "response.output_item.added",
            "conversation.item.added",  # the assistant's item
            "response.content_part.added",
            "output_audio_buffer.started",
            "response.output_audio_transcript.delta",
            "conversation.item.input_audio_transcription.completed",
            "response.output_audio.done",
            "response.output_audio_transcript.done",
            "response.content_part.done",
            "response.output_item.done",
            "conversation.item.done",
            "response.done",
            "rate_limits.updated",
            "output_audio_buffer.stopped",
        ]
        positions = [types.index(kind, types.index(expected[i - 1]) + 1 if i else 0) for i, kind in enumerate(expected)]
        assert positions == sorted(positions)
        assert types.count("response.output_audio_transcript.delta") >= 3
    finally:
        await call.close()


async def test_user_item_precedes_answer_though_transcribed_after_it(api_url, speech_wav):
    call = await spoken_turn(api_url, speech_wav)
    try:
        committed = await call.wait_for("input_audio_buffer.committed")
        user_added = await call.wait_for("conversation.item.added", count=1)
        answer_added = await call.wait_for("conversation.item.added", count=2)
        assert user_added["item"]["role"] == "user" and user_added["item"]["id"] == committed["item_id"]
        assert answer_added["item"]["role"] == "assistant"
        assert answer_added["previous_item_id"] == committed["item_id"]
        types = call.types()
        first_delta = types.index("response.output_audio_transcript.delta")
        assert types.index("conversation.item.input_audio_transcription.completed") > first_delta
        transcribed = await call.wait_for("conversation.item.input_audio_transcription.completed")
        assert transcribed["item_id"] == committed["item_id"]
        assert "can you hear me" in transcribed["transcript"].lower()  # the fixture says "Hello, can you hear me clearly?"
        deltas = [e["delta"] for e in call.events if e["type"] == "conversation.item.input_audio_transcription.delta"]
        assert "".join(deltas) == transcribed["transcript"]
        # gpt-realtime-whisper bills by the minute: its usage is the audio's duration
        assert transcribed["usage"]["type"] == "duration" and 0 < transcribed["usage"]["seconds"] < 10
    finally:
        await call.close()


async def test_answer_transcript_is_the_sum_of_its_deltas_and_usage_is_plausible(api_url, speech_wav):
    call = await spoken_turn(api_url, speech_wav)
    try:
        deltas = [e["delta"] for e in call.events if e["type"] == "response.output_audio_transcript.delta"]
        done = await call.wait_for("response.output_audio_transcript.done")
        assert "".join(deltas) == done["transcript"] and done["transcript"].startswith('You said: "Hello')
        response = (await call.wait_for("response.done"))["response"]
        assert response["status"] == "completed"
        assert response["output"][0]["content"][0]["transcript"] == done["transcript"]
        usage = response["usage"]
        assert usage["input_token_details"]["audio_tokens"] > 0 and usage["output_token_details"]["audio_tokens"] > 0
        assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    finally:
        await call.close()


async def test_with_the_ear_off_speech_is_labelled_and_played_back(silent_simulator_url, speech_wav):
    call = await spoken_turn(silent_simulator_url + "/v1", speech_wav)
    try:
        transcribed = await call.wait_for("conversation.item.input_audio_transcription.completed")
        assert transcribed["transcript"].startswith("[speech, ") and transcribed["transcript"].endswith(" s]")
        done = await call.wait_for("response.output_audio_transcript.done")
        assert done["transcript"].startswith("I heard ") and "seconds of speech" in done["transcript"]
    finally:
        await call.close()


async def test_answer_audio_echoes_the_user_with_the_ear_off_and_is_silent_otherwise(silent_simulator_url, speech_wav):
    call = await spoken_turn(silent_simulator_url + "/v1", speech_wav)
    try:
        await call.wait_for("output_audio_buffer.started")
        loud = [level for _, level in call.heard if level > -45]
        assert len(loud) > 25, "the echoed speech (over half a second of it) was not heard"
        before_answer = [level for _, level in call.heard[:20]]
        assert max(before_answer) < -60, "the simulator spoke before it was answering"
    finally:
        await call.close()


async def test_text_turn_is_answered_in_text_and_audio(api_url):
    call = Call(api_url)
    await call.start(await mint(api_url))
    try:
        await call.wait_for("session.created")
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hi there"}]},
        )
        added = await call.wait_for("conversation.item.added")
        assert added["item"]["content"] == [{"type": "input_text", "text": "Hi there"}]
        await call.wait_for("conversation.item.done")
        call.send("response.create")
        done = await call.wait_for("response.done")
        assert done["response"]["status"] == "completed"
        transcript = done["response"]["output"][0]["content"][0]["transcript"]
        assert "Hi there" in transcript
        await call.wait_for("output_audio_buffer.stopped", timeout=20)
        assert sum(1 for _, level in call.heard if level > -45) > 25
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


async def test_text_only_session_answers_with_output_text(api_url):
    call = Call(api_url)
    await call.start(await mint(api_url, {"output_modalities": ["text"]}))
    try:
        call.send(
            "conversation.item.create",
            item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Type it"}]},
        )
        call.send("response.create")
        done = await call.wait_for("response.output_text.done")
        deltas = [e["delta"] for e in call.events if e["type"] == "response.output_text.delta"]
        assert "".join(deltas) == done["text"] and "Type it" in done["text"]
        assert "output_audio_buffer.started" not in call.types()
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()
