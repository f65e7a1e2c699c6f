"""Where the limits are kept: in this process (one worker, the embedded default), or in the shared
Redis (REFLEX_REDIS_URL), counted once for every worker and host of the deployment."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis.asyncio
import redis.exceptions

from voice_app.config import CONFIG
from voice_app.service import shared_redis
from voice_app.service.call_slots import Slots
from voice_app.service.limit_policy import Policy
from voice_app.service.limit_windows import BoundedMemory, Windows, redis_storage
from voice_app.service.redis_slots import RedisSlots

# What a storage that cannot be reached raises (redis-py's errors, a socket's, a timeout).
UNREACHABLE = (redis.exceptions.RedisError, OSError, TimeoutError)


@dataclass(frozen=True)
class Store:
    windows: Windows
    slots: Slots | RedisSlots


def local(seconds: float, keys: int, clock: Callable[[], float] = time.time) -> Store:
    """In this process; `seconds`: the length limit; `keys`: how many keys a window table holds."""
    memory = BoundedMemory(keys)
    return Store(Windows(lambda: memory, clock), Slots(seconds))


def shared(
    seconds: float, client: Callable[[], redis.asyncio.Redis], prefix: str, clock: Callable[[], float] = time.time
) -> Store:
    """In Redis (`client`: this loop's client), under the key prefix `prefix`. The hosts' clocks
    must agree (NTP): windows and slots hold each worker's wall-clock times."""
    windows = Windows(redis_storage(client, f"{prefix}:windows"), clock)
    return Store(windows, RedisSlots(seconds, client, f"{prefix}:slots"))


def for_app(policy: Policy) -> Store:
    """The app's: in Redis when the deployment has one, else here."""
    if CONFIG.reflex_redis_url:
        return shared(policy.max_call_minutes * 60, shared_redis.client, shared_redis.key("limits"))
    return local(policy.max_call_minutes * 60, policy.remembered_keys)
