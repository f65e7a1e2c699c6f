"""The server's hang-ups and the length limit's sweep: any one failure is logged and stops nothing."""

import asyncio

from voice_app.service import backend, hang_ups, safety


async def test_the_sweep_survives_any_one_failure(monkeypatch):
    tried: list[str] = []
    rounds = iter([RuntimeError("a fault of ours"), ["rtc_fails", "rtc_works"], ["rtc_again"]])

    async def overdue():
        found = next(rounds, [])
        if isinstance(found, Exception):
            raise found
        return found

    async def hang_up(call_id):
        tried.append(call_id)
        if call_id == "rtc_fails":
            raise ConnectionError("the API is unreachable")
        return True

    monkeypatch.setattr(hang_ups, "SWEEP_EVERY_S", 0.01)
    monkeypatch.setattr(backend.GUARD, "overdue_calls", overdue)
    monkeypatch.setattr(backend, "hang_up", hang_up)
    again: list[str] = []

    async def hang_up_again(call_id):
        again.append(call_id)

    monkeypatch.setattr(backend.GUARD, "hang_up_again", hang_up_again)
    async with hang_ups.overdue_calls_hung_up():
        async with asyncio.timeout(5):
            while "rtc_again" not in tried:
                await asyncio.sleep(0.01)
    assert tried == ["rtc_fails", "rtc_works", "rtc_again"]  # past a failing sweep and a failing call
    assert again == ["rtc_fails"]  # handed over again, for the next sweep


async def test_a_hang_up_that_fails_keeps_the_calls_slot(monkeypatch):
    freed: list[str] = []

    async def call_over(call_id):
        freed.append(call_id)

    monkeypatch.setattr(backend.GUARD, "call_over", call_over)

    async def refused(call_id):
        raise ConnectionError("unreachable")

    async def ended(call_id):
        return False  # had ended already

    monkeypatch.setattr(backend, "hang_up", refused)
    await hang_ups.end_call("rtc_a", live=False, why="test")
    monkeypatch.setattr(backend, "hang_up", ended)
    await hang_ups.end_call("rtc_b", live=False, why="test")
    assert freed == ["rtc_b"]


async def test_a_gpt_live_session_at_the_limit_is_closed_whatever_its_id_looks_like(monkeypatch):
    """Its id is opaque: one shaped like a Realtime call's is still closed with session.close."""
    now = [0.0]
    guard = safety.Guard(safety.Policy(), clock=lambda: now[0])
    await guard.call_started(await guard.admit("a", "10.0.0.1", ""), "rtc_looks_like_a_call", live=True)
    await guard.call_started(await guard.admit("b", "10.0.0.2", ""), "rtc_a_call")
    now[0] = 3600.0  # both past the length limit
    closed, hung_up = [], []

    async def close_session(connect, timeout_s):
        closed.append(connect)
        return True

    async def hang_up(call_id):
        hung_up.append(call_id)
        return True

    monkeypatch.setattr(hang_ups, "SWEEP_EVERY_S", 0.01)
    monkeypatch.setattr(backend, "GUARD", guard)
    monkeypatch.setattr(hang_ups.sideband, "close_session", close_session)
    monkeypatch.setattr(hang_ups.sideband, "live_session", lambda client, session_id: session_id)
    monkeypatch.setattr(backend, "sideband_client", lambda: None)
    monkeypatch.setattr(backend, "hang_up", hang_up)
    async with hang_ups.overdue_calls_hung_up():
        async with asyncio.timeout(5):
            while len(closed) + len(hung_up) < 2:
                await asyncio.sleep(0.01)
    assert (closed, hung_up) == (["rtc_looks_like_a_call"], ["rtc_a_call"])
    assert not await guard.is_live("rtc_looks_like_a_call")  # over: forgotten
