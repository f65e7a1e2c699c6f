"""A page whose socket's worker died keeps its token (and so its state and call) on another worker;
a page open on a live worker, linked again elsewhere (a duplicated tab), still gets a new token.
Reflex's own token managers on one Redis with a password, as two workers have them."""

import asyncio
import contextlib
import types

import pytest
import redis.asyncio
from reflex.utils.token_manager import RedisTokenManager

from voice_app.service import shared_redis, socket_owners


@pytest.fixture
async def workers(monkeypatch, redis_url):
    """Start a worker: (its token manager, a way to kill it as kill -9 would)."""
    monkeypatch.setattr(shared_redis, "CONFIG", shared_redis.CONFIG.model_copy(update={"reflex_redis_url": redis_url}))
    await shared_redis.client().flushdb()
    stacks = contextlib.AsyncExitStack()
    killed: list[asyncio.Task] = []

    async def start():
        manager = RedisTokenManager(redis.asyncio.Redis.from_url(redis_url))
        app = types.SimpleNamespace(event_namespace=types.SimpleNamespace(_token_manager=manager))
        kept = socket_owners.sockets_kept(app)
        await kept.__aenter__()

        def kill():  # no goodbye: its key is left to lapse, and its records stay
            for task in asyncio.all_tasks():
                if task.get_coro().__qualname__ == "_say_alive" and task.get_coro().cr_frame.f_locals["manager"] is manager:
                    task.cancel()
                    killed.append(task)

        stacks.push_async_exit(kept)
        return manager, kill

    yield start
    with contextlib.suppress(Exception):
        await stacks.aclose()
    await asyncio.gather(*killed, return_exceptions=True)


async def test_a_page_keeps_its_token_when_its_sockets_worker_died(workers):
    one, kill_one = await workers()
    other, _ = await workers()
    assert await one.link_token_to_sid("page", "sid-1") is None
    await asyncio.sleep(socket_owners.SAY_ALIVE_EVERY_S)

    assert await other.link_token_to_sid("page", "sid-2") is not None  # the first worker lives: a duplicated tab

    kill_one()
    assert await other.link_token_to_sid("page", "sid-3") is None  # it died: the page keeps its token
    assert other.token_to_socket["page"].sid == "sid-3"
