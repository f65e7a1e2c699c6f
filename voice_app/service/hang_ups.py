"""The server ends calls itself: at Disconnect (or an error, or a reload) and at the length limit,
whatever the page does with its peer connection. A Realtime API call is hung up by REST with the
key; a GPT-Live session is closed with `session.close` on the server's own connection to it, by
the worker holding it (service/call_commands.py), or if none holds it, on a connection made for
that. A call's slot is freed once it is over.

Each hang-up runs on its own: one that fails is logged, and touches no other."""

import asyncio
import contextlib

from voice_app.realtime import sideband
from voice_app.service import backend, call_commands
from voice_app.service.logs import get_logger

log = get_logger()
SWEEP_EVERY_S = 5.0
_running: set[asyncio.Task] = set()  # held, so a hang-up under way is not collected


async def end_call(call_id: str, live: bool, why: str) -> bool:
    """End the call now: whether it is over (or being closed). Never raises: a failure is logged,
    and the call keeps its slot (one at Disconnect is tried again at the length limit)."""
    try:
        if live and await call_commands.send(call_id, {"kind": call_commands.CLOSE}):
            # the connection its holder has closes it; its end frees the slot
            log.info("session closed by the server session=%s reason=%s", call_id, why)
            return True
        if live:
            ended = await sideband.close_session(sideband.live_session(backend.sideband_client(), call_id), backend.API.timeout_s)
            if not ended:
                log.warning("session not closed by the server session=%s reason=%s", call_id, why)
                return False
            was_open = True
        else:
            was_open = await backend.hang_up(call_id)
        await backend.GUARD.call_over(call_id)
        log.info("call hung up by the server call=%s reason=%s was_open=%s", call_id, why, was_open)
        return True
    except Exception as error:  # any one failure: logged, and the sweep goes on
        log.warning(
            "hang-up failed call=%s reason=%s error=%s: %s", call_id, why, type(error).__name__, getattr(error, "message", "")
        )
        return False


def end_soon(call_id: str, live: bool, why: str) -> None:
    """From an event handler: the hang-up goes on after the handler returns."""
    task = asyncio.get_running_loop().create_task(end_call(call_id, live, why))
    _running.add(task)
    task.add_done_callback(_running.discard)


@contextlib.asynccontextmanager
async def overdue_calls_hung_up(*_args, **_kwargs):
    """The length limit, kept by the server (a lifespan task): a page that ignores it loses its call anyway."""

    async def sweep():
        while True:
            await asyncio.sleep(SWEEP_EVERY_S)
            try:
                overdue = await backend.GUARD.overdue_calls()
            except Exception:  # a fault of ours: logged, and the next sweep runs
                log.error("length-limit sweep failed")
                continue
            for call_id in overdue:
                if not await end_call(call_id, live=await backend.GUARD.is_live(call_id), why="the length limit"):
                    await backend.GUARD.hang_up_again(call_id)  # the next sweep tries again

    task = asyncio.create_task(sweep())
    yield
    task.cancel()
