"""One budget for the deployment: Guards of two workers on one Redis (with a password) count
every limit once; the concurrent-call cap holds under many Connects at once; an overdue call goes
to one worker's sweep; an unreachable Redis refuses, saying what to do."""

import asyncio
import logging

import pytest
import redis.asyncio

from tests import guards
from voice_app.service import limit_store
from voice_app.service.safety import Guard, Policy, Refused

clock, workers = guards.clock, guards.workers  # fixtures
OPEN = dict(mints_per_client_per_hour=99, mints_per_minute=99)


async def test_a_call_admitted_through_one_worker_counts_on_the_other(workers):
    one, other = workers(Policy(max_concurrent_calls=1, **OPEN))
    slot = await one.admit("a", "10.0.0.1", "")
    with pytest.raises(Refused, match="simultaneous calls"):
        await other.admit("b", "10.0.0.2", "")
    await other.release(slot)  # the page's socket moved: its slot is freed from the other worker
    await other.admit("b", "10.0.0.2", "")


async def test_per_client_and_per_address_caps_are_counted_once(workers):
    one, other = workers(Policy(max_calls_per_client=1, max_calls_per_address=2, **OPEN))
    await one.admit("a", "10.0.0.1", "")
    with pytest.raises(Refused, match="This browser already holds 1 calls"):
        await other.admit("a", "10.0.0.1", "")
    await other.admit("b", "10.0.0.1", "")
    with pytest.raises(Refused, match="Your network already holds"):
        await one.admit("c", "10.0.0.1", "")


async def test_mints_per_minute_and_per_client_are_shared(workers, clock):
    one, other = workers(Policy(mints_per_client_per_hour=2, mints_per_minute=3, max_concurrent_calls=99))
    await one.admit("a", "ip", "")
    assert await other.prepare("a")  # a mint ahead counts as one
    assert not await one.prepare("a")  # a's hour is full, whichever worker counted it
    await other.admit("b", "ip", "")
    with pytest.raises(Refused, match="This app has started too many calls recently: try again in 60 s"):
        await one.admit("c", "ip", "")  # the app's minute is full
    clock.now += 61
    assert await one.prepare("c")


async def test_wrong_codes_are_shared_for_the_lockout_and_the_slow_down(workers, clock):
    one, other = workers(Policy(access_code="pw", wrong_codes_per_10_minutes=2, wrong_codes_per_minute=2))
    for guard, address in ((one, "10.0.0.9"), (other, "10.0.0.9"), (one, "10.0.1.9")):
        with pytest.raises(Refused, match="not right"):
            await guard.admit("s", address, "guess")
    with pytest.raises(Refused, match="Too many wrong access codes from your network"):
        await other.admit("s", "10.0.0.9", "pw")
    assert await other.code_delay_s() == pytest.approx(3 / 2)  # three wrong everywhere, at a rate of two
    await other.admit("s", "10.0.2.9", "pw")


async def test_many_connects_at_once_through_two_workers_admit_exactly_the_cap(workers):
    one, other = workers(Policy(max_concurrent_calls=5, max_calls_per_client=99, max_calls_per_address=99, **OPEN))

    async def connect(n: int) -> str | None:
        try:
            return await (one, other)[n % 2].admit(f"client-{n}", f"10.0.0.{n}", "")
        except Refused:
            return None

    admitted = [slot for slot in await asyncio.gather(*(connect(n) for n in range(20))) if slot]
    assert len(admitted) == 5


async def test_an_overdue_call_goes_to_one_workers_sweep_once_and_back_if_its_hang_up_failed(workers, clock):
    one, other = workers(Policy(max_call_minutes=1, **OPEN))
    await one.call_started(await one.admit("a", "10.0.0.1", ""), "sess_live", live=True)
    await other.call_started(await other.admit("b", "10.0.0.2", ""), "rtc_b")
    clock.now += 61
    swept = await asyncio.gather(one.overdue_calls(), other.overdue_calls())
    assert sorted(swept[0] + swept[1]) == ["rtc_b", "sess_live"]  # each once, whichever worker swept
    assert await other.is_live("sess_live") and not await one.is_live("rtc_b")  # known on every worker
    await one.hang_up_again("rtc_b")
    assert await other.overdue_calls() == ["rtc_b"] and await one.overdue_calls() == []
    await other.call_over("sess_live")
    assert not await one.is_live("sess_live")


async def test_a_call_over_frees_its_slot_on_every_worker(workers):
    one, other = workers(Policy(max_concurrent_calls=1, **OPEN))
    await one.call_started(await one.admit("a", "10.0.0.1", ""), "rtc_a")
    await other.call_over("rtc_a")  # the API closed the call the other worker heard
    await one.admit("b", "10.0.0.2", "")


async def test_redis_keeps_hashes_and_addresses_never_a_browser_token(workers, redis_url):
    one, _ = workers(Policy(**OPEN))
    await one.call_started(await one.admit("token-of-a-browser", "10.0.0.1", ""), "rtc_a")
    async with redis.asyncio.Redis.from_url(redis_url) as client:
        stored = [key async for key in client.scan_iter()]
        for key in stored:
            if (await client.type(key)) == b"hash":
                stored += (await client.hgetall(key)).values()
    assert any(b"10.0.0.1" in key for key in stored)
    assert not any(b"token-of-a-browser" in key for key in stored)


async def test_an_unreachable_redis_refuses_saying_what_to_do_and_logs_once_without_the_password():
    url = "redis://:hunter2-secret@127.0.0.1:9/0"  # the discard port: nothing listens
    client = redis.asyncio.Redis.from_url(url)
    guard = Guard(Policy(), limit_store.shared(1800, lambda: client, "test-down"))
    logged = _Lines()
    logging.getLogger("voice_app").addHandler(logged)
    try:
        for _ in range(3):
            with pytest.raises(Refused, match="cannot check its limits right now: try again in a moment"):
                await guard.admit("a", "10.0.0.1", "")
        assert not await guard.prepare("a")
    finally:
        logging.getLogger("voice_app").removeHandler(logged)
        await client.aclose()
    assert len(logged.lines) == 1, logged.lines
    assert "unreachable" in logged.lines[0] and "hunter2" not in logged.lines[0] and "127.0.0.1" not in logged.lines[0]


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())
