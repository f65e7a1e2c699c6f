"""Request bodies read as a stream, never past their limit: a body that passes it is refused
with 413 as soon as it does, so nobody can make the simulator hold more than that."""

import json

from starlette.requests import Request
from starlette.types import Message

from voice_app.realtime.numbers import declared_length
from voice_app.simulator.errors import ApiError, bad_json

MAX_SDP_BYTES = 64 * 1024  # an offer (a browser's is a few KB)
MAX_SESSION_BYTES = 256 * 1024  # a session in JSON: instructions, tools and their schemas
MAX_OFFER_BYTES = MAX_SDP_BYTES + MAX_SESSION_BYTES  # an offer with its session (the SDK's form, GPT-Live)
MAX_SMALL_BYTES = 16 * 1024  # hang-up (no body) and the test controls


def too_large(limit: int) -> ApiError:
    return ApiError(413, f"The request body is too large: at most {limit} bytes are accepted here.", code="request_too_large")


async def read_body(request: Request, limit: int) -> bytes:
    """The body, read chunk by chunk; ApiError 413 as soon as it passes `limit` bytes."""
    declared = declared_length(request.headers)
    if declared is not None and declared > limit:
        raise too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


async def read_json(request: Request, limit: int) -> object:
    """The body as JSON (an empty one is `{}`)."""
    raw = await read_body(request, limit)
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        raise bad_json() from None


def replayed(request: Request, body: bytes) -> Request:
    """A request carrying `body`, already read, for a parser that reads the stream itself (forms)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await request.receive()  # the client's disconnect, if it comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)
