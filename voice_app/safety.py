"""Limits that make the app safe to host: access code, mint rates, concurrent calls. Pure.

Every reference client mints credentials for anyone who loads the page; here each mint is
checked first. Limits are per server process (several workers each keep their own).
"""

import hashlib
import hmac
import os
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field


class Refused(Exception):
    """A connect refused by a limit; the message says why and when to try again."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


def _minutes(value: str) -> float:
    try:
        return min(60.0, max(0.1, float(value)))  # sessions end at 60 minutes anyway
    except ValueError:
        return 30.0


def _int(environ, name: str, default: int) -> int:
    try:
        return max(0, int(environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class Policy:
    access_code: str = field(default="", repr=False)
    mints_per_client_per_hour: int = 30
    mints_per_minute: int = 60  # for the whole server
    max_concurrent_calls: int = 25
    max_call_minutes: float = 30
    secret_seconds: int = 60  # a secret only has to live until its call starts
    wrong_codes_per_10_minutes: int = 5

    @classmethod
    def from_environment(cls, environ=os.environ) -> "Policy":
        return cls(
            access_code=environ.get("APP_ACCESS_CODE", "").strip(),
            mints_per_client_per_hour=_int(environ, "APP_MINTS_PER_CLIENT_PER_HOUR", 30),
            mints_per_minute=_int(environ, "APP_MINTS_PER_MINUTE", 60),
            max_concurrent_calls=_int(environ, "APP_MAX_CONCURRENT_CALLS", 25),
            max_call_minutes=_minutes(environ.get("APP_MAX_CALL_MINUTES", "30")),
        )


class Window:
    """At most `limit` events per `seconds`, per key (a sliding window)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self._times: dict[str, deque] = defaultdict(deque)

    def retry_after(self, key: str, now: float) -> float | None:
        """None if one more is allowed now; else the seconds until it is."""
        times = self._times[key]
        while times and times[0] <= now - self.seconds:
            times.popleft()
        if not times:
            self._times.pop(key, None)
        if len(times) < self.limit:
            return None
        return times[0] + self.seconds - now

    def record(self, key: str, now: float) -> None:
        self._times[key].append(now)


@dataclass
class _Call:
    started: float
    call_id: str = ""


def _wait(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


class Guard:
    def __init__(self, policy: Policy, clock=time.monotonic) -> None:
        self.policy = policy
        self._clock = clock
        self._per_client = Window(policy.mints_per_client_per_hour, 3600)
        self._everyone = Window(policy.mints_per_minute, 60)
        self._wrong_codes = Window(policy.wrong_codes_per_10_minutes, 600)
        self._calls: dict[str, _Call] = {}  # by client
        self._overdue: list[str] = []  # ids of calls past the length limit, for the server to hang up

    @property
    def needs_code(self) -> bool:
        return bool(self.policy.access_code)

    def admit(self, client: str, code: str, prepared: bool = False) -> None:
        """Raise Refused unless this client may start a call now; count its mint if so. `prepared`:
        its secret was minted ahead (see `prepare`), which counted that mint already."""
        now = self._clock()
        if self.needs_code:
            if (wait := self._wrong_codes.retry_after(client, now)) is not None:
                raise Refused(f"Too many wrong access codes: try again in {_wait(wait)}.", wait)
            if not hmac.compare_digest(code.encode(), self.policy.access_code.encode()):
                self._wrong_codes.record(client, now)
                raise Refused("That access code is not right: ask whoever runs this app for it.")
        if refused := self._refusal(client, now, mints=not prepared):
            raise refused
        if not prepared:
            self._count_mint(client, now)
        self._calls[client] = _Call(started=now)

    def prepare(self, client: str) -> bool:
        """May a secret be minted ahead of a likely Connect? Only with no access code to check
        first, and when a Connect would pass the limits now; the mint is counted if so."""
        now = self._clock()
        if self.needs_code or self._refusal(client, now):
            return False
        self._count_mint(client, now)
        return True

    def _refusal(self, client: str, now: float, mints: bool = True) -> Refused | None:
        """Why the limits would refuse this client a call now (and a mint, if `mints`), if they would."""
        if mints:
            for window, key, who in ((self._per_client, client, "You have"), (self._everyone, "*", "This app has")):
                if (wait := window.retry_after(key, now)) is not None:
                    return Refused(f"{who} started too many calls recently: try again in {_wait(wait)}.", wait)
        self._forget_old_calls(now)
        if client not in self._calls and len(self._calls) >= self.policy.max_concurrent_calls:
            return Refused("This app is at its limit of simultaneous calls: try again in a few minutes.", 60)
        return None

    def _count_mint(self, client: str, now: float) -> None:
        self._per_client.record(client, now)
        self._everyone.record("*", now)

    def call_started(self, client: str, call_id: str) -> None:
        """The page says which call it opened: the server can then end it at the limit."""
        if client in self._calls:
            self._calls[client].call_id = call_id

    def call_ended(self, client: str) -> None:
        self._calls.pop(client, None)

    def call_over(self, call_id: str) -> None:
        """The API closed the server's connection to this call: its slot is free, whatever its
        page did (a closed tab says nothing)."""
        for client, call in list(self._calls.items()):
            if call.call_id == call_id:
                del self._calls[client]

    def overdue_calls(self) -> list[str]:
        """Ids of the calls that outlived the length limit since last asked: hang them up."""
        self._forget_old_calls(self._clock())
        overdue, self._overdue = self._overdue, []
        return overdue

    def _forget_old_calls(self, now: float) -> None:
        # A browser that vanished, or ignores the limit, never says goodbye: the slot is freed
        # at the limit, and the call is handed to the server to hang up.
        limit = self.policy.max_call_minutes * 60
        for client, call in list(self._calls.items()):
            if now - call.started > limit:
                del self._calls[client]
                if call.call_id:
                    self._overdue.append(call.call_id)


def safety_identifier(client: str, salt: str) -> str:
    """What OpenAI sees of a user: a keyed hash, never the raw id."""
    return hmac.new(salt.encode(), client.encode(), hashlib.sha256).hexdigest()
