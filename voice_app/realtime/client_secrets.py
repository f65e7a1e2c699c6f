"""Mint a short-lived client secret for the browser, with errors a user can act on.

The API key goes in one header of one request, and nowhere else: not in an error,
not in a log line, not in anything returned.
"""

import asyncio
import re
from dataclasses import dataclass

import httpx

from voice_app.realtime import binding, catalog
from voice_app.realtime.settings import ApiSettings, SessionSettings


@dataclass(frozen=True)
class ClientSecret:
    value: str
    expires_at: int
    mark: str = ""  # in the session's tracing: the call opened with it shows it (binding.py)


class RealtimeApiError(Exception):
    """Why a request to the Realtime API failed, in words for the person using the app."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class KeyRejected(RealtimeApiError):
    pass


class RateLimited(RealtimeApiError):
    pass


class RequestRefused(RealtimeApiError):
    pass


class ServiceUnavailable(RealtimeApiError):
    pass


class NoNetwork(RealtimeApiError):
    pass


def _api_error(response: httpx.Response) -> tuple[str, str]:
    """The API's own (message, code) from an error body; blanks when it sent none."""
    try:
        error = response.json().get("error") or {}
        return str(error.get("message") or "").strip(), str(error.get("code") or "")
    except (ValueError, AttributeError):
        return "", ""


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["retry-after"])
    except (KeyError, ValueError):
        return None


def error_for(response: httpx.Response, name: str = "Realtime API") -> RealtimeApiError:
    """`name`: the API asked, in the user's words (the Realtime API, or GPT-Live)."""
    status, (said, _code) = response.status_code, _api_error(response)
    if status == 401:
        return KeyRejected("The API key was rejected (401): check OPENAI_API_KEY on the server.")
    if status == 403:  # a valid key without access: region, model, or project permissions
        return RequestRefused(f"The {name} refused access (403): {said or 'no reason given'}")
    if status == 429:
        wait = _retry_after(response)
        when = f"try again in {wait:g} s" if wait is not None else "try again in a moment"
        return RateLimited(f"The {name} is rate limiting this key (429): {when}.", retry_after=wait)
    if 400 <= status < 500:
        return RequestRefused(f"The {name} refused the session ({status}): {said or 'no reason given'}")
    return ServiceUnavailable(f"The {name} is unavailable right now ({status}): try again shortly.")


async def _post(api: ApiSettings, path: str, http: httpx.AsyncClient | None, headers: dict, name: str = "Realtime API",
                **request) -> httpx.Response:
    """One POST to the API with the server's key, its failures turned into RealtimeApiErrors."""
    client = http or httpx.AsyncClient(timeout=httpx.Timeout(api.timeout_s, connect=min(5.0, api.timeout_s)))
    try:
        async with asyncio.timeout(api.timeout_s):  # also bounds transports without timeouts of their own
            return await client.post(api.base_url + path, headers={"Authorization": f"Bearer {api.api_key}", **headers}, **request)
    except (httpx.TimeoutException, TimeoutError):
        raise ServiceUnavailable(f"The {name} did not answer in time: try again shortly.") from None
    except httpx.TransportError:
        raise NoNetwork(f"Could not reach the {name} at {api.base_url}: check the network and OPENAI_BASE_URL.") from None
    finally:
        if http is None:
            await client.aclose()


async def mint_client_secret(
    api: ApiSettings,
    session: SessionSettings,
    http: httpx.AsyncClient | None = None,
    *,
    tools: list[dict] = (),
    safety_identifier: str | None = None,
    mark: str = "",
) -> ClientSecret:
    """POST {base}/realtime/client_secrets with the server's key; `http` is injectable for tests.

    `safety_identifier` (a hash of the user, never the raw id) lets OpenAI tell abusers apart. The
    package's realtime types have no field for it: the header rests on OpenAI's safety-checks guide
    ("the Realtime API supports the same concept through the OpenAI-Safety-Identifier header");
    `mark` goes in the session's tracing, which no one can change, so the server knows the call."""
    headers = {"OpenAI-Safety-Identifier": safety_identifier} if safety_identifier else {}
    request = session.client_secret_request(tools)
    if mark:
        request["session"]["tracing"] = binding.tracing(mark)
    response = await _post(api, catalog.CLIENT_SECRETS_PATH, http, headers, json=request)
    if response.status_code != 200:
        raise error_for(response)
    try:
        body = response.json()
        return ClientSecret(value=str(body["value"]), expires_at=int(body["expires_at"]), mark=mark)
    except (ValueError, KeyError, TypeError):
        raise ServiceUnavailable("The Realtime API sent an answer this app does not understand: try again shortly.") from None


CALL_ID = re.compile(catalog.CALL_ID_PREFIX + r"_[A-Za-z0-9_-]{1,120}")
CALL_GONE = "call_id_not_found"  # the API's code for a call that has already ended


async def hang_up(api: ApiSettings, call_id: str, http: httpx.AsyncClient | None = None) -> bool:
    """POST {base}/realtime/calls/{id}/hangup: end a call from the server, whatever its page does.

    True if it was ended now, False if it had already ended (404, or `call_id_not_found`)."""
    if not CALL_ID.fullmatch(call_id):
        raise ValueError("not a Realtime call id")
    response = await _post(api, f"{catalog.CALLS_PATH}/{call_id}/hangup", http, {"Accept": "*/*"})
    if response.status_code == 404 or _api_error(response)[1] == CALL_GONE:
        return False
    if not response.is_success:
        raise error_for(response)
    return True
