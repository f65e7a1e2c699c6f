"""A Realtime API client over real WebRTC (aiortc), for testing the simulator."""

import asyncio
import json
import time

import httpx
import numpy as np
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamError

from voice_app.realtime import catalog
from voice_app.simulator import loopback  # noqa: F401  (loopback ICE candidates)
from voice_app.simulator.speaker import to_mono
from voice_app.simulator.vad import dbfs


async def mint(base_url: str, session: dict | None = None, key: str = "sk-test", **body) -> str:
    async with httpx.AsyncClient(base_url=base_url) as http:
        reply = await http.post(
            catalog.CLIENT_SECRETS_PATH,
            headers={"Authorization": f"Bearer {key}"},
            json={"session": {"type": "realtime", **(session or {})}, **body},
        )
    reply.raise_for_status()
    return reply.json()["value"]


class Call:
    """One call: the events it received, in order, and the loudness of the audio it heard."""

    def __init__(self, base_url: str, microphone: str | None = None) -> None:
        self.base_url = base_url
        self.microphone = microphone
        self.events: list[dict] = []
        self.heard: list[tuple[float, float]] = []  # (monotonic time, dBFS) per received frame
        self.sound: list[np.ndarray] = []  # the received audio itself, mono 16-bit at 48 kHz
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.channel = self.pc.createDataChannel(catalog.DATA_CHANNEL)
        self.location: str | None = None
        self._arrived = asyncio.Event()
        self._opened = asyncio.Event()
        self._player: MediaPlayer | None = None
        self._listening: asyncio.Task | None = None

    async def start(self, secret: str) -> None:
        """Offer, post the offer with a client secret as the browser does, and connect."""
        offer = await self.offer()
        async with httpx.AsyncClient(base_url=self.base_url) as http:
            reply = await http.post(
                catalog.CALLS_PATH,
                headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/sdp"},
                content=offer,
            )
        assert reply.status_code == 201, f"{reply.status_code} {reply.text}"
        self.location = reply.headers["location"]
        await self.connect(reply.text)

    async def offer(self) -> str:
        """The offer SDP of this peer: its audio, and the data channel."""
        self.channel.on("open", self._opened.set)
        self.channel.on("message", self._on_message)
        self.pc.on("track", lambda track: setattr(self, "_listening", asyncio.ensure_future(self._listen(track))))
        if self.microphone:
            self._player = MediaPlayer(self.microphone)
            self.pc.addTrack(self._player.audio)
        else:
            self.pc.addTransceiver("audio", direction="sendrecv")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def connect(self, answer: str) -> None:
        """Take the API's answer SDP; return once the data channel is open."""
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        await asyncio.wait_for(self._opened.wait(), 10)

    def _on_message(self, message: str) -> None:
        self.events.append(json.loads(message))
        self._arrived.set()

    async def _listen(self, track) -> None:
        try:
            while True:
                frame = await track.recv()
                mono = to_mono(frame)
                self.heard.append((time.monotonic(), dbfs(mono)))
                self.sound.append(mono)
        except MediaStreamError:
            pass

    def send(self, kind: str, **fields) -> None:
        self.channel.send(json.dumps({"type": kind, **fields}))

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    async def wait_for(self, kind: str, timeout: float = 15.0, count: int = 1, **match) -> dict:
        """The count-th event of this type (whose fields equal `match`), waiting if need be."""
        deadline = time.monotonic() + timeout
        while True:
            found = [e for e in self.events if e["type"] == kind and all(e.get(k) == v for k, v in match.items())]
            if len(found) >= count:
                return found[count - 1]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind} {match or ''} within {timeout} s; got {self.types()}")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                pass

    async def listen(self, frames: int, timeout: float = 15.0) -> list[float]:
        """The levels (dBFS) of the next `frames` frames heard (20 ms each), waiting for them."""
        start, deadline = len(self.heard), time.monotonic() + timeout
        while len(self.heard) < start + frames:
            assert time.monotonic() < deadline, f"{len(self.heard) - start} of {frames} frames heard in {timeout} s"
            await asyncio.sleep(0.02)
        return [level for _, level in self.heard[start : start + frames]]

    async def sent_ms(self) -> float:
        """How much audio this peer has sent, by its RTP packets (20 ms each)."""
        stats = await self.pc.getStats()
        return 20.0 * sum(s.packetsSent for s in stats.values() if s.type == "outbound-rtp")

    async def wait_closed(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.channel.readyState != "closed" and self.pc.connectionState not in ("closed", "failed"):
            assert time.monotonic() < deadline, f"still {self.pc.connectionState} after {timeout} s"
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        if self._player and self._player.audio:
            self._player.audio.stop()
        await self.pc.close()
        if self._listening:
            self._listening.cancel()
            await asyncio.gather(self._listening, return_exceptions=True)
