"""A worker holding a call (service/hearing.py) under its lease (service/call_leases.py): it takes
the lease, keeps the call's registry entry, renews the lease every RENEW_EVERY_S, and does the
commands any worker sends the call (service/call_commands.py).

A holder that finds its lease taken, or cannot renew it for a whole term, stops acting on the call
at once and closes its connection without a word to the page or a save: another worker holds the
call now. A worker that stops (a restart) writes what its calls' saves still owe, then releases its
leases, so another takes its calls over at once (from the whole saved conversation) instead of
after the lease's term. The call's end removes it from the registry."""

import asyncio
import time

from redis.exceptions import RedisError

from voice_app.realtime.bounds import text
from voice_app.service import call_commands, call_leases
from voice_app.service.call_leases import RENEW_EVERY_S, RETAKEN, HeldCall
from voice_app.service.hearing import Hearing
from voice_app.service.logs import get_logger
from voice_app.service.page import Page

log = get_logger()
RETRY_S = 1.0  # after Redis failed a read of the commands


class Holder:
    def __init__(self, page: Page, call: HeldCall):
        self.page, self.call = page, call
        self.me = call_leases.new_holder()
        self.hearing = Hearing(page, call, self._noted)
        self.deposed = False  # the lease is not ours any more: another holder acts on the call

    async def hold(self) -> bool:
        """Hold the call until it is over (or this worker stops, or loses the lease). False: the
        lease was someone else's, nothing was done."""
        store = call_leases.leases()
        if not await store.take(self.call.call_id, self.me):
            return False
        log.info("call lease taken call=%s holder=%s", self.call.call_id, self.me)
        await store.note(self.me, self.call)
        here = asyncio.current_task()
        keeper = asyncio.create_task(self._keep(store, here))
        obeying = asyncio.create_task(self._obey())
        try:
            await self.hearing.hold()
        except asyncio.CancelledError:
            if not self.deposed:
                raise
            here.uncancel()  # cancelled by the keeper, not by anyone waiting on this
        finally:
            keeper.cancel()
            obeying.cancel()
            await asyncio.gather(keeper, obeying, return_exceptions=True)
            if self.hearing.leaving:
                await self.hearing.handed_over(flush=not self.deposed)
            if self.deposed:
                pass  # another holder has the call: nothing of it is this worker's to change
            elif self.hearing.leaving:
                await store.release(self.call.call_id, self.me)
            else:
                await store.forget(self.me, self.call.call_id)
                await call_commands.forget(self.call.call_id)
        return True

    async def _keep(self, store, holding: asyncio.Task):
        confirmed = time.monotonic()  # when the last renewal that went through was sent
        while True:
            await asyncio.sleep(RENEW_EVERY_S)
            sent = time.monotonic()
            try:
                async with asyncio.timeout(RENEW_EVERY_S):  # a slow renewal counts as a failed one
                    renewed = await store.renew(self.call.call_id, self.me)
                if renewed:
                    confirmed = sent
                    if renewed == RETAKEN:  # its registry entry may be gone with it: written again
                        log.warning("call lease was gone and is taken again call=%s", self.call.call_id)
                        await self._noted()
                    continue
                why = "taken by another worker"
            except (RedisError, OSError, TimeoutError) as error:
                # A renewal's term before the lease runs out: another worker may take it over then.
                if time.monotonic() - confirmed < call_leases.LEASE_TTL_S - RENEW_EVERY_S:
                    log.warning("call lease not renewed call=%s error=%s", self.call.call_id, type(error).__name__)
                    continue
                why = "not renewed for its whole term"
            log.warning("call lease lost call=%s holder=%s: %s; this worker stops holding it", self.call.call_id, self.me, why)
            self.deposed = True
            holding.cancel()
            return

    async def _noted(self):
        """The call's registry entry follows it (fenced: only while the lease is ours)."""
        if not self.deposed:
            await call_leases.leases().note(self.me, self.call)

    async def _obey(self):
        while True:
            try:
                commands = await call_commands.read(self.call.call_id, self.call.read)
            except (RedisError, OSError) as error:
                log.warning("call commands not read call=%s error=%s", self.call.call_id, type(error).__name__)
                await asyncio.sleep(RETRY_S)
                continue
            try:
                for command_id, command in commands:
                    await self._do(command)
                    self.call.read = command_id
                if commands:
                    await self._noted()
            except Exception:  # one command's fault (or the page's states away): the next ones still come
                log.exception("call command failed call=%s", self.call.call_id)
                await asyncio.sleep(RETRY_S)

    async def _do(self, command: dict):
        """One command, as the page's states sent it (checked again: it crossed Redis)."""
        kind = command.get("kind")
        if kind == call_commands.ANSWER and isinstance(command.get("request_id"), str):
            approve = command.get("approve") is True
            sent = self.hearing.acting and await self.hearing.answer(command["request_id"], approve)
            await self.page.answered(command["request_id"], approve, sent)
        elif kind == call_commands.TOOLS and isinstance(command.get("tools"), list) and not self.call.live:
            self.hearing.set_tools(command["tools"])
        elif kind == call_commands.CLOSE:
            self.hearing.close()
        else:
            log.warning("unknown command call=%s kind=%r", self.call.call_id, text(str(kind), 32))
