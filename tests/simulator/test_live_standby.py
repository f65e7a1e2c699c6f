"""Standby: after `idle_timeout_s` with nobody speaking, a session with a speech wake policy pauses
(`session.paused`), speech wakes it (`session.resumed`), and paused time is billed apart."""

import pytest

from tests.simulator.live import close_checked, simulator, spliced, start, until, wait_for

pytestmark = pytest.mark.slow  # seconds of silence and speech, in real time

STANDBY = {"idle_timeout_s": 1, "wake_policy": {"type": "speech"}}


def spoken_after_a_silence(speech_wav: str, folder) -> str:
    """The speech fixture (speech from 1.0 s to 3.6 s), 5 s of silence, and the speech again: the
    first answer plays until about 6.7 s, the session pauses about a second later, and the second
    speech (from about 10.3 s) wakes it."""
    return spliced(speech_wav, folder / "pause.wav", (0, 4.3), 5, (0, None))


async def test_silence_pauses_the_session_and_speech_wakes_it_with_paused_time_billed_apart(speech_wav, tmp_path):
    async with simulator(speech=False) as (_url, client):
        peer, _ = await start(_url, client, microphone=spoken_after_a_silence(speech_wav, tmp_path), **STANDBY)
        try:
            answered = peer.events.index(await wait_for(peer.events, "session.output_transcript.delta", timeout=15))
            kinds = lambda: [e["type"] for e in peer.events[answered:]]  # noqa: E731
            # Paused after the answer's silence, and woken by the second speech (the fixture's
            # first second of silence may pause it before the first, too).
            await until(
                lambda: "session.resumed" in kinds()[kinds().index("session.paused") :] if "session.paused" in kinds() else False,
                timeout=20,
                what="a pause, then a wake",
            )
            peer.send("session.close")
            closed = await wait_for(peer.events, "session.closed", timeout=10)
            usage = closed["usage"]
            assert usage["paused_seconds"] >= 1 and usage["active_seconds"] + usage["paused_seconds"] == usage["seconds"]
        finally:
            await close_checked(peer)


async def test_without_a_standby_setting_the_session_never_pauses(speech_wav):
    async with simulator() as (_url, client):
        peer, _ = await start(_url, client, microphone=speech_wav)
        try:
            await wait_for(peer.events, "session.output_transcript.delta", timeout=15)
            assert not [e for e in peer.events if e["type"] in ("session.paused", "session.resumed")]
        finally:
            await close_checked(peer)
