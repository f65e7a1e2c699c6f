"""What the simulator remembers: minted client secrets, live calls and GPT-Live sessions, queued faults."""

import asyncio
import secrets
import time

from voice_app.realtime.catalog import CLIENT_SECRET_PREFIX
from voice_app.simulator.config import Session
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import Faults
from voice_app.simulator.live.session import Session as LiveSession
from voice_app.simulator.peer import Call
from voice_app.simulator.speech import Speech


class Simulator:
    """One simulator's state, shared by its endpoints."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech  # the ear and voice every call shares
        self.secrets: dict[str, tuple[float, Session]] = {}  # value -> (expires_at, session)
        self.spent: set[str] = set()  # secrets that have opened their one call
        self.calls: dict[str, Call] = {}
        self.live_sessions: dict[str, LiveSession] = {}  # GPT-Live sessions (live/), by id
        self.faults = Faults()
        self.last_safety_identifier: str | None = None  # for tests: what the last mint said of its user
        self.minted = 0  # for tests: client secrets minted so far
        self.attached = 0  # server connections to calls (sideband.py) open now

    def mint(self, seconds: int, session: Session) -> tuple[str, int]:
        now = time.time()
        self.secrets = {k: v for k, v in self.secrets.items() if v[0] > now}
        self.spent &= self.secrets.keys()
        value = CLIENT_SECRET_PREFIX + secrets.token_urlsafe(24)
        expires_at = int(now + seconds)
        self.secrets[value] = (expires_at, session)
        self.minted += 1
        return value, expires_at

    def session_for(self, secret: str) -> Session:
        expires_at, session = self.secrets.get(secret, (0, None))
        if session is None:
            raise ApiError(401, "Invalid client secret: mint one with POST /v1/realtime/client_secrets.", code="invalid_api_key")
        if expires_at <= time.time():
            raise ApiError(401, "The client secret has expired: mint a new one.", code="invalid_api_key")
        if secret in self.spent:
            raise ApiError(
                401, "This client secret has already been used to start a call: mint a new one.", code="invalid_api_key"
            )
        return session

    def spend(self, secret: str) -> None:
        """A client secret opens one call: checked again here, with no wait before it is marked,
        since another request may have spent it while this one read its offer."""
        self.session_for(secret)
        self.spent.add(secret)

    async def close_all(self) -> None:
        await asyncio.gather(
            *(call.close() for call in list(self.calls.values())),
            *(live.close("connection_lost", goodbye=False) for live in list(self.live_sessions.values())),
            return_exceptions=True,
        )
