"""Call slots in the shared Redis: the same as call_slots.Slots, counted once for every worker
and host. Each step is one Lua script, so checking the caps and taking a slot cannot interleave
with another worker's; an overdue call is popped by exactly one worker's sweep.

Keys under `prefix`: the slots (a sorted set by start time), each slot's hash (client, address,
call), the slots of each client and address (sorted sets), each call's slots and whether it is a
GPT-Live session (a hash), and the overdue calls (a list). Clients are hashes, never tokens."""

from collections.abc import Callable

import redis.asyncio

from voice_app.service.call_slots import Caps, Taken, new_slot_id

KEPT_S = 86_400  # past the length limit, so a key outlives every worker being down for a while

_COMMON = """
local p = KEYS[1]
local function drop(id)
  local held = redis.call('HMGET', p .. ':slot:' .. id, 'client', 'address', 'call')
  if held[1] then redis.call('ZREM', p .. ':client:' .. held[1], id) end
  if held[2] then redis.call('ZREM', p .. ':address:' .. held[2], id) end
  redis.call('DEL', p .. ':slot:' .. id)
  redis.call('ZREM', p, id)
  return held[3]
end
local function expire(now, seconds)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', p, '-inf', '(' .. (now - seconds))) do
    local call = drop(id)
    if call and call ~= '' then redis.call('RPUSH', p .. ':overdue', call) end
  end
end
"""

_TAKE = (
    _COMMON
    + """
local now, seconds, client, address, slot = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5]
local calls, per_client, per_address, kept = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
expire(now, seconds)
local client_key, address_key = p .. ':client:' .. client, p .. ':address:' .. address
if redis.call('ZCARD', p) >= calls then return {'app', 0} end
local held = redis.call('ZCARD', client_key)
if held >= per_client then return {'client', held} end
if ARGV[10] == '1' and redis.call('ZCARD', address_key) >= per_address then return {'address', 0} end
if slot == '' then return {'', 0} end
redis.call('ZADD', p, now, slot)
redis.call('HSET', p .. ':slot:' .. slot, 'client', client, 'address', address, 'call', '')
redis.call('ZADD', client_key, now, slot)
redis.call('ZADD', address_key, now, slot)
for _, key in ipairs({p .. ':slot:' .. slot, client_key, address_key}) do redis.call('EXPIRE', key, kept) end
return {'', 0}
"""
)

_START = (
    _COMMON
    + """
local slot_key, call_key = p .. ':slot:' .. ARGV[1], p .. ':call:' .. ARGV[2]
if redis.call('HGET', slot_key, 'call') ~= '' then return 0 end
redis.call('HSET', slot_key, 'call', ARGV[2])
redis.call('HSET', call_key, 's:' .. ARGV[1], 1)
if ARGV[3] == '1' then redis.call('HSET', call_key, 'live', 1) end
redis.call('EXPIRE', call_key, tonumber(ARGV[4]))
return 1
"""
)

_RELEASE = _COMMON + "drop(ARGV[1])"

_OVER = (
    _COMMON
    + """
local call_key = p .. ':call:' .. ARGV[1]
for _, field in ipairs(redis.call('HKEYS', call_key)) do
  local id = string.sub(field, 3)
  if string.sub(field, 1, 2) == 's:' and redis.call('HGET', p .. ':slot:' .. id, 'call') == ARGV[1] then drop(id) end
end
redis.call('DEL', call_key)
"""
)

_OVERDUE = (
    _COMMON
    + """
expire(tonumber(ARGV[1]), tonumber(ARGV[2]))
local calls = redis.call('LRANGE', p .. ':overdue', 0, -1)
redis.call('DEL', p .. ':overdue')
return calls
"""
)


class RedisSlots:
    def __init__(self, seconds: float, client: Callable[[], redis.asyncio.Redis], prefix: str) -> None:
        self.seconds, self._client, self._prefix = seconds, client, prefix
        self._kept = round(seconds) + KEPT_S

    async def _run(self, script: str, *args) -> object:
        client = self._client()
        return await client.register_script(script)(keys=[self._prefix], args=list(args), client=client)

    async def take(self, client: str, address: str | None, now: float, caps: Caps, take: bool = True) -> Taken:
        """Check the caps and take a slot in one step (`take=False`: only check; `address` None:
        not checked)."""
        slot = new_slot_id() if take else ""
        full, held = await self._run(
            _TAKE, now, self.seconds, client, address or "", slot, caps.calls, caps.per_client, caps.per_address,
            self._kept, "0" if address is None else "1",
        )  # fmt: skip
        full = full.decode() if isinstance(full, bytes) else full  # the script names the caps as call_slots does
        return Taken(full=full, held=int(held)) if full else Taken(slot)

    async def start(self, slot: str, call_id: str, live: bool = False) -> None:
        """One call per slot: a second id for the same slot is ignored."""
        await self._run(_START, slot, call_id, "1" if live else "0", self._kept)

    async def is_live(self, call_id: str) -> bool:
        return bool(await self._client().hexists(f"{self._prefix}:call:{call_id}", "live"))

    async def release(self, slot: str) -> None:
        await self._run(_RELEASE, slot)

    async def over(self, call_id: str) -> None:
        await self._run(_OVER, call_id)

    async def hang_up_again(self, call_id: str) -> None:
        """A hang-up at the limit failed: the next sweep, on whichever worker, tries again."""
        await self._client().rpush(f"{self._prefix}:overdue", call_id)

    async def overdue(self, now: float) -> list[str]:
        """Ids of the calls that outlived the length limit since last asked: each to one worker, once."""
        calls = await self._run(_OVERDUE, now, self.seconds)
        return [call.decode() if isinstance(call, bytes) else call for call in calls]
