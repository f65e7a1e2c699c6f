"""Who may call, checked as the API checks it: the server's API key, or a client secret."""

import secrets

from starlette.requests import Request

from voice_app.realtime.catalog import CLIENT_SECRET_PREFIX
from voice_app.simulator.errors import ApiError

KEYS_URL = "https://platform.openai.com/account/api-keys"


def bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header "
            "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        )
    return token.strip()


def masked(key: str) -> str:
    """The key's ends only, as the API shows a wrong key: never enough of it to use."""
    head, tail = min(6, len(key) // 4), min(3, len(key) // 4)
    return f"{key[:head]}***{key[len(key) - tail :] if tail else ''}"


def is_client_secret(token: str) -> bool:
    return token.startswith(CLIENT_SECRET_PREFIX)


def check_api_key(token: str, api_key: str | None) -> None:
    """Accept `token` if it is the API key (any token when the simulator has none)."""
    if api_key is not None and not secrets.compare_digest(token.encode(), api_key.encode()):
        raise ApiError(
            401,
            f"Incorrect API key provided: {masked(token)}. You can find your API key at {KEYS_URL}.",
            code="invalid_api_key",
        )
