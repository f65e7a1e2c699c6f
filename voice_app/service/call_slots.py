"""Call slots: one per admitted Connect, held until its call is over; here, in this process (see
redis_slots.py for the same, shared by every worker and host).

A slot belongs to one call, not to a client: a client that connects again takes a second slot,
so its first call (whose page may have kept its peer connection) still counts against the cap
and is still hung up at the length limit.
"""

import secrets
from dataclasses import dataclass

APP, CLIENT, ADDRESS = "app", "client", "address"  # which cap is full


@dataclass(frozen=True)
class Caps:
    calls: int  # at once, for the whole app
    per_client: int
    per_address: int


@dataclass(frozen=True)
class Taken:
    """A slot taken (`slot`), or none: `full` names the cap that is full; `held`, the client's calls."""

    slot: str = ""
    full: str = ""
    held: int = 0


def new_slot_id() -> str:
    return secrets.token_hex(8)  # not guessable: nobody frees another's slot by naming it


@dataclass
class _Slot:
    client: str
    address: str  # where the client is (what it cannot make up)
    started: float
    call_id: str = ""  # until the page (or the server, for GPT-Live) says which call it opened


class Slots:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds  # the length limit
        self._slots: dict[str, _Slot] = {}  # by slot id; never more than the cap allows in
        self._overdue: list[str] = []  # ids of calls past the length limit, for the server to hang up
        self._live: set[str] = set()  # the GPT-Live sessions among them: an opaque id's shape says nothing

    async def take(self, client: str, address: str | None, now: float, caps: Caps, take: bool = True) -> Taken:
        """Check the caps and take a slot in one step (`take=False`: only check; `address` None:
        not checked)."""
        self._expire(now)
        held = sum(slot.client == client for slot in self._slots.values())
        if len(self._slots) >= caps.calls:
            return Taken(full=APP)
        if held >= caps.per_client:
            return Taken(full=CLIENT, held=held)
        if address is not None and sum(slot.address == address for slot in self._slots.values()) >= caps.per_address:
            return Taken(full=ADDRESS)
        if not take:
            return Taken()
        slot = new_slot_id()
        self._slots[slot] = _Slot(client, address or "", now)
        return Taken(slot)

    async def start(self, slot: str, call_id: str, live: bool = False) -> None:
        """One call per slot: a second id for the same slot is ignored."""
        if (held := self._slots.get(slot)) and not held.call_id:
            held.call_id = call_id
            if live:
                self._live.add(call_id)

    async def is_live(self, call_id: str) -> bool:
        return call_id in self._live

    async def release(self, slot: str) -> None:
        self._slots.pop(slot, None)

    async def over(self, call_id: str) -> None:
        self._live.discard(call_id)
        for slot, held in list(self._slots.items()):
            if held.call_id == call_id:
                del self._slots[slot]

    def _expire(self, now: float) -> None:
        # A browser that vanished, or ignores the limit, never says goodbye: the slot is freed
        # at the limit, and its call (if it named one) handed to the server to hang up.
        for slot, held in list(self._slots.items()):
            if now - held.started > self.seconds:
                del self._slots[slot]
                if held.call_id:
                    self._overdue.append(held.call_id)

    async def hang_up_again(self, call_id: str) -> None:
        """A hang-up at the limit failed: the next sweep tries again (until the API says it is over)."""
        self._overdue.append(call_id)

    async def overdue(self, now: float) -> list[str]:
        """Ids of the calls that outlived the length limit since last asked (once each)."""
        self._expire(now)
        overdue, self._overdue = self._overdue, []
        return overdue
