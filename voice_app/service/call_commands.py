"""What any worker asks of a call's holder (service/call_holder.py): answer an MCP approval
request, set the call's tools, close a GPT-Live session. The page's states send them; whoever
holds the call's lease reads and does them.

A Redis stream per call, not pub/sub: a command sent while the holder is dying waits in the
stream for the worker that takes the call over (a published message with no subscriber is gone).
The holder keeps the id of the last command it read in the call's registry entry
(service/call_leases.py), so a takeover reads on from there; a command read twice (its holder died
between doing it and noting it) does no harm: an answer to a request no longer pending sends
nothing, and tools or a close set the same thing again. Without Redis: a queue per call."""

import asyncio
import json

from voice_app.service import call_leases, shared_redis
from voice_app.service.logs import get_logger

log = get_logger()
ANSWER, TOOLS, CLOSE = "answer", "tools", "close"
KEPT_S = 2 * 3600  # a call's stream outlives no call (60 minutes at most) for long, if its holder never forgets it
MAX_LEN = 1000  # commands kept per call: a page that sends a flood of them cannot fill Redis
READ_WAIT_S = 1.0  # how long a read waits for a command: the holder looks again as often

_queues: dict[str, asyncio.Queue] = {}  # without Redis: call id -> its commands
_sending: dict[str, asyncio.Task] = {}  # per call, the last command on its way (send_soon keeps them in order)


def stream_key(call_id: str) -> str:
    return shared_redis.key("call", call_id, "commands")


async def send(call_id: str, command: dict) -> bool:
    """Send a command to the call's holder: False if no call of that id is held (over, or never heard)."""
    if not await call_leases.leases().held(call_id):
        return False
    client = shared_redis.client()
    if client is None:
        _queues.setdefault(call_id, asyncio.Queue()).put_nowait(command)
        return True
    key = stream_key(call_id)
    async with client.pipeline(transaction=False) as pipe:
        pipe.xadd(key, {"command": json.dumps(command)}, maxlen=MAX_LEN, approximate=True)
        pipe.expire(key, KEPT_S)
        await pipe.execute()
    return True


def send_soon(call_id: str, command: dict) -> None:
    """From an event handler that cannot wait: sent after it returns, after this call's earlier ones."""

    async def after(previous: asyncio.Task | None):
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await send(call_id, command)
        except Exception as error:  # logged: the page's change is lost, as if never made
            log.warning("command not sent call=%s kind=%s error=%s", call_id, command.get("kind"), type(error).__name__)
        finally:
            if _sending.get(call_id) is task:
                del _sending[call_id]

    task = asyncio.get_running_loop().create_task(after(_sending.get(call_id)))
    _sending[call_id] = task


async def read(call_id: str, after: str) -> list[tuple[str, dict]]:
    """The commands after the one with id `after` ("0": all), waiting up to READ_WAIT_S for one."""
    client = shared_redis.client()
    if client is None:
        queue = _queues.setdefault(call_id, asyncio.Queue())
        try:
            command = await asyncio.wait_for(queue.get(), READ_WAIT_S)
        except TimeoutError:
            return []
        return [("0", command)]
    found = await client.xread({stream_key(call_id): after}, count=100, block=int(READ_WAIT_S * 1000))
    commands = []
    for _key, entries in found:
        for command_id, fields in entries:
            try:
                commands.append((command_id.decode(), json.loads(fields[b"command"])))
            except (KeyError, ValueError):
                commands.append((command_id.decode(), {}))  # not ours: skipped, and read past
    return commands


async def forget(call_id: str) -> None:
    """The call is over: its commands go."""
    _queues.pop(call_id, None)
    client = shared_redis.client()
    if client is not None:
        await client.delete(stream_key(call_id))
