"""The server's REST calls to OpenAI (mint, hang-up, GPT-Live's create) go through the official SDK,
with one client per process, reused, and its errors put in words a user can act on.

The API key goes in one header of each request, and nowhere else: not in an error (ours are raised
`from None`, so the SDK's, which holds the request, is not attached), not in a log line, not in
anything returned.
"""

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import httpx
import openai
from openai import AsyncOpenAI

from voice_app.realtime.settings import ApiSettings

REALTIME = "Realtime API"  # the API asked, in the user's words (GPT-Live's name is in live/sessions.py)
T = TypeVar("T")


class RealtimeApiError(Exception):
    """Why a request to the API failed, in words for the person using the app; `status` and `code`
    are the API's own (None and "" when it gave none)."""

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
        self.status = status
        self.code = code


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


def client(api: ApiSettings, http: httpx.AsyncClient | None = None) -> AsyncOpenAI:
    """A client for `api`; `http`: the transport under it (the in-process simulator's, or a test's).

    No retries by the SDK (its default is two, with backoff): a person is waiting on the Connect,
    so a failure is told at once, with when to try again (the API's Retry-After), and a key that
    is already rate limited is not asked again behind their back. Their next click is the retry."""
    return AsyncOpenAI(api_key=api.api_key, base_url=api.base_url, timeout=api.timeout_s, max_retries=0, http_client=http)


Client = TypeVar("Client")  # an OpenAI client, or a Redis one (service/shared_redis.py)


class PerLoop(Generic[Client]):
    """The one client of this process, made on first use. One per event loop, strictly: pooled
    connections belong to the loop that opened them (the app runs one; tests run one per test)."""

    def __init__(self, make: Callable[[], Client]) -> None:
        self._make = make
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self) -> Client:
        loop = asyncio.get_running_loop()
        if (found := self._clients.get(loop)) is None:
            found = self._clients[loop] = self._make()
        return found


def _retry_after(error: openai.APIStatusError) -> float | None:
    try:
        return float(error.response.headers["retry-after"])
    except (KeyError, ValueError):
        return None


def error_for(error: openai.APIStatusError, name: str = REALTIME) -> RealtimeApiError:
    """The SDK's error for a refusal, as words for the user; the API's own message when it sent one."""
    status, code = error.status_code, error.code or ""
    said = str(error.body.get("message") or "").strip() if isinstance(error.body, dict) else ""
    if isinstance(error, openai.AuthenticationError):
        return KeyRejected("The API key was rejected (401): check OPENAI_API_KEY on the server.", status=status, code=code)
    if isinstance(error, openai.PermissionDeniedError):  # a valid key without access: region, model, or project
        return RequestRefused(f"The {name} refused access (403): {said or 'no reason given'}", status=status, code=code)
    if isinstance(error, openai.RateLimitError):
        wait = _retry_after(error)
        when = f"try again in {wait:g} s" if wait is not None else "try again in a moment"
        return RateLimited(f"The {name} is rate limiting this key (429): {when}.", retry_after=wait, status=status, code=code)
    if 400 <= status < 500:
        return RequestRefused(f"The {name} refused the session ({status}): {said or 'no reason given'}", status=status, code=code)
    return ServiceUnavailable(f"The {name} is unavailable right now ({status}): try again shortly.", status=status, code=code)


def not_understood(name: str = REALTIME) -> ServiceUnavailable:
    return ServiceUnavailable(f"The {name} sent an answer this app does not understand: try again shortly.")


async def answer(api: AsyncOpenAI, request: Awaitable[T], name: str = REALTIME) -> T:
    """`request` (one call of `api`'s), its failures turned into RealtimeApiErrors."""
    try:
        # The client's own timeout, for the whole request: also bounds a transport that keeps none (ASGI).
        async with asyncio.timeout(api.timeout):
            return await request
    except (openai.APITimeoutError, TimeoutError):  # APITimeoutError first: it is an APIConnectionError
        raise ServiceUnavailable(f"The {name} did not answer in time: try again shortly.") from None
    except openai.APIConnectionError:
        where = str(api.base_url).rstrip("/")
        raise NoNetwork(f"Could not reach the {name} at {where}: check the network and OPENAI_BASE_URL.") from None
    except openai.APIStatusError as error:
        raise error_for(error, name) from None
    except openai.APIResponseValidationError:
        raise not_understood(name) from None
