"""A call's offer as the API takes it: the SDP alone (`Content-Type: application/sdp`), or the
official SDK's multipart form (`calls.create(sdp=..., session=...)`): an `sdp` part and a
`session` part in JSON."""

import json
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from voice_app.simulator.bodies import MAX_OFFER_BYTES, MAX_SDP_BYTES, read_body, replayed
from voice_app.simulator.errors import ApiError, bad_json

SDP = "application/sdp"
FORM = "multipart/form-data"


@dataclass
class Offer:
    sdp: str
    session: Any = None  # the form's `session` part, parsed from JSON; None when absent


async def read_offer(request: Request) -> Offer:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == SDP:
        return Offer((await read_body(request, MAX_SDP_BYTES)).decode("utf-8", errors="replace"))
    if content_type == FORM:
        return await _read_form(replayed(request, await read_body(request, MAX_OFFER_BYTES)))
    raise ApiError(
        400, f"Send the SDP offer with 'Content-Type: {SDP}', or as '{FORM}' with an 'sdp' part.", code="invalid_content_type"
    )


def _sized(sdp: str) -> str:
    """The form's `sdp` part, held to the limit of an offer sent alone."""
    if len(sdp.encode()) > MAX_SDP_BYTES:
        raise ApiError(400, "The SDP offer is too large.", code="invalid_offer", param="sdp")
    return sdp


async def _read_form(request: Request) -> Offer:
    try:
        async with request.form(max_files=0, max_fields=2) as form:
            sdp, session = form.get("sdp"), form.get("session")
    except HTTPException as error:  # Starlette's word for a form it cannot read
        raise ApiError(400, f"The form could not be read: {error.detail}", code="invalid_form") from None
    if not isinstance(sdp, str):
        raise ApiError(400, "Missing required parameter: 'sdp'.", code="missing_required_parameter", param="sdp")
    if session is None:
        return Offer(_sized(sdp))
    try:
        return Offer(_sized(sdp), json.loads(session))
    except ValueError:
        raise bad_json(param="session") from None


def wrong_fingerprint(sdp: str) -> str:
    """The answer with a certificate fingerprint that matches nothing: DTLS must fail."""
    lines = [
        f"a=fingerprint:sha-256 {':'.join(['00'] * 32)}" if line.startswith("a=fingerprint:") else line
        for line in sdp.split("\r\n")
    ]
    return "\r\n".join(lines)
