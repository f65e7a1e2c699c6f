"""Mint a short-lived client secret for the browser, and hang up a call: the Realtime API's REST
calls, through the SDK's client (rest.py: its errors in words a user can act on, the key kept)."""

import re
from dataclasses import dataclass

from openai import AsyncOpenAI

from voice_app.realtime import binding, rest
from voice_app.realtime.rest import RealtimeApiError
from voice_app.realtime.settings import SessionSettings


@dataclass(frozen=True)
class ClientSecret:
    value: str
    expires_at: int
    mark: str = ""  # in the session's tracing: the call opened with it shows it (binding.py)


async def mint_client_secret(
    api: AsyncOpenAI,
    session: SessionSettings,
    *,
    tools: list[dict] = (),
    safety_identifier: str | None = None,
    mark: str = "",
) -> ClientSecret:
    """POST {base}/realtime/client_secrets with the server's key (`api`: rest.py's client).

    `safety_identifier` (a hash of the user, never the raw id) lets OpenAI tell abusers apart. The
    package's realtime types have no field for it: the header rests on OpenAI's safety-checks guide
    ("the Realtime API supports the same concept through the OpenAI-Safety-Identifier header");
    `mark` goes in the session's tracing, which no one can change, so the server knows the call."""
    headers = {"OpenAI-Safety-Identifier": safety_identifier} if safety_identifier else None
    request = session.client_secret_request(tools)
    if mark:
        request["session"]["tracing"] = binding.tracing(mark)
    created = await rest.answer(api, api.realtime.client_secrets.create(**request, extra_headers=headers))
    # The SDK does not check an answer's shape: one without a secret has None (or is no object at all).
    value, expires_at = getattr(created, "value", None), getattr(created, "expires_at", None)
    if not (isinstance(value, str) and value and isinstance(expires_at, int) and not isinstance(expires_at, bool)):
        raise rest.not_understood()
    return ClientSecret(value=value, expires_at=expires_at, mark=mark)


CALL_ID = re.compile(r"rtc_[A-Za-z0-9_-]{1,120}")
CALL_GONE = "call_id_not_found"  # the API's code for a call that has already ended


async def hang_up(api: AsyncOpenAI, call_id: str) -> bool:
    """POST {base}/realtime/calls/{id}/hangup: end a call from the server, whatever its page does.

    True if it was ended now, False if it had already ended (404, or `call_id_not_found`)."""
    if not CALL_ID.fullmatch(call_id):
        raise ValueError("not a Realtime call id")
    try:
        await rest.answer(api, api.realtime.calls.hangup(call_id))
    except RealtimeApiError as error:
        if error.status == 404 or error.code == CALL_GONE:
            return False
        raise
    return True
