"""Moving windows of events per key (the `limits` library's strategy), in this process or in the
shared Redis. A window means what it says: at most `amount` events in any `seconds` long span.

A key is whatever a client is (an address, a hash of its session): anyone can make up new ones,
so the in-process table is bounded too. In Redis, each key expires with its window.
"""

import time
from collections.abc import Callable

import redis.asyncio
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from voice_app.realtime.rest import PerLoop

REMEMBERED_KEYS = 10_000
EVERYONE = "*"  # the key of a window counted for the whole app, not per client


def window(amount: int, seconds: int, name: str) -> RateLimitItemPerSecond:
    """At most `amount` events per `seconds`; `name` keeps each limit's keys apart."""
    return RateLimitItemPerSecond(amount, seconds, namespace=name)


class BoundedMemory(MemoryStorage):
    """The library's in-process storage, holding at most `keys` keys: at a new key past the bound,
    the oldest client's key goes. The app-wide windows (key EVERYONE) never go: a flood of made-up
    clients must not reset the counts that slow down everyone's guesses and mints."""

    def __init__(self, keys: int = REMEMBERED_KEYS) -> None:
        super().__init__()
        self.keys = max(1, keys)

    async def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if key not in self.events and len(self.events) >= self.keys:
            self._make_room()
        return await super().acquire_entry(key, limit, expiry, amount)

    def _make_room(self) -> None:
        # `events` and `locks` are the library's own tables (pinned version); expired keys are its sweep's.
        for key in self.events:  # in the order the keys came: the oldest first
            if f"/{EVERYONE}/" not in key:
                self.events.pop(key)
                self.locks.pop(key, None)
                return


def redis_storage(client: Callable[[], redis.asyncio.Redis], prefix: str) -> Callable[[], RedisStorage]:
    """The library's Redis storage over the shared client's pool (redis-py: no second client
    library), one per event loop as that pool is."""

    def make() -> RedisStorage:
        # The URL only names the scheme here: the connection, password and TLS are the pool's.
        return RedisStorage(
            "async+redis://", implementation="redispy", key_prefix=prefix, connection_pool=client().connection_pool
        )

    return PerLoop(make)


class Windows:
    """Moving windows over one storage (in-process, or Redis for every worker and host)."""

    def __init__(self, storage: Callable[[], MemoryStorage | RedisStorage], clock: Callable[[], float] = time.time) -> None:
        self._storage, self._clock = storage, clock  # the library's clock is time.time: the same

    def _limiter(self) -> MovingWindowRateLimiter:
        return MovingWindowRateLimiter(self._storage())

    async def retry_after(self, item: RateLimitItemPerSecond, key: str) -> float | None:
        """None if one more is allowed now; else the seconds until it is."""
        stats = await self._limiter().get_window_stats(item, key)
        if stats.remaining > 0:
            return None
        if item.amount == 0:  # a limit of 0 never opens
            return float(item.get_expiry())
        return max(0.0, stats.reset_time - self._clock())

    async def count(self, item: RateLimitItemPerSecond, key: str) -> int:
        """Events within the window, up to `amount` (no more are kept)."""
        return item.amount - (await self._limiter().get_window_stats(item, key)).remaining

    async def hit(self, item: RateLimitItemPerSecond, key: str) -> bool:
        """Count one event, atomically, if the window has room: whether it had."""
        return await self._limiter().hit(item, key)
