"""A WebRTC call with the simulator: one RTCPeerConnection, its data channel and audio."""

import asyncio
import json
import logging

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from voice_app.realtime import catalog
from voice_app.realtime.events import MAX_EVENT_CHARS
from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import (
    events,
    idle,
    loopback,  # noqa: F401  (loopback ICE candidates)
)
from voice_app.simulator.config import Session, new_id
from voice_app.simulator.conversation import Conversation
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.speaker import Speaker, to_mono
from voice_app.simulator.speech import SILENT, Speech

log = logging.getLogger(__name__)
# A call whose peer never connects (its page went away after the offer) is ended, as ICE fails it
# at the real API: aioice keeps waiting for trickled candidates that a non-trickle offer never sends.
CONNECT_WITHIN_S = 30.0


class Call:
    def __init__(
        self,
        session: Session,
        faults: SessionFaults,
        on_closed,
        mcp_allowed: frozenset[str] | None = None,
        speech: Speech = SILENT,
    ) -> None:
        self.id = new_id(catalog.CALL_ID_PREFIX)
        # No STUN or TURN: aiortc's default configuration would ask a public STUN server.
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.speaker = Speaker()
        self.channel = None
        self._outbox: list[str] = []  # events said before the data channel opened
        self.conversation = Conversation(session, self._send, self.speaker, faults, mcp_allowed, speech)
        self.faults = faults
        self.listeners: list = []  # the server's own connections to the call hear what the data channel does
        self.ended = asyncio.Event()
        self.attach_dropped = False  # the drop_attach_after fault drops the first attach; a new one holds
        self._on_closed = on_closed
        self._closing: asyncio.Task | None = None
        self._timers: list[asyncio.Task] = []
        self.pc.on("datachannel", self._on_datachannel)
        self.pc.on("track", self._on_track)
        self.pc.on("connectionstatechange", self._on_state)

    async def answer(self, offer_sdp: str) -> str:
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        except Exception as error:  # aiortc raises ValueError, KeyError, ... on bad SDP
            log.info("rejected an offer: %s", error)
            raise ApiError(400, "The SDP offer could not be parsed.", code="invalid_offer", param="sdp") from None
        if not any(t.kind == "audio" for t in self.pc.getTransceivers()):
            raise ApiError(400, "The SDP offer has no audio section.", code="invalid_offer", param="sdp")
        for transceiver in self.pc.getTransceivers():
            if transceiver.kind == "audio":
                transceiver.sender.replaceTrack(self.speaker)
                transceiver.direction = "sendrecv"
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        self._start_timers()
        return self.pc.localDescription.sdp

    def _start_timers(self) -> None:
        limit = min(self.faults.expire_after or catalog.SESSION_MAX_SECONDS, catalog.SESSION_MAX_SECONDS)
        self._timers.append(asyncio.create_task(self._expire_after(limit)))
        self._timers.append(asyncio.create_task(self._unless_connected_within(CONNECT_WITHIN_S)))
        if self.faults.drop_after is not None:
            self._timers.append(asyncio.create_task(self._drop_after(self.faults.drop_after)))
        if self.faults.close_channel_after is not None:
            self._timers.append(asyncio.create_task(self._close_channel_after(self.faults.close_channel_after)))
        if self.faults.error_after is not None:
            self._timers.append(asyncio.create_task(self._error_after(self.faults.error_after)))

    async def _error_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.conversation.error(
            ApiError(
                400,
                "Simulated error: the server had a hiccup, but the session goes on.",
                type="server_error",
                code="simulated_error",
            )
        )

    async def _expire_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        message = f"Your session hit the maximum duration of {catalog.SESSION_MAX_SECONDS // 60} minutes."
        self.conversation.error(ApiError(400, message, code="session_expired"))
        await asyncio.sleep(0.2)  # let the error reach the client before the call ends
        self.close()

    async def _unless_connected_within(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self.pc.connectionState != "connected":
            log.info("call %s never connected: ended", self.id)
            self.close()

    async def _drop_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.close()  # no goodbye: the client sees the connection go away

    async def _close_channel_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        if self.channel is not None:
            self.channel.remove_all_listeners("close")  # the call itself stays up: the client must notice
            self.channel.close()

    def _send(self, text: str) -> None:
        for listener in self.listeners:
            listener(text)
        if self.channel is not None and self.channel.readyState == "open":
            self.channel.send(text)
        else:
            self._outbox.append(text)

    def _on_datachannel(self, channel) -> None:
        if channel.label != catalog.DATA_CHANNEL:
            return
        self.channel = channel
        channel.on("message", lambda message: isinstance(message, str) and self.conversation.handle(message))
        channel.on("close", self.close)
        self.conversation.emit(events.event(E.SESSION_CREATED, session=self.conversation.session.event_payload()))
        self.conversation.spawn(idle.watch(self.conversation))
        self.conversation.list_mcp_servers(self.conversation.session.mcp_servers)
        if self.faults.junk:
            for text in (
                "{not json",
                '{"type": "made.up.event", "event_id": "event_junk"}',
                json.dumps(
                    {
                        "type": E.ITEM_ADDED.value,
                        "event_id": "event_huge",
                        "item": {
                            "id": "item_huge",
                            "type": "message",
                            "role": "user",
                            "content": [{"type": "input_text", "text": "x" * (MAX_EVENT_CHARS + 1024)}],
                        },
                    }
                ),
            ):
                channel.send(text)
        for text in self._outbox:
            channel.send(text)
        self._outbox.clear()

    def _on_track(self, track) -> None:
        if track.kind == "audio":
            self._timers.append(asyncio.create_task(self._listen(track)))

    async def _listen(self, track) -> None:
        try:
            while True:
                self.conversation.hear(to_mono(await track.recv()))
        except MediaStreamError:
            pass  # the caller stopped sending

    async def _on_state(self) -> None:
        if self.pc.connectionState in ("failed", "closed"):
            self.close()

    def close(self) -> asyncio.Task:
        """End the call once, however many things ask for it."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        return self._closing

    async def _close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        await self.conversation.close()
        await self.pc.close()
        self.speaker.stop()
        self.ended.set()
        self._on_closed(self)
