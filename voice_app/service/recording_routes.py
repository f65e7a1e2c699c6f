"""The backend's routes for kept recordings: the page sends one, History's player fetches it.

Nothing the page sends is trusted: the pass (realtime/recording.py) says whose conversation it
is, the database must agree that the owner has it, and the body must be a WebM or Ogg recording
within the size limit, read no further than that limit.
"""

import asyncio
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from voice_app.realtime import bounds
from voice_app.realtime.byte_ranges import NOT_SATISFIABLE, byte_range
from voice_app.realtime.numbers import declared_length
from voice_app.realtime.recording import PLAY, TOO_LARGE, UPLOAD, kind_of, read_pass, refusal
from voice_app.service import conversations, recordings
from voice_app.service.logs import get_logger

PREFIX = "/recordings"
NO_PASS = "This recording is not yours to reach, or its pass has expired: open the conversation again."
USED = "This recording was kept already: to keep another, record the call again."
STORAGE_FULL = "This app's storage of recordings is full, so this one is not kept: ask whoever runs it."
BUSY = "The server is taking in other recordings just now: keep it again in a moment."
CHUNK_BYTES = 256 * 1024  # a recording is played a chunk at a time: never whole in memory
MAX_UPLOADS = 4  # bodies read at once, each up to MAX_RECORDING_BYTES in memory
_uploading = [0]


async def _body(request: Request) -> bytes | None:
    """The request's body, or None once it passes the limit (the rest is never read)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > bounds.MAX_RECORDING_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


async def _granted(request: Request, purpose: str):
    """The pass the request carries, if this server made it for `purpose` and it is still good."""
    return read_pass(await asyncio.to_thread(recordings.secret), request.query_params.get("pass", ""), purpose, time.time())


async def upload(request: Request) -> Response:
    granted = await _granted(request, UPLOAD)
    if granted is None:
        return _refused(403, NO_PASS)
    declared = declared_length(request.headers)
    if declared is not None and declared > bounds.MAX_RECORDING_BYTES:
        return _refused(413, TOO_LARGE)
    # What needs no body first: a refused upload costs the server nothing of its memory.
    if not await asyncio.to_thread(conversations.owns, granted.owner, granted.conversation_id):
        return _refused(404, "That conversation is not saved (any more), so the recording cannot be kept with it.")
    if _uploading[0] >= MAX_UPLOADS:
        return _refused(503, BUSY)
    if not await asyncio.to_thread(recordings.claim, granted.conversation_id, granted.signature):
        return _refused(409, USED)  # one upload per pass: a pass copied from a page opens no more
    _uploading[0] += 1
    try:
        data = await _body(request)
    finally:
        _uploading[0] -= 1
    if data is None:
        return _refused(413, TOO_LARGE)
    if problem := refusal(len(data), data[:64]):
        return _refused(415 if problem != TOO_LARGE else 413, problem)
    full = await asyncio.to_thread(recordings.store, granted.owner, granted.conversation_id, kind_of(data[:64]), data)
    if full == recordings.BROWSER_FULL:
        return _refused(409, bounds.RECORDINGS_FULL)
    if full == recordings.STORAGE_FULL:
        get_logger().warning("recording refused: kept recordings are at APP_RECORDINGS_MAX_MB")
        return _refused(507, STORAGE_FULL)
    get_logger().info("recording kept conversation=%s bytes=%s", granted.conversation_id, len(data))
    return JSONResponse({"kept": len(data)}, status_code=201)


async def play(request: Request) -> Response:
    granted = await _granted(request, PLAY)
    found = granted and await asyncio.to_thread(recordings.find, granted.owner, granted.conversation_id)
    if not found:
        return _refused(404, NO_PASS)
    # Private: a shared cache must never hand one owner's recording to anyone else.
    headers = {"Cache-Control": "private, no-store", "Accept-Ranges": "bytes"}
    asked = byte_range(request.headers.get("range"), found.size)
    if asked == NOT_SATISFIABLE:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{found.size}"})
    first, last = asked or (0, found.size - 1)
    if asked:  # a player seeking: only the part it asked for
        headers["Content-Range"] = f"bytes {first}-{last}/{found.size}"
    headers["Content-Length"] = str(last - first + 1)

    async def chunks():
        for start in range(first, last + 1, CHUNK_BYTES):
            length = min(CHUNK_BYTES, last + 1 - start)
            yield await asyncio.to_thread(recordings.read, granted.owner, granted.conversation_id, start, length)

    return StreamingResponse(chunks(), status_code=206 if asked else 200, media_type=found.media_type, headers=headers)


def routes_app() -> Starlette:
    return Starlette(routes=[Route(f"{PREFIX}/upload", upload, methods=["POST"]), Route(f"{PREFIX}/play", play, methods=["GET"])])
