"""Guards over either storage, on a clock the test moves: in this process, or in the tests' Redis
(with a password) under a key prefix of their own. Import `storage` and `clock` as fixtures."""

import secrets
from types import SimpleNamespace

import limits.aio.storage.memory
import limits.aio.storage.redis.redispy
import pytest
import redis.asyncio

from voice_app.service import limit_store
from voice_app.service.safety import Guard, Policy

LOCAL, REDIS = "in-process", "redis"


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The Guard's clock, and the `limits` library's (time.time in its storages' modules)."""
    clock = Clock()
    for module in (limits.aio.storage.memory, limits.aio.storage.redis.redispy):
        monkeypatch.setattr(module, "time", SimpleNamespace(time=clock))
    return clock


@pytest.fixture(params=[LOCAL, REDIS])
async def storage(request, clock):
    """Makes Guards on one kind of storage: `storage(policy)`, each with counts of its own (for
    two workers sharing theirs, see `workers`)."""
    if request.param == LOCAL:
        yield lambda policy: Guard(policy, clock=clock)
        return
    client = redis.asyncio.Redis.from_url(request.getfixturevalue("redis_url"))

    def make(policy: Policy) -> Guard:
        store = limit_store.shared(policy.max_call_minutes * 60, lambda: client, f"test-{secrets.token_hex(4)}", clock)
        return Guard(policy, store, clock)

    yield make
    await client.aclose()


@pytest.fixture
async def workers(clock, redis_url):
    """Two workers' Guards on one Redis: `workers(policy)` -> (first, second), each with its own client."""
    clients = [redis.asyncio.Redis.from_url(redis_url) for _ in range(2)]
    prefix = f"test-{secrets.token_hex(4)}"

    def make(policy: Policy) -> tuple[Guard, Guard]:
        seconds = policy.max_call_minutes * 60
        return tuple(Guard(policy, limit_store.shared(seconds, lambda c=c: c, prefix, clock), clock) for c in clients)

    yield make
    for client in clients:
        await client.aclose()
