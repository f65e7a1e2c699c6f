"""A call's lease and the commands to its holder, on a real Redis (with a password): one holder at
a time, renewal and registry writes fenced to the holder that still has the lease, a lapsed lease
taken over by another, and commands read by whoever holds the call, none lost to a dying holder."""

import asyncio
import dataclasses

import pytest

from tests.call_holder_child import StandInPage
from voice_app.service import call_commands, call_holder, call_leases, shared_redis
from voice_app.service.call_leases import HeldCall


@pytest.fixture
async def store(redis_url, monkeypatch):
    monkeypatch.setattr(shared_redis, "CONFIG", shared_redis.CONFIG.model_copy(update={"reflex_redis_url": redis_url}))
    monkeypatch.setattr(call_leases, "LEASE_TTL_S", 0.5)  # a lapse within the test's time
    client = shared_redis.client()
    await client.flushdb()
    return call_leases.leases()


def a_call(call_id: str = "rtc_lease") -> HeldCall:
    return HeldCall(call_id, False, "token", "owner", "", {"model": "gpt-realtime-2.1"}, "slot", "mark")


async def lapsed_ids(store) -> list[str]:
    return [call.call_id for call in await store.lapsed()]


async def test_a_lease_is_taken_once_and_renewed_or_written_only_by_its_holder(store):
    assert isinstance(store, call_leases.RedisLeases)
    assert await store.take("rtc_lease", "a") and not await store.take("rtc_lease", "b")
    assert await store.note("a", a_call()) and not await store.note("b", dataclasses.replace(a_call(), owner="mallory"))
    assert await store.renew("rtc_lease", "a") and not await store.renew("rtc_lease", "b")
    await store.release("rtc_lease", "b")  # not b's: nothing happens
    assert await store.held("rtc_lease") and await lapsed_ids(store) == []
    [kept] = [HeldCall.loads(text) for text in (await shared_redis.client().hgetall(call_leases.CALLS)).values()]
    assert kept == a_call()


async def test_a_lapsed_lease_is_taken_over_and_its_first_holder_is_fenced_out(store):
    assert await store.take("rtc_lease", "a") and await store.note("a", a_call())
    async with asyncio.timeout(10):  # "a" died: its lease runs out
        while await lapsed_ids(store) != ["rtc_lease"]:
            await asyncio.sleep(0.05)
    assert await store.take("rtc_lease", "b")
    assert not await store.renew("rtc_lease", "a"), "the first holder finds out it lost the call"
    assert not await store.note("a", dataclasses.replace(a_call(), bound=True))
    await store.forget("a", "rtc_lease")  # not a's any more: the call stays registered
    assert await store.held("rtc_lease") and await lapsed_ids(store) == []
    await store.forget("b", "rtc_lease")  # the call is over
    assert not await store.held("rtc_lease")


async def test_commands_wait_for_whoever_holds_the_call_and_reach_no_call_not_held(store):
    assert not await call_commands.send("rtc_lease", {"kind": call_commands.CLOSE}), "no such call held"
    assert await store.take("rtc_lease", "a") and await store.note("a", a_call())
    assert await call_commands.send("rtc_lease", {"kind": call_commands.ANSWER, "request_id": "mcpr_1", "approve": True})
    [(first_id, first)] = await call_commands.read("rtc_lease", "0")  # "a" reads it, then dies before noting it
    assert first == {"kind": call_commands.ANSWER, "request_id": "mcpr_1", "approve": True}
    assert await call_commands.send("rtc_lease", {"kind": call_commands.TOOLS, "tools": []})  # sent while none holds it
    again = await call_commands.read("rtc_lease", a_call().read)  # the takeover reads on from the last noted
    assert [command["kind"] for _, command in again] == [call_commands.ANSWER, call_commands.TOOLS]
    assert await call_commands.read("rtc_lease", again[-1][0]) == []  # nothing more, after a wait
    await call_commands.forget("rtc_lease")
    assert not await shared_redis.client().exists(call_commands.stream_key("rtc_lease"))


class HeldUntilCancelled:
    """A hearing that holds its call until cancelled, and answers every approval request."""

    leaving, acting = False, True

    async def hold(self):
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.leaving = True
            raise

    async def answer(self, request_id, approve):
        return request_id == "mcpr_heard"

    async def handed_over(self, flush):
        self.flushed = flush


async def test_the_holder_does_what_any_worker_sends_and_stops_once_its_lease_is_taken(store, monkeypatch):
    monkeypatch.setattr(call_holder, "RENEW_EVERY_S", 0.05)
    page = StandInPage()
    holder = call_holder.Holder(page, a_call())
    holder.hearing = HeldUntilCancelled()
    holding = asyncio.create_task(holder.hold())
    async with asyncio.timeout(10):
        while not await store.held("rtc_lease"):
            await asyncio.sleep(0.02)
    for request_id in ("mcpr_heard", "mcpr_made_up"):  # from any worker: the stream reaches the holder
        assert await call_commands.send("rtc_lease", {"kind": call_commands.ANSWER, "request_id": request_id, "approve": True})
    async with asyncio.timeout(10):
        while len(page.told) < 2:
            await asyncio.sleep(0.02)
    assert page.told == [("answered", "mcpr_heard", True), ("answered", "mcpr_made_up", False)]
    await shared_redis.client().set(call_leases.lease_key("rtc_lease"), "another")  # it lapsed and was taken
    async with asyncio.timeout(10):
        assert await holding, "it stops by itself"
    assert holder.deposed and await shared_redis.client().get(call_leases.lease_key("rtc_lease")) == b"another"
    assert holder.hearing.flushed is False, "another holder saves the call now: nothing more is written from here"
    assert await store.held("rtc_lease"), "the call goes on under the other holder"


async def test_a_holder_whose_redis_restarted_empty_takes_its_lease_and_registry_entry_again(store, monkeypatch):
    monkeypatch.setattr(call_holder, "RENEW_EVERY_S", 0.05)
    holder = call_holder.Holder(StandInPage(), a_call())
    holder.hearing = HeldUntilCancelled()
    holding = asyncio.create_task(holder.hold())
    async with asyncio.timeout(10):
        while not await store.held("rtc_lease"):
            await asyncio.sleep(0.02)
    await shared_redis.client().flushdb()  # a Redis restarted without its data: no lease, no registry
    async with asyncio.timeout(10):
        while not await store.held("rtc_lease"):
            await asyncio.sleep(0.02)
    assert not holding.done() and not holder.deposed, "it holds the call still"
    assert await shared_redis.client().get(call_leases.lease_key("rtc_lease")) == holder.me.encode()
    assert not await store.take("rtc_lease", "another"), "so no other worker takes it over"
    holding.cancel()
    await asyncio.gather(holding, return_exceptions=True)
