"""Who holds each call's server connection (service/hearing.py), and what another worker needs to
carry the call on if its holder dies: a lease per call and a registry of the calls being held.

With the shared Redis (service/shared_redis.py) the lease is a key holding the holder's id with a
time to live, taken with SET NX and renewed, released or written under only by the holder that
still has it (compare-and-set, in one Lua script each): a holder whose lease lapsed and was taken
finds out at its next renewal and stops, so two holders never act on a call. Without Redis, one
process holds every call itself: the same interface, kept in dicts, and a lease never lapses.

The registry (a hash, call id -> HeldCall as JSON) holds what a takeover starts from: the call
is bound or not, its page's token, the conversation it is saved under, the MCP approval requests
heard and not answered, the last command read (service/call_commands.py)."""

import dataclasses
import json
import os
import secrets
import socket
from dataclasses import dataclass, field

import redis.asyncio

from voice_app.service import shared_redis

LEASE_TTL_S = 6.0  # a holder not heard from this long is dead: three renewals missed, not one slow one
RENEW_EVERY_S = 2.0  # a third of the lease: a slow Redis round trip or a pause of a few seconds takes nothing
CALLS = shared_redis.key("calls")  # the registry

RETAKEN = 2  # what renew says of a lease nobody had (Redis restarted without its data): ours again
_RENEW = f"""local held = redis.call('get', KEYS[1])
if held == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if not held then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return {RETAKEN} end
return 0"""
DELETE_IF_SAME = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_NOTE = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('hset', KEYS[2], ARGV[2], ARGV[3]) return 1 end return 0"
_FORGET = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('hdel', KEYS[2], ARGV[2]) "
    "return redis.call('del', KEYS[1]) end return 0"
)


@dataclass
class HeldCall:
    """A call as its holder keeps it, and as a takeover starts from it."""

    call_id: str
    live: bool  # a GPT-Live session (closed on the server's connection), not a Realtime API call
    client_token: str  # the page's Reflex token: how a holder on any worker reaches its states
    owner: str
    conversation_id: str  # "" until the first save makes one
    settings: dict
    slot: str  # what the call holds of the cap (service/safety.py)
    mark: str  # what the call must show to be the page's (realtime/binding.py)
    bound: bool = False  # it showed it is the page's: a takeover starts bound, and counts no new call
    pending: dict[str, dict] = field(default_factory=dict)  # MCP approval requests heard, not answered
    read: str = "0"  # the last command read from the call's stream

    def dumps(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def loads(cls, text: str | bytes) -> "HeldCall | None":
        try:
            return cls(**json.loads(text))
        except (TypeError, ValueError):  # written by another version, or garbled: not one to carry on
            return None


def new_holder() -> str:
    """A holder's id: which host and process (for the logs), and unique to one hold of one call."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


def lease_key(call_id: str) -> str:
    return shared_redis.key("call", call_id, "lease")


class RedisLeases:
    def __init__(self, client: redis.asyncio.Redis):
        self.redis = client

    async def take(self, call_id: str, holder: str) -> bool:
        """The lease, if nobody holds it."""
        return bool(await self.redis.set(lease_key(call_id), holder, nx=True, px=int(LEASE_TTL_S * 1000)))

    async def renew(self, call_id: str, holder: str) -> int:
        """1: renewed. 0: the lease is another's now (ours lapsed, and was taken). RETAKEN: nobody
        had it (Redis lost it, or it lapsed while this holder was paused and nobody took it)."""
        return int(await self.redis.eval(_RENEW, 1, lease_key(call_id), holder, int(LEASE_TTL_S * 1000)))

    async def release(self, call_id: str, holder: str) -> None:
        """This worker stops holding a call that goes on: another takes it over at once."""
        await self.redis.eval(DELETE_IF_SAME, 1, lease_key(call_id), holder)

    async def note(self, holder: str, call: HeldCall) -> bool:
        """Write the call in the registry, if its lease is still ours."""
        return bool(await self.redis.eval(_NOTE, 2, lease_key(call.call_id), CALLS, holder, call.call_id, call.dumps()))

    async def forget(self, holder: str, call_id: str) -> None:
        """The call is over: out of the registry, and its lease gone (if still ours)."""
        await self.redis.eval(_FORGET, 2, lease_key(call_id), CALLS, holder, call_id)

    async def held(self, call_id: str) -> bool:
        return bool(await self.redis.hexists(CALLS, call_id))

    async def lapsed(self) -> list[HeldCall]:
        """The calls in the registry whose lease lapsed: their holder died."""
        calls = await self.redis.hgetall(CALLS)
        if not calls:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for call_id in calls:
                pipe.exists(lease_key(call_id.decode()))
            leased = await pipe.execute()
        return [call for text, alive in zip(calls.values(), leased, strict=True) if not alive and (call := HeldCall.loads(text))]


class LocalLeases:
    """One process: a lease is held until released; nothing lapses (the holder is this process)."""

    def __init__(self):
        self.leases: dict[str, str] = {}
        self.calls: dict[str, str] = {}

    async def take(self, call_id: str, holder: str) -> bool:
        return self.leases.setdefault(call_id, holder) == holder

    async def renew(self, call_id: str, holder: str) -> bool:
        return self.leases.get(call_id) == holder

    async def release(self, call_id: str, holder: str) -> None:
        if self.leases.get(call_id) == holder:
            del self.leases[call_id]

    async def note(self, holder: str, call: HeldCall) -> bool:
        if self.leases.get(call.call_id) != holder:
            return False
        self.calls[call.call_id] = call.dumps()
        return True

    async def forget(self, holder: str, call_id: str) -> None:
        if self.leases.get(call_id) == holder:
            del self.leases[call_id]
            self.calls.pop(call_id, None)

    async def held(self, call_id: str) -> bool:
        return call_id in self.calls

    async def lapsed(self) -> list[HeldCall]:
        return []


_local = LocalLeases()


def leases() -> RedisLeases | LocalLeases:
    """The shared leases and registry, or this process's own without Redis."""
    client = shared_redis.client()
    return RedisLeases(client) if client is not None else _local
