"""Calls outlive their worker (a lifespan task of every worker): every TAKEOVER_EVERY_S it looks
for calls in the registry whose lease lapsed (their holder died), takes the lease of each (only
one worker gets it) and holds the call from here (service/call_holder.py), bound, from its saved
conversation. The page hears nothing of it: its states are reached out of band (`page_for`, given
by the app: service code knows no Reflex state), and its socket may be on any worker.

Without the shared Redis there is one process: nothing to take over, and the task does nothing."""

import asyncio
import contextlib
from collections.abc import Callable

from voice_app.service import call_leases, shared_redis
from voice_app.service.call_holder import Holder
from voice_app.service.logs import get_logger
from voice_app.service.page import Page

log = get_logger()
TAKEOVER_EVERY_S = 1.0  # with the lease's term (call_leases.LEASE_TTL_S): a call is held again within ~7 s


async def take_over_lapsed(page_for: Callable[[str], Page], running: set[asyncio.Task]) -> int:
    """Start holding each call whose holder died; how many were found."""
    lapsed = await call_leases.leases().lapsed()
    for call in lapsed:  # every worker may try: Holder.hold takes the lease, or does nothing
        task = asyncio.create_task(Holder(page_for(call.client_token), call).hold())
        running.add(task)
        task.add_done_callback(running.discard)
    return len(lapsed)


@contextlib.asynccontextmanager
async def calls_taken_over(app=None, page_for: Callable | None = None):
    """Reflex passes `app`; `page_for(app, client_token)` reaches a page's states from anywhere."""
    running: set[asyncio.Task] = set()

    async def look():
        while True:
            await asyncio.sleep(TAKEOVER_EVERY_S)
            try:
                await take_over_lapsed(lambda token: page_for(app, token), running)
            except Exception as error:  # Redis away, a fault of ours: logged, and the next look runs
                log.warning("takeover look failed error=%s", type(error).__name__)

    task = asyncio.create_task(look()) if shared_redis.client() is not None and page_for is not None else None
    yield
    if task is not None:
        task.cancel()
    for holding in list(running):  # this worker stops: its calls' leases are released for another
        holding.cancel()
    await asyncio.gather(*running, return_exceptions=True)
