"""Start a GPT-Live session for a browser's WebRTC offer, with errors a user can act on.

GPT-Live has no client secret: the server posts the browser's offer itself, with the key
(`POST /live/sessions`: the SDK's `client.live.create`), and gives the browser only the answer.
The key stays in one header of one request, as for the Realtime API's mint (realtime/rest.py).
"""

from dataclasses import dataclass

from openai import AsyncOpenAI

from voice_app.live import catalog
from voice_app.realtime import rest
from voice_app.realtime.rest import RequestRefused

NAME = "GPT-Live API"
MAX_OFFER_CHARS = 20_000  # a browser's offer with gathered candidates is a few kB


@dataclass(frozen=True)
class LiveSession:
    id: str
    answer: str  # the SDP for the browser


def usable_id(session_id: object) -> bool:
    """The id is opaque ("preserve the returned value unchanged"): any shape is kept as it is, as a
    format check would end every call the day the API changes it. Checked only for what its uses
    need: a string, non-empty and bounded (it goes into logs, the call's state and saved entry
    ids), with no control or other unprintable characters (a newline would forge a log line), and
    not "." or ".." (the SDK refuses those as a path segment: no connection could name the session).
    The SDK percent-encodes it into the sideband's path; nothing here builds a URL from it."""
    return (
        isinstance(session_id, str)
        and 0 < len(session_id) <= catalog.MAX_SESSION_ID_CHARS
        and session_id.isprintable()
        and session_id not in (".", "..")
    )


async def create(api: AsyncOpenAI, session: dict, offer: str) -> LiveSession:
    """POST {base}/live/sessions: the session (live/session.py) for this offer (`api`: rest.py's client)."""
    if not isinstance(offer, str) or not offer.startswith("v=0") or len(offer) > MAX_OFFER_CHARS:
        raise RequestRefused("The browser's WebRTC offer was not usable: reload the page and connect again.")
    created = await rest.answer(api, api.live.create(session=session, transport={"type": "webrtc", "sdp": offer}), NAME)
    # The SDK does not check an answer's shape: a missing part is absent (or the answer no object at all).
    session_id = getattr(getattr(created, "session", None), "id", None)
    answer = getattr(getattr(created, "transport", None), "sdp", None)
    if not usable_id(session_id) or not (isinstance(answer, str) and answer.startswith("v=0")):
        raise rest.not_understood(NAME)
    return LiveSession(session_id, answer)
