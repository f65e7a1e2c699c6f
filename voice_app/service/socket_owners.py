"""A page keeps its state, and its call, when the worker holding its socket dies.

Reflex (RedisTokenManager) records in Redis which worker holds each page's socket, for an hour,
and gives a page a new token, so a new and empty state, when its socket links to a worker while
that record names another: it takes the page for a duplicated tab. A worker killed with sockets
open (kill -9, a lost host) deletes none of its records, so each of its pages would come back
empty on another worker, its call gone from the page. So each worker says it is alive, on a key
it renews often, and before a socket links to a page whose record names another worker, it
watches that worker's key for one term: gone, the worker is dead and the record is deleted, so
the page keeps its token; renewed, the worker lives and the record is left alone (a real
duplicated tab still gets its own token, a moment later).

Framework glue: it wraps one method of Reflex's token manager (reflex/utils/token_manager.py)."""

import asyncio
import contextlib
import time

from redis.exceptions import RedisError
from reflex.utils.token_manager import RedisTokenManager

from voice_app.service import shared_redis
from voice_app.service.call_leases import DELETE_IF_SAME
from voice_app.service.logs import get_logger

log = get_logger()
ALIVE_S = 2.0  # a worker not heard from this long is dead (its pages' sockets wait at most this)
SAY_ALIVE_EVERY_S = 0.5


def _alive_key(instance_id: str) -> str:
    return shared_redis.key("socket-worker", instance_id)


async def _lives(instance_id: str) -> bool:
    """Whether the worker renews its key within one term (the key lapsing says it died)."""
    redis, key = shared_redis.client(), _alive_key(instance_id)
    first = await redis.get(key)
    deadline = time.monotonic() + ALIVE_S + SAY_ALIVE_EVERY_S
    while first is not None and time.monotonic() < deadline:
        await asyncio.sleep(SAY_ALIVE_EVERY_S / 2)
        now = await redis.get(key)
        if now != first:
            return now is not None
    return first is not None  # neither renewed nor lapsed in a term: taken as alive, the safe way


async def _clear_if_orphaned(manager: RedisTokenManager, token: str) -> None:
    if (known := manager.token_to_socket.get(token)) is not None and known.instance_id == manager.instance_id:
        return  # this worker's own page reconnecting: Reflex links it again, no Redis needed
    redis = shared_redis.client()
    record_key = manager._get_redis_key(token)
    record = await redis.get(record_key)
    if record is None:
        return
    owner = await manager._get_token_owner(token, refresh=True)
    if owner is None or owner == manager.instance_id or await _lives(owner):
        return
    if await redis.eval(DELETE_IF_SAME, 1, record_key, record):  # unless a newer link came meanwhile
        manager.token_to_socket.pop(token, None)  # Reflex's cached copy of the dead worker's record
        log.info("page kept its token: the worker that held its socket is gone")


def _wrap_links(manager: RedisTokenManager) -> None:
    link = manager.link_token_to_sid

    async def linked(token: str, sid: str) -> str | None:
        try:
            await _clear_if_orphaned(manager, token)
        except RedisError as error:  # Reflex's own link then decides, as without this
            log.warning("socket owner check failed error=%s", type(error).__name__)
        return await link(token, sid)

    manager.link_token_to_sid = linked


async def _say_alive(manager: RedisTokenManager) -> None:
    while True:
        try:  # the id is read each time: Reflex gives each worker its own at start
            await shared_redis.client().set(_alive_key(manager.instance_id), time.monotonic_ns(), px=round(ALIVE_S * 1000))
        except RedisError as error:
            log.warning("socket owner renewal failed error=%s", type(error).__name__)
        await asyncio.sleep(SAY_ALIVE_EVERY_S)


@contextlib.asynccontextmanager
async def sockets_kept(app=None):
    """A lifespan task (Reflex passes `app`): nothing to do without Redis."""
    namespace = getattr(app, "event_namespace", None)
    manager = getattr(namespace, "_token_manager", None)
    if not isinstance(manager, RedisTokenManager) or shared_redis.client() is None:
        yield
        return
    _wrap_links(manager)
    task = asyncio.create_task(_say_alive(manager))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    with contextlib.suppress(RedisError):  # a worker that stops is gone at once, not after the term
        await shared_redis.client().delete(_alive_key(manager.instance_id))
