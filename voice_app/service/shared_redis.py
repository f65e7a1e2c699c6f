"""The app's own client of the Redis its workers share: REFLEX_REDIS_URL, where Reflex keeps the
page state. For what must be one across all workers and hosts: the limits, the calls' leases and
registry, the commands to a call's holder, the workers' sockets. Without the URL there is none.

A `rediss://` URL is TLS; the password (or an ACL user) is part of the URL and never logged."""

import redis.asyncio

from voice_app.config import CONFIG
from voice_app.realtime.rest import PerLoop

PREFIX = "voice_app:"  # the app's keys, apart from Reflex's own in the same database


TIMEOUT_S = 5.0  # a Redis that hangs fails a call (a holder then stops renewing, as if it were down)


def _connect() -> redis.asyncio.Redis:
    return redis.asyncio.Redis.from_url(
        CONFIG.reflex_redis_url, health_check_interval=30, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
    )


_clients = PerLoop(_connect)  # pooled connections belong to the loop that opened them


def client() -> redis.asyncio.Redis | None:
    """This loop's client of the shared Redis; None when there is none (one process keeps all)."""
    return _clients() if CONFIG.reflex_redis_url else None


def key(*parts: str) -> str:
    """One of the app's keys: `voice_app:` and the parts, joined by colons."""
    return PREFIX + ":".join(parts)
