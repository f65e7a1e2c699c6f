"""The operator's limits (Policy), a refusal (Refused), and how a client is named in the counts."""

import hashlib
import ipaddress
from dataclasses import dataclass, field

from voice_app.service.limit_windows import REMEMBERED_KEYS


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


def network(address: str) -> str:
    """Whose guesses these are: the address, or for IPv6 its /64 (one host's usual share)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False)) if parsed.version == 6 else str(parsed)


def wait_words(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def who(client: str) -> str:
    """A client as the limits keep it: a hash, never its session token (which would let whoever
    reads the storage act as that browser)."""
    return hashlib.sha256(client.encode()).hexdigest()[:32]
