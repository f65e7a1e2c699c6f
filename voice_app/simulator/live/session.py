"""One GPT-Live session over WebRTC: the peer connection, its `oai-events` data channel, the
sidebands listening in, the session timeline, and the session's end."""

import asyncio
import json
import logging
import secrets
import time

from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from openai.types.live import SessionResource

from voice_app.live.events import ServerEvent
from voice_app.simulator import loopback  # noqa: F401  (loopback ICE candidates)
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.live import client_events, events
from voice_app.simulator.live.delegation import Backend
from voice_app.simulator.live.names import DATA_CHANNEL, SESSION_MAX_SECONDS, SESSION_PREFIX
from voice_app.simulator.live.schema import LiveSession
from voice_app.simulator.live.speech import Voice
from voice_app.simulator.live.standby import Standby
from voice_app.simulator.speaker import Speaker, to_mono
from voice_app.simulator.speech import SILENT, Speech

log = logging.getLogger(__name__)
USAGE_EVERY_S = 10
GOODBYE_S = 0.2  # time for a last event to reach the peer before its connection closes
ALWAYS_TO_CHANNEL = {ServerEvent.STARTED, ServerEvent.INFO}  # the page needs these whatever it may receive


class Session:
    def __init__(
        self,
        config: LiveSession,
        faults: SessionFaults,
        on_closed,
        mcp_allowed: frozenset[str] | None = None,
        speech: Speech = SILENT,
    ) -> None:
        self.id = faults.session_id or SESSION_PREFIX + secrets.token_urlsafe(18)  # 24 url-safe characters
        self.config = config
        self.faults = faults
        self.expires_at = int(time.time()) + SESSION_MAX_SECONDS
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))  # no STUN: loopback only
        self.speaker = Speaker()
        self.speech = speech  # the ear and voice the simulator's calls share (speech/)
        speech.warm()
        self.voice = Voice(self)
        self.backend = Backend(self, mcp_allowed)
        self.standby = Standby(self, config.idle_timeout_s if config.wake_policy is not None else None)
        self.channel = None
        self.listeners: list = []  # sidebands: each takes every server event's JSON text
        self.ended = asyncio.Event()
        self.over = False  # session.closed was sent: nothing follows it
        self.announced = False  # session.started was sent: the page's commands are taken from then on
        self.attach_dropped = False  # the drop_attach_after fault drops the first attach only
        self._started = time.monotonic()
        self._on_closed = on_closed
        self._closing: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()
        self.pc.on("datachannel", self._on_datachannel)
        self.pc.on("track", lambda track: track.kind == "audio" and self.spawn(self._listen(track)))
        self.pc.on("connectionstatechange", self._on_state)

    # -- the timeline --------------------------------------------------------------------
    def now_ms(self) -> int:
        return int((time.monotonic() - self._started) * 1000)

    def usage(self) -> dict:
        return events.usage(self.now_ms() // 1000, self.standby.paused_seconds())

    def resource(self) -> dict:
        """The session as `session.started` and `session.closed` show it (SessionResource)."""
        # Startup-only settings (idle_timeout_s, wake_policy) are not part of the snapshot.
        shown = {
            k: v for k, v in self.config.model_dump(mode="json", exclude_none=True).items() if k in SessionResource.model_fields
        }
        for tool in shown.get("delegation", {}).get("responses", {}).get("tools", []):
            tool.pop("authorization", None)  # "omitted from returned Live session data" (ToolMcp)
        return {
            "id": self.id,
            "expires_at": self.expires_at,
            "status": "active",
            "instructions": self.config.instructions or "",
            **shown,
        }

    # -- events out ------------------------------------------------------------------------
    def emit(self, event: dict) -> None:
        """To every sideband, and to the data channel when its permissions allow."""
        if self.over:
            return
        text = json.dumps(event)
        for listener in list(self.listeners):
            listener(text)
        permissions = self.config.client.data_channel if self.config.client else None
        if event["type"] in ALWAYS_TO_CHANNEL or permissions is None or permissions.allows_server(event):
            self.to_channel(text)

    def to_channel(self, text: str) -> None:
        if self.channel is not None and self.channel.readyState == "open":
            self.channel.send(text)

    def spawn(self, coroutine) -> asyncio.Task:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- the connection ----------------------------------------------------------------------
    async def answer(self, offer_sdp: str) -> str:
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        except Exception as error:  # aiortc raises ValueError, KeyError, ... on bad SDP
            log.info("rejected a Live offer: %s", error)
            raise ApiError(400, "The SDP offer could not be parsed.", code="invalid_offer", param="transport.sdp") from None
        audio = [t for t in self.pc.getTransceivers() if t.kind == "audio"]
        if not audio:
            raise ApiError(400, "The SDP offer has no audio section.", code="invalid_offer", param="transport.sdp")
        for transceiver in audio:
            transceiver.sender.replaceTrack(self.speaker)
            transceiver.direction = "sendrecv"
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        self._start_timers()
        return self.pc.localDescription.sdp

    def _start_timers(self) -> None:
        limit = min(self.faults.expire_after or SESSION_MAX_SECONDS, SESSION_MAX_SECONDS)
        self.spawn(self._after(limit, lambda: self.close("expired")))
        if self.faults.drop_after is not None:
            self.spawn(self._after(self.faults.drop_after, lambda: self.close("connection_lost", goodbye=False)))
        self.spawn(self._report_usage())
        self.spawn(self.standby.watch())
        self.backend.mcp.start()

    async def _after(self, seconds: float, then) -> None:
        await asyncio.sleep(seconds)
        then()

    async def _report_usage(self) -> None:
        while True:
            await asyncio.sleep(USAGE_EVERY_S)
            self.emit(events.event(ServerEvent.USAGE, usage=self.usage()))

    def _on_datachannel(self, channel) -> None:
        if channel.label != DATA_CHANNEL:
            return
        self.channel = channel
        channel.on(
            "message",
            lambda message: isinstance(message, str) and client_events.handle(self, message, self.to_channel, from_page=True),
        )
        channel.on("close", lambda: self.close("connection_lost", goodbye=False))
        self.spawn(self._after(self.faults.started_after, self._announce))

    def _announce(self) -> None:
        """A moment after the channel opens, as on the API: commands sent before this are refused."""
        if self.over:
            return
        self.emit(events.event(ServerEvent.STARTED, session=self.resource()))
        self.announced = True
        if self.config.client is not None:
            self.emit(events.event(ServerEvent.INFO, code="data_channel_permissions", message=self._permissions()))

    def _permissions(self) -> str:
        channel = self.config.client.data_channel
        sends, receives = channel.allowed_client_events, channel.allowed_server_events
        sent = "every client event" if sends == "all" else ", ".join(sends) or "no client events"
        received = (
            "every server event"
            if receives == "all"
            else ", ".join(f"{s.type} ({s.response_event})" if s.response_event else s.type for s in receives)
            or "no server events"
        )
        return f"This data channel may send {sent}, and receives {received}."

    async def _listen(self, track) -> None:
        try:
            while True:
                self.voice.hear(to_mono(await track.recv()))
        except MediaStreamError:
            pass  # the browser stopped sending

    async def _on_state(self) -> None:
        if self.pc.connectionState in ("failed", "closed"):
            self.close("connection_lost", goodbye=False)

    # -- the end ------------------------------------------------------------------------------
    def close(self, reason: str, client_event_id: str | None = None, goodbye: bool = True) -> asyncio.Task:
        """End the session once, whatever asks; `session.closed` tells why (to the page too if `goodbye`)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close(reason, client_event_id, goodbye))
        return self._closing

    async def _close(self, reason: str, client_event_id: str | None, goodbye: bool) -> None:
        if not goodbye:
            self.channel = None  # the page is gone, or must see the connection drop unannounced
        self.voice.stop()
        self.emit(events.event(ServerEvent.CLOSED, client_event_id, reason=reason, session=self.resource(), usage=self.usage()))
        self.over = True
        await asyncio.sleep(GOODBYE_S)
        current = asyncio.current_task()
        tasks = [task for task in self._tasks if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.pc.close()
        self.speaker.stop()
        self.ended.set()
        self._on_closed(self)
