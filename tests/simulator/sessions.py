"""Helpers for tests over real WebRTC: a connected call with session faults, a typed turn,
and a microphone that starts speaking later than the fixture does."""

import wave
from pathlib import Path

from tests.simulator.client import Call, mint
from tests.simulator.schema import validate_server_event

SLOW = {"stream_rate": 5, "stream_count": 30}  # generation takes about 6 s: a response stays in progress
FAST = {"stream_rate": 200, "stream_count": 5}  # generation ends at once; the audio plays on
LONG_TEXT = "please answer with a long reply " * 6  # answered with the longest chime, 6 s


async def connect(
    api_url: str, control=None, faults: dict | None = None, session: dict | None = None, microphone: str | None = None
) -> Call:
    """A call whose session gets `faults`; `control` is the fixture that queues them."""
    if faults:
        control.post("/faults", json={"session": faults}).raise_for_status()
    call = Call(api_url, microphone=microphone)
    await call.start(await mint(api_url, session))
    await call.wait_for("session.created")
    return call


async def close_checked(call: Call) -> None:
    """Hang up, once every event the call got has been checked against the openai types."""
    try:
        for event in call.events:
            validate_server_event(event)
    finally:
        await call.close()


def type_turn(call: Call, text: str) -> None:
    """A typed user message and a request for the answer, as the app sends them."""
    call.send(
        "conversation.item.create", item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}
    )
    call.send("response.create")


def later_speech(speech_wav: str, folder: Path, seconds: float) -> str:
    """The speech fixture with `seconds` more silence before it (it speaks from 1 s to about 4 s)."""
    with wave.open(speech_wav) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    path = folder / "later_speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(b"\0" * int(seconds * params.framerate) * params.sampwidth * params.nchannels + frames)
    return str(path)
