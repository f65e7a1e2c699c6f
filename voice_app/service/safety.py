"""Limits that make the app safe to host: access code, mint rates, concurrent calls.

Every reference client mints credentials for anyone who loads the page; here each mint is
checked first. The counts live in limit_store's Store: in Redis, once for every worker and host.
"""

import asyncio
import contextlib
import hashlib
import hmac
import math
import time

from voice_app.service import limit_store
from voice_app.service.call_slots import APP, CLIENT, Caps, Taken
from voice_app.service.limit_policy import Policy, Refused, network, wait_words, who
from voice_app.service.limit_store import UNREACHABLE, Store
from voice_app.service.limit_windows import EVERYONE, window
from voice_app.service.logs import get_logger

log = get_logger()
STORAGE_TIMEOUT_S = 5  # a storage that does not answer refuses as one that cannot be reached


class Guard:
    def __init__(self, policy: Policy, store: Store | None = None, clock=time.time) -> None:
        """`store`: where the counts live (limit_store.py), by default in this process; `clock`:
        wall-clock seconds, which every worker and host shares (a monotonic clock would not)."""
        self.policy, self._clock = policy, clock
        self.store = store or limit_store.local(policy.max_call_minutes * 60, policy.remembered_keys, clock)
        rate = max(1, policy.wrong_codes_per_minute)
        self._per_client = window(policy.mints_per_client_per_hour, 3600, "mints-per-client")
        self._everyone = window(policy.mints_per_minute, 60, "mints")
        self._wrong_here = window(policy.wrong_codes_per_10_minutes, 600, "wrong-codes-by-address")
        # Counted only as far as the longest slow-down needs.
        self._wrong_everywhere = window(math.ceil(rate * policy.max_code_delay_s), 60, "wrong-codes")
        self._caps = Caps(policy.max_concurrent_calls, policy.max_calls_per_client, policy.max_calls_per_address)
        self._unreachable = False  # logged once while it lasts

    @property
    def needs_code(self) -> bool:
        return bool(self.policy.access_code)

    async def code_delay_s(self) -> float:
        """Seconds to wait before the next code check: 0 unless wrong codes from everywhere
        together pass `wrong_codes_per_minute`; then as many seconds as times that rate, at most
        `max_code_delay_s`. Await it outside the state lock, then call `admit`."""
        if not self.needs_code:
            return 0.0
        try:
            async with self._reaching():
                wrong = await self.store.windows.count(self._wrong_everywhere, EVERYONE)
        except Refused:
            return 0.0  # the check that follows refuses
        rate = self.policy.wrong_codes_per_minute
        return 0.0 if wrong <= rate else min(self.policy.max_code_delay_s, wrong / max(1, rate))

    async def admit(self, client: str, address: str, code: str, prepared: bool = False) -> str:
        """The slot of a call this client (a browser session) may start now from this address (the
        client's IP), or Refused; counts its mint. `prepared`: its secret was minted ahead (see
        `prepare`), which counted that mint already."""
        client, address = who(client), network(address)
        async with self._reaching():
            if self.needs_code:
                await self._check_code(address, code)
            if not prepared and (refused := await self._mint_refusal(client)):
                raise refused
            taken = await self.store.slots.take(client, address, self._clock(), self._caps)
            if not taken.slot:
                raise _slot_refusal(taken)
            try:
                if not prepared and not await self._count_mint(client):  # another worker took the last
                    raise await self._mint_refusal(client) or Refused(
                        "This app has started too many calls recently: try again in a moment.", 5
                    )
            except BaseException:  # refused, or the storage failed: the slot goes back
                await self._quietly(self.store.slots.release(taken.slot))
                raise
            return taken.slot

    async def _check_code(self, address: str, code: str) -> None:
        # By address, which a client cannot reset as it can its session; an address locked out
        # is refused before its code is looked at, so guessing on tells it nothing.
        windows = self.store.windows
        if (wait := await windows.retry_after(self._wrong_here, address)) is not None:
            raise Refused(f"Too many wrong access codes from your network: try again in {wait_words(wait)}.", wait)
        if not hmac.compare_digest(code.encode(), self.policy.access_code.encode()):
            await windows.hit(self._wrong_here, address)
            await windows.hit(self._wrong_everywhere, EVERYONE)
            raise Refused("That access code is not right: ask whoever runs this app for it.")

    async def prepare(self, client: str) -> bool:
        """May a secret be minted ahead of a likely Connect? Only with no access code to check
        first, and when a Connect would pass the limits now; the mint is counted if so."""
        if self.needs_code:
            return False
        client = who(client)
        try:
            async with self._reaching():
                if await self._mint_refusal(client):
                    return False
                if (await self.store.slots.take(client, None, self._clock(), self._caps, take=False)).full:
                    return False
                return await self._count_mint(client)
        except Refused:
            return False  # the click will say why

    async def _count_mint(self, client: str) -> bool:
        # The app's window first: only a mint it allows grows the table of clients.
        return await self.store.windows.hit(self._everyone, EVERYONE) and await self.store.windows.hit(self._per_client, client)

    async def _mint_refusal(self, client: str) -> Refused | None:
        for item, key, whose in ((self._per_client, client, "You have"), (self._everyone, EVERYONE, "This app has")):
            if (wait := await self.store.windows.retry_after(item, key)) is not None:
                return Refused(f"{whose} started too many calls recently: try again in {wait_words(wait)}.", wait)
        return None

    @contextlib.asynccontextmanager
    async def _reaching(self):
        """Storage that cannot be reached (the shared Redis) refuses: never admit unlimited."""
        try:
            async with asyncio.timeout(STORAGE_TIMEOUT_S):
                yield
            self._unreachable = False
        except UNREACHABLE as error:
            if not self._unreachable:  # once per outage; the error's type only: no URL, no password
                log.error("limits storage unreachable: refusing calls until it is back error=%s", type(error).__name__)
            self._unreachable = True
            raise Refused("This app cannot check its limits right now: try again in a moment.", 5) from None

    async def call_started(self, slot: str, call_id: str, live: bool = False) -> None:
        """The call an admitted Connect opened (`live`: a GPT-Live session): the server can then end it at the limit."""
        await self._quietly(self.store.slots.start(slot, call_id, live))

    async def is_live(self, call_id: str) -> bool:
        """A GPT-Live session (closed with session.close), not a Realtime API call (hung up by REST)."""
        return bool(await self._quietly(self.store.slots.is_live(call_id)))

    async def release(self, slot: str) -> None:
        """Free a slot whose call cannot exist: no secret reached the page (refused, failed, or
        given up before it was delivered)."""
        await self._quietly(self.store.slots.release(slot))

    async def hang_up_again(self, call_id: str) -> None:
        await self._quietly(self.store.slots.hang_up_again(call_id))

    async def call_over(self, call_id: str) -> None:
        """The API closed the server's connection to this call: its slot is free, whatever its
        page did (a closed tab says nothing)."""
        await self._quietly(self.store.slots.over(call_id))

    async def overdue_calls(self) -> list[str]:
        """Ids of the calls that outlived the length limit since last asked: hang them up. Their
        slots, and those of Connects that never named a call, are free. Each goes to one worker."""
        async with asyncio.timeout(STORAGE_TIMEOUT_S):
            return await self.store.slots.overdue(self._clock())

    async def _quietly(self, step):
        """A step after admission: one that cannot reach the storage is logged, and the slot
        is freed at the length limit anyway."""
        try:
            async with asyncio.timeout(STORAGE_TIMEOUT_S):
                return await step
        except UNREACHABLE as error:
            log.warning("limits storage step failed error=%s", type(error).__name__)
            return None


def _slot_refusal(taken: Taken) -> Refused:
    if taken.full == APP:
        return Refused("This app is at its limit of simultaneous calls: try again in a few minutes.", 60)
    if taken.full == CLIENT:
        return Refused(f"This browser already holds {taken.held} calls: hang up one, or try again in a few minutes.", 60)
    return Refused("Your network already holds as many calls as it may: try again in a few minutes.", 60)


def safety_identifier(client: str, salt: str) -> str:
    """What OpenAI sees of a user: a keyed hash, never the raw id."""
    return hmac.new(salt.encode(), client.encode(), hashlib.sha256).hexdigest()
