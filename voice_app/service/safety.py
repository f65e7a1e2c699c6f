"""Limits that make the app safe to host: access code, mint rates, concurrent calls. Pure.

Every reference client mints credentials for anyone who loads the page; here each mint is
checked first. Limits are per server process (several workers each keep their own).
"""

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass, field

from voice_app.service.call_slots import Slots
from voice_app.service.limit_windows import REMEMBERED_KEYS, Window


class Refused(Exception):
    """A connect refused by a limit; the message says why and when to try again."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Policy:
    access_code: str = field(default="", repr=False)
    mints_per_client_per_hour: int = 30
    mints_per_minute: int = 60  # for the whole server
    max_concurrent_calls: int = 25
    max_call_minutes: float = 30
    secret_seconds: int = 60  # a secret only has to live until its call starts
    wrong_codes_per_10_minutes: int = 5  # from one address
    wrong_codes_per_minute: int = 20  # from all addresses together, before code checks slow down
    max_code_delay_s: float = 10
    max_calls_per_client: int = 3  # so one browser session cannot fill the cap alone
    max_calls_per_address: int = 10  # nor one address, with as many sessions as it likes
    remembered_keys: int = REMEMBERED_KEYS  # per limit table: sessions or addresses

    @classmethod
    def from_config(cls, config) -> "Policy":
        """The operator's limits, from the settings read at start (config.py checks their ranges)."""
        return cls(
            access_code=config.app_access_code,
            mints_per_client_per_hour=config.app_mints_per_client_per_hour,
            mints_per_minute=config.app_mints_per_minute,
            max_concurrent_calls=config.app_max_concurrent_calls,
            max_call_minutes=config.app_max_call_minutes,
            wrong_codes_per_minute=config.app_wrong_codes_per_minute,
            max_calls_per_client=config.app_max_calls_per_client,
            max_calls_per_address=config.app_max_calls_per_address,
        )


def _network(address: str) -> str:
    """Whose guesses these are: the address, or for IPv6 its /64 (one host's usual share)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False)) if parsed.version == 6 else str(parsed)


def _wait(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


class Guard:
    def __init__(self, policy: Policy, clock=time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        keys, rate = policy.remembered_keys, max(1, policy.wrong_codes_per_minute)
        self._per_client = Window(policy.mints_per_client_per_hour, 3600, keys)
        self._everyone = Window(policy.mints_per_minute, 60, 1)
        self._wrong_here = Window(policy.wrong_codes_per_10_minutes, 600, keys)  # by address
        # Counted only as far as the longest slow-down needs.
        self._wrong_everywhere = Window(math.ceil(rate * policy.max_code_delay_s), 60, 1)
        self._slots = Slots(policy.max_call_minutes * 60)

    @property
    def needs_code(self) -> bool:
        return bool(self.policy.access_code)

    def code_delay_s(self) -> float:
        """Seconds to wait before the next code check: 0 unless wrong codes from everywhere
        together pass `wrong_codes_per_minute`; then as many seconds as times that rate, at most
        `max_code_delay_s`. Await it outside the state lock, then call `admit`."""
        if not self.needs_code:
            return 0.0
        wrong, rate = self._wrong_everywhere.count("*", self._clock()), self.policy.wrong_codes_per_minute
        return 0.0 if wrong <= rate else min(self.policy.max_code_delay_s, wrong / max(1, rate))

    def admit(self, client: str, address: str, code: str, prepared: bool = False) -> str:
        """The slot of a call this client (a browser session) may start now from this address (the
        client's IP), or Refused; counts its mint. `prepared`: its secret was minted ahead (see
        `prepare`), which counted that mint already."""
        now, address = self._clock(), _network(address)
        if self.needs_code:
            self._check_code(address, code, now)
        if refused := self._refusal(client, now, mints=not prepared, address=address):
            raise refused
        if not prepared:
            self._count_mint(client, now)
        return self._slots.take(client, address, now)

    def _check_code(self, address: str, code: str, now: float) -> None:
        # By address, which a client cannot reset as it can its session; an address locked out
        # is refused before its code is looked at, so guessing on tells it nothing.
        if (wait := self._wrong_here.retry_after(address, now)) is not None:
            raise Refused(f"Too many wrong access codes from your network: try again in {_wait(wait)}.", wait)
        if not hmac.compare_digest(code.encode(), self.policy.access_code.encode()):
            self._wrong_here.record(address, now)
            self._wrong_everywhere.record("*", now)
            raise Refused("That access code is not right: ask whoever runs this app for it.")

    def prepare(self, client: str) -> bool:
        """May a secret be minted ahead of a likely Connect? Only with no access code to check
        first, and when a Connect would pass the limits now; the mint is counted if so."""
        now = self._clock()
        if self.needs_code or self._refusal(client, now):
            return False
        self._count_mint(client, now)
        return True

    def _count_mint(self, client: str, now: float) -> None:
        self._per_client.record(client, now)
        self._everyone.record("*", now)

    def _refusal(self, client: str, now: float, mints: bool = True, address: str | None = None) -> Refused | None:
        """Why the limits would refuse this client a call now (and a mint, if `mints`), if they would."""
        if mints:
            for window, key, who in ((self._per_client, client, "You have"), (self._everyone, "*", "This app has")):
                if (wait := window.retry_after(key, now)) is not None:
                    return Refused(f"{who} started too many calls recently: try again in {_wait(wait)}.", wait)
        self._slots.expire(now)
        if len(self._slots) >= self.policy.max_concurrent_calls:
            return Refused("This app is at its limit of simultaneous calls: try again in a few minutes.", 60)
        if (held := self._slots.held_by(client)) >= self.policy.max_calls_per_client:
            return Refused(f"This browser already holds {held} calls: hang up one, or try again in a few minutes.", 60)
        if address is not None and self._slots.held_from(address) >= self.policy.max_calls_per_address:
            return Refused("Your network already holds as many calls as it may: try again in a few minutes.", 60)
        return None

    def call_started(self, slot: str, call_id: str, live: bool = False) -> None:
        """The call an admitted Connect opened (`live`: a GPT-Live session): the server can then end it at the limit."""
        self._slots.start(slot, call_id, live)

    def is_live(self, call_id: str) -> bool:
        """A GPT-Live session (closed with session.close), not a Realtime API call (hung up by REST)."""
        return self._slots.is_live(call_id)

    def release(self, slot: str) -> None:
        """Free a slot whose call cannot exist: no secret reached the page (refused, failed, or
        given up before it was delivered)."""
        self._slots.release(slot)

    def hang_up_again(self, call_id: str) -> None:
        self._slots.hang_up_again(call_id)

    def call_over(self, call_id: str) -> None:
        """The API closed the server's connection to this call: its slot is free, whatever its
        page did (a closed tab says nothing)."""
        self._slots.over(call_id)

    def overdue_calls(self) -> list[str]:
        """Ids of the calls that outlived the length limit since last asked: hang them up. Their
        slots, and those of Connects that never named a call, are free."""
        return self._slots.overdue(self._clock())


def safety_identifier(client: str, salt: str) -> str:
    """What OpenAI sees of a user: a keyed hash, never the raw id."""
    return hmac.new(salt.encode(), client.encode(), hashlib.sha256).hexdigest()
