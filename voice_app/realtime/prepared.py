"""A client secret prepared on intent: minted when the pointer, a touch or the focus reaches
Connect, so the click finds it ready. The mint (a round trip to the API) and the SDP offer that
needs its secret must follow each other; this takes the mint off the click's path. It stays on
the server, is for the exact session it was minted for, and is used once."""

from dataclasses import dataclass, field, replace

from voice_app.realtime.client_secrets import ClientSecret

MIN_LIFE_S = 20  # a call starts within seconds of its click: a secret nearer its end is not risked


@dataclass(frozen=True)
class Prepared:
    session: dict  # exactly what it was minted for (the session object, tools included)
    number: int  # which prepare of the page: the answer to one replaced meanwhile is dropped
    started: float  # when its mint began (time.time())
    value: str = field(default="", repr=False)  # "" while it is being minted
    expires_at: int = 0
    mark: str = field(default="", repr=False)  # the secret's (binding.py): the call it opens shows it
    claimed: int = 0  # the Connect attempt that waits for it while it is minted; 0: none

    def minting(self, now: float, timeout_s: float) -> bool:
        """Its mint is under way (past the API's timeout, it was lost with the worker that ran it)."""
        return not self.value and now - self.started < timeout_s

    def usable(self, session: dict, now: float) -> bool:
        """Minted, for exactly this session, with life enough left to start a call on."""
        return bool(self.value) and self.session == session and self.expires_at - now >= MIN_LIFE_S

    def serves(self, session: dict, now: float, timeout_s: float) -> bool:
        """Can a Connect for this session take it, now or once minted?"""
        unclaimed = self.minting(now, timeout_s) and not self.claimed and self.session == session
        return self.usable(session, now) or unclaimed

    def ready(self, secret: ClientSecret) -> "Prepared":
        return replace(self, value=secret.value, expires_at=secret.expires_at, mark=secret.mark)


def wanted(held: Prepared | None, session: dict, now: float, timeout_s: float) -> bool:
    """Does an intent call for a mint? Not while one is being minted (one at a time), nor while
    the one held fits; one that went stale, or is for other settings, is replaced."""
    return held is None or not (held.minting(now, timeout_s) or held.usable(session, now))
