"""The server's own connection to a call (OpenAI's "sideband"): a WebSocket attached by the call's
id with the API key (`client.realtime.connect(call_id=...)`, or for a GPT-Live session
`client.live.sideband.connect(session_id=...)`), held for the call's life. It hears
every server event of the call, as the page's data channel does, and what it sends goes into the
same conversation. It closes when the call ends; if it drops while the call lives, it is attached
again, a few times, before the server gives up on it.

No Reflex here: the app's glue (states/server_call.py) says what to do with each event.
"""

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable

import websockets
from openai import AsyncOpenAI

from voice_app.live.events import ClientEvent, ServerEvent

REATTACH_DELAYS_S = (0.25, 1.0, 2.0)  # after a drop: then the server gives up on the call's tools
# Audio a GPT-Live sideband gets (base64 PCM, both voices, ~100 frames a second) that nothing here
# uses: told without parsing, wherever `type` is (the package's models put `audio`/`delta` first).
# Such an event is one flat object; a `"type": "..."` pair cannot be inside a JSON string (its
# quotes would be escaped), and an object naming an audio type inside another (a permissions
# selector in session.started) has more braces: it is read.
AUDIO_TYPES = tuple(f'"{kind}"'.encode() for kind in (ServerEvent.OUTPUT_AUDIO_DELTA, ServerEvent.INPUT_AUDIO_APPEND))
_TYPE_KEY = re.compile(rb'"type"\s*:\s*$')  # just before the value found
STEADY_S = 30.0  # a connection that held this long starts the count of drops again
CALL_OVER = (404,)  # the call is not live (ended, or never was): nothing to hold
REFUSED = (401, 403)  # the key may not attach: trying again changes nothing


class Lost(Exception):
    """The server could not hold the call's connection; the message says why, for the page."""


def _status(error: Exception) -> int | None:
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def why(error: Exception) -> str:
    status = _status(error)
    if status in REFUSED:
        return f"the API refused the server's connection to the call ({status})"
    if status is not None:
        return f"the API answered the server's connection with {status}"
    if isinstance(error, websockets.ConnectionClosed):
        return "the server's connection to the call dropped"
    if isinstance(error, TimeoutError):
        return "the API did not answer the server's connection in time"
    return "the server could not reach the API to attach to the call"


# Our close waits this long for the API's answer (websockets' default is 10 s, which a worker
# stopping with a call open used to wait out when the answer never came).
CLOSING = {"close_timeout": 1.0}


def realtime_call(client: AsyncOpenAI, call_id: str) -> Callable:
    """How to attach to a Realtime API call (WebRTC), for `hold`."""
    return lambda: client.realtime.connect(call_id=call_id, websocket_connection_options=CLOSING)


def live_session(client: AsyncOpenAI, session_id: str) -> Callable:
    """How to attach to a GPT-Live session, for `hold` (which attaches again itself)."""
    # graceful_close: the end is a close frame after session.closed, not a drop that looks like a loss
    return lambda: client.live.sideband.connect(
        session_id=session_id, graceful_close=True, max_retries=0, websocket_connection_options=CLOSING
    )


async def hold(
    connect: Callable,
    heard: Callable[[dict], Awaitable[None]],
    attached: Callable[[], Awaitable[None]],
    outbox: asyncio.Queue,
    timeout_s: float,
) -> None:
    """Hold the connection (`connect()`: realtime_call or live_session) until the call ends
    (returns), or until it cannot be held (raises Lost). `heard` gets each server event in
    order; what is put in `outbox` is sent."""
    drops = 0
    while True:
        try:
            async with asyncio.timeout(timeout_s):
                connection = await connect().enter()
        except (websockets.WebSocketException, OSError, TimeoutError) as error:
            if _status(error) in CALL_OVER:
                return
            if _status(error) in REFUSED or drops >= len(REATTACH_DELAYS_S):
                raise Lost(why(error)) from error
            drops += 1
            await asyncio.sleep(REATTACH_DELAYS_S[drops - 1])
            continue
        await attached()
        held_since = time.monotonic()
        try:
            if await _listen(connection, heard, outbox):
                return  # closed by the API: the call is over
        except websockets.ConnectionClosedError as error:
            if time.monotonic() - held_since >= STEADY_S:
                drops = 0  # it held a good while: a drop now is a new one, not more of the same
            if drops >= len(REATTACH_DELAYS_S):
                raise Lost(why(error)) from error
            drops += 1
            await asyncio.sleep(REATTACH_DELAYS_S[drops - 1])
        finally:
            await connection.close()


async def _listen(connection, heard, outbox: asyncio.Queue) -> bool:
    """Until the connection closes: True when it closed normally (the call ended)."""

    async def send():
        while True:
            event = await outbox.get()
            await connection.send(event)

    sender = asyncio.create_task(send())
    try:
        while True:
            try:
                frame = await connection.recv_bytes()
            except websockets.ConnectionClosedOK:
                return True
            if reflected_audio(frame):
                continue
            try:
                event = json.loads(frame)
            except ValueError:
                continue  # not an event: nothing to act on
            if isinstance(event, dict):
                await heard(event)
    finally:
        sender.cancel()


def reflected_audio(frame: bytes) -> bool:
    """A GPT-Live audio event (skipped unread), told by a few scans of the frame at C speed."""
    for value in AUDIO_TYPES:
        at = frame.find(value)
        if at >= 0:
            flat = frame.find(b"{", frame.find(b"{") + 1) < 0  # (find of one byte is memchr; count is not)
            return flat and _TYPE_KEY.search(frame, max(0, at - 16), at) is not None
    return False


async def close_session(connect: Callable, timeout_s: float) -> bool:
    """Close a GPT-Live session (its page went away): attach, send `session.close`, and wait for
    the API to close the connection after `session.closed`. True once it is closed, or gone."""
    try:
        async with asyncio.timeout(timeout_s):
            connection = await connect().enter()
            try:
                await connection.send({"type": ClientEvent.CLOSE.value})
                while True:
                    await connection.recv_bytes()
            finally:
                await connection.close()
    except websockets.ConnectionClosedOK:
        return True  # closed, as asked
    except (websockets.WebSocketException, OSError, TimeoutError) as error:
        return _status(error) in CALL_OVER  # gone already; else unreachable (the API ends an unjoined session anyway)
    return True
