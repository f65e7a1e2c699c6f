"""Spoken turns on the session timeline: the user's words as input transcript deltas, then the
answer's audio with output transcript deltas in playback time (ms since the session started)."""

import pytest

from tests.simulator.live import close_checked, faults, simulator, spliced, start, until

pytestmark = pytest.mark.slow  # spoken turns: seconds of speech played in real time

NO_MODEL = "This is the local GPT-Live simulator: there is no model here."


def deltas(peer, kind: str) -> list[dict]:
    return [e for e in peer.events if e["type"] == f"session.{kind}_transcript.delta"]


def text(events: list[dict]) -> str:
    return "".join(e["delta"] for e in events)


def spans_in_order(events: list[dict]) -> bool:
    spans = [(e["start_ms"], e["end_ms"]) for e in events]
    return all(start <= end for start, end in spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def spoken_twice(speech_wav: str, folder) -> str:
    """The speech fixture (speech from 1.0 s to 3.6 s) said again soon after: at about 4.8 s, while
    the answer to the first (from about 4.1 s, as long as the speech) plays."""
    return spliced(speech_wav, folder / "twice.wav", (0, 4.3), (0.5, None))


async def test_a_spoken_turn_is_labelled_then_answered_and_speaking_over_it_stops_it(speech_wav, tmp_path):
    async with simulator(speech=False) as (url, client):
        peer, _ = await start(url, client, microphone=spoken_twice(speech_wav, tmp_path))
        try:
            await until(lambda: text(deltas(peer, "output")).endswith(NO_MODEL), 25, "a whole answer")
            heard, said = deltas(peer, "input"), deltas(peer, "output")
            first, second = heard[: len(heard) // 2], heard[len(heard) // 2 :]
            assert 2 <= len(first) == len(second) <= 3 and text(first) == text(second)
            assert text(first).startswith("[speech, ") and text(first).endswith(" s]")
            assert spans_in_order(heard) and spans_in_order(said)
            assert 500 <= first[0]["start_ms"] and first[-1]["end_ms"] <= said[0]["start_ms"]
            assert peer.events.index(first[-1]) < peer.events.index(said[0])  # on time: said before answered
            cut = [e for e in said if e["start_ms"] < second[0]["start_ms"]]
            whole = said[len(cut) :]
            assert cut and not text(cut).endswith(NO_MODEL)  # the user spoke over it: its words stop
            assert text(whole).startswith("I heard ") and text(whole).endswith(NO_MODEL)
            assert second[-1]["end_ms"] <= whole[0]["start_ms"]
            assert max(db for _, db in peer.heard) > -40  # the answers were audible
        finally:
            await close_checked(peer)


async def test_the_heard_fault_makes_the_user_say_its_words(speech_wav):
    async with simulator() as (url, client):
        await faults(url, session={"heard": ["Hello there, simulator"]})
        peer, _ = await start(url, client, microphone=speech_wav)
        try:
            await peer.wait_for("session.usage.updated", timeout=20)
            assert text(deltas(peer, "input")) == "Hello there, simulator"
            assert text(deltas(peer, "output")) == f'You said "Hello there, simulator". {NO_MODEL}'
        finally:
            await close_checked(peer)


async def test_a_late_transcript_arrives_after_the_answer_began_yet_is_earlier_on_the_timeline(speech_wav):
    async with simulator() as (url, client):
        await faults(url, session={"heard": ["Tell me a story"], "transcript_timing": "late"})
        peer, _ = await start(url, client, microphone=speech_wav)
        try:
            await peer.wait_for("session.input_transcript.delta")
            heard, said = deltas(peer, "input"), deltas(peer, "output")
            assert said and peer.events.index(said[0]) < peer.events.index(heard[0])
            assert heard[-1]["end_ms"] <= said[0]["start_ms"]  # ordered by start_ms, the user spoke first
        finally:
            await close_checked(peer)


async def test_a_new_session_remembers_the_conversation_it_was_given(speech_wav):
    history = [{"role": "user", "content": [{"type": "input_text", "text": text}]} for text in ("blue", "seven")]
    async with simulator() as (url, client):
        await faults(url, session={"heard": ["What do you remember?"]})
        peer, _ = await start(url, client, microphone=speech_wav, input=history)
        try:
            usage = (await peer.wait_for("session.usage.updated", timeout=20))["usage"]  # once the answer has played
            assert text(deltas(peer, "output")) == "I remember you said: blue | seven."
            assert usage["seconds"] >= 4 and usage["active_seconds"] + usage["paused_seconds"] == usage["seconds"]
        finally:
            await close_checked(peer)
