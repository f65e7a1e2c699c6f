"""A client on Reflex's event socket that is not our page: it sends any event, by name, with any
payload, as an attacker would, and reads what the server sends back."""

import asyncio
import json
import uuid

import websockets

STATES = "reflex___state____state.voice_app___states___"


def event_name(state: str, handler: str) -> str:
    """`call_state.begin` -> the full name Reflex routes by (CallState lives in states/call.py)."""
    return f"{STATES}{state.removesuffix('_state')}____{state}.{handler}"


class EventSocket:
    def __init__(self, url: str, headers: dict | None = None):
        self.url = f"{url.replace('http', 'ws', 1)}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"
        self.headers = headers or {}
        self.received: list[str] = []

    async def __aenter__(self):
        self.socket = await websockets.connect(self.url, max_size=None, additional_headers=self.headers)
        await self.socket.send("40/_event,")
        return self

    async def __aexit__(self, *exc):
        await self.socket.close()

    async def send(self, handler: str, payload: dict | None = None):
        """`handler` as `call_state.set_draft`."""
        event = {
            "name": event_name(*handler.rsplit(".", 1)),
            "payload": payload or {},
            "router_data": {"pathname": "/", "asPath": "/"},
        }
        await self.socket.send("42/_event," + json.dumps(["event", event]))

    async def until(self, text: str, timeout_s: float = 20) -> list[str]:
        """Read what the server sends until a frame holds `text`; every frame read is kept."""
        async with asyncio.timeout(timeout_s):
            while True:
                frame = await self.socket.recv()
                if frame == "2":
                    await self.socket.send("3")
                    continue
                self.received.append(frame)
                if text in frame:
                    return self.received
