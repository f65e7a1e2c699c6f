"""GPT-Live's simulator hears words (speech/): the user's input transcript is what was said, the
answer says it back aloud, and a spoken request for a tool is delegated as a typed-out one is."""

import json

import pytest

from tests.simulator.live import TOOLS, Sideband, close_checked, simulator, start, until
from tests.simulator.test_live_delegation import nested
from tests.simulator.test_live_speech import NO_MODEL, deltas, text
from tests.spoken import spoken_wav

pytestmark = pytest.mark.slow  # spoken turns in real time

STORY = "Tell me a story about a lighthouse keeper."


async def test_the_words_said_are_the_input_transcript_and_the_answer_says_them_back(tmp_path):
    async with simulator() as (url, client):
        peer, _ = await start(url, client, microphone=spoken_wav(tmp_path / "story.wav", STORY))
        try:
            await until(lambda: text(deltas(peer, "output")).endswith(NO_MODEL), 30, "a whole answer")
            heard = text(deltas(peer, "input"))
            assert "lighthouse keeper" in heard.lower()
            assert text(deltas(peer, "output")) == f'You said "{heard}". {NO_MODEL}'
            assert max(db for _, db in peer.heard) > -40  # said aloud
        finally:
            await close_checked(peer)


async def test_a_spoken_request_is_delegated_to_the_tool_it_asks_for(tmp_path):
    async with simulator() as (url, client):
        wav = spoken_wav(tmp_path / "locker.wav", "Remember that my locker is 42.")
        peer, session_id = await start(url, client, microphone=wav, delegation=TOOLS)
        try:
            async with Sideband(client, session_id) as sideband:
                called = lambda: [e["item"] for e in nested(sideband.events) if e["type"] == "response.output_item.done"]  # noqa: E731
                await until(called, 30, "a delegated call")
                item = called()[0]
                assert item["name"] == "remember" and json.loads(item["arguments"])["note"].startswith("my locker is")
        finally:
            await close_checked(peer)
