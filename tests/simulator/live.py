"""Helpers for the GPT-Live tests: the simulator served in this process, the official SDK as the
server, an aiortc peer as the browser, and one check of every event against `openai.types.live`."""

import asyncio
import contextlib
import json
import time
import wave

import httpx
import openai
from openai.types.live import ConnectServerEvent, ServerEvent
from openai.types.responses import ResponseStreamEvent
from pydantic import TypeAdapter

from tests.simulator.client import Call
from tests.simulator.schema import _unknown_fields
from tests.simulator.servers import serve
from voice_app.simulator.app import create_app

KEY = "sk-live-test-0123456789abcdef"
MODEL = "gpt-live-1"
TOOLS = {
    "type": "responses",
    "responses": {
        "model": "gpt-5.5",
        "instructions": "Use the tools.",
        "tools": [
            {
                "type": "function",
                "name": "remember",
                "description": "Note something.",
                "strict": True,
                "parameters": {"type": "object", "properties": {"note": {"type": "string"}}, "required": ["note"]},
            }
        ],
    },
}
STANDBY_EVENTS = ("session.paused", "session.resumed")
_CHANNEL, _SIDEBAND, _NESTED = TypeAdapter(ServerEvent), TypeAdapter(ConnectServerEvent), TypeAdapter(ResponseStreamEvent)


def checked(event: dict, sideband: bool = False) -> dict:
    """`event` as received, once it has parsed as the SDK's type, with no field the types lack."""
    # Standby's events are typed only in the sideband's union, though their docstrings say the
    # data channel gets them too when its permissions allow.
    model = (_SIDEBAND if sideband or event["type"] in STANDBY_EVENTS else _CHANNEL).validate_python(event)
    unknown = _unknown_fields(model, event["type"])
    if event["type"] == "response.event":
        unknown += _unknown_fields(_NESTED.validate_python(event["event"]), event["event"]["type"])
    assert not unknown, f"fields the openai types do not declare: {unknown}"
    return event


@contextlib.asynccontextmanager
async def simulator(speech: bool = True):
    """The simulator on loopback, and an SDK client with its key: (base URL, client). Without
    `speech`, the placeholder's ear and voice: the fixture's speech is labelled and played back."""
    async with serve(create_app(api_key=KEY, speech=speech)) as url:
        async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0) as client:
            yield url, client


async def faults(url: str, **plan) -> None:
    """Queue faults (served in this process: the request must not block its loop)."""
    async with httpx.AsyncClient() as http:
        (await http.post(f"{url}/control/faults", json=plan)).raise_for_status()


async def stats(url: str) -> dict:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{url}/control/stats")).json()


async def start(url: str, sdk, microphone: str | None = None, **session) -> tuple[Call, str]:
    """A browser peer connected to a new Live session the server created: (peer, session id)."""
    peer = Call(url + "/v1", microphone=microphone)
    created = await sdk.live.create(session={"model": MODEL, **session}, transport={"type": "webrtc", "sdp": await peer.offer()})
    await peer.connect(created.transport.sdp)
    await peer.wait_for("session.started")
    return peer, created.session.id


async def close_checked(peer: Call) -> None:
    """Close the peer, once every event it got has been checked against the types."""
    try:
        for event in peer.events:
            checked(event)
    finally:
        await peer.close()


class Sideband:
    """The server's own connection (`client.live.sideband.connect`), with the events it got."""

    def __init__(self, client, session_id: str, **params) -> None:
        self.manager = client.live.sideband.connect(session_id=session_id, **params)
        self.events: list[dict] = []
        self.connection = None
        self._reading: asyncio.Task | None = None
        self.closed_code: int | None = None

    async def __aenter__(self) -> "Sideband":
        self.connection = await self.manager.__aenter__()
        self._reading = asyncio.ensure_future(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        self._reading.cancel()
        await asyncio.gather(self._reading, return_exceptions=True)
        await self.manager.__aexit__(*exc)

    async def _read(self) -> None:
        try:
            while True:
                self.events.append(checked(json.loads(await self.connection.recv_bytes()), sideband=True))
        except Exception as error:  # the socket closed: keep its code
            self.closed_code = getattr(getattr(error, "rcvd", None), "code", None)

    async def send(self, **event) -> None:
        await self.connection.send(event)

    async def wait_for(self, kind: str, timeout: float = 15.0, **match) -> dict:
        return await wait_for(self.events, kind, timeout, **match)


async def until(found, timeout: float = 15.0, what: str = "it"):
    """The first true value of `found()`, polled while events arrive."""
    deadline = time.monotonic() + timeout
    while not (value := found()):
        assert time.monotonic() < deadline, f"no {what} within {timeout} s"
        await asyncio.sleep(0.02)
    return value


async def wait_for(events: list[dict], kind: str, timeout: float = 15.0, **match) -> dict:
    """The first event of this type whose fields equal `match`, polling `events` as it grows."""
    return await until(
        lambda: next((e for e in events if e["type"] == kind and all(e.get(k) == v for k, v in match.items())), None),
        timeout,
        f"{kind} {match or ''}",
    )


def spliced(speech_wav: str, path, *pieces) -> str:
    """A microphone's recording made of the speech fixture's pieces, in order: each a (start, end)
    in seconds of the fixture (None: its end), or a number of seconds of silence."""
    with wave.open(speech_wav) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    per_frame = params.sampwidth * params.nchannels
    at = lambda seconds: len(frames) if seconds is None else int(seconds * params.framerate) * per_frame  # noqa: E731
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(
            b"".join(
                bytes(at(piece)) if isinstance(piece, int | float) else frames[at(piece[0]) : at(piece[1])] for piece in pieces
            )
        )
    return str(path)
