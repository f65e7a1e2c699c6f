import sys

import pytest

from tests import guards
from voice_app.config import Config
from voice_app.service.limit_windows import BoundedMemory, Windows, window
from voice_app.service.safety import Guard, Policy, Refused, safety_identifier

clock, storage = guards.clock, guards.storage  # fixtures


async def test_wrong_codes_are_limited_per_address_whatever_session_they_come_from(storage, clock):
    guard = storage(Policy(access_code="open sesame"))
    for n in range(5):  # a new browser session for every guess changes nothing
        with pytest.raises(Refused, match="not right"):
            await guard.admit(f"session-{n}", "10.0.0.9", "guess")
        clock.now += 10
    with pytest.raises(Refused, match="Too many wrong access codes from your network: try again in 9 min") as refused:
        await guard.admit("session-5", "10.0.0.9", "guess")  # the sixth within a minute: not even checked
    assert refused.value.retry_after_s == pytest.approx(550)
    with pytest.raises(Refused, match="Too many wrong access codes"):
        await guard.admit("session-6", "10.0.0.9", "open sesame")  # even the right code waits now
    await guard.admit("session-7", "10.0.0.10", "open sesame")  # another address is not held up
    clock.now += 551
    await guard.admit("session-8", "10.0.0.9", "open sesame")


async def test_a_guessing_attack_spread_over_addresses_slows_every_code_check_but_refuses_no_right_code(storage, clock):
    guard = storage(Policy(access_code="pw", wrong_codes_per_minute=20, max_code_delay_s=10, max_concurrent_calls=99))
    assert await guard.code_delay_s() == 0

    async def guesses(count: int, first: int = 0):
        for n in range(first, first + count):  # four each: every address stays below its own limit
            with pytest.raises(Refused, match="not right"):
                await guard.admit(f"session-{n}", f"10.0.{n // 4}.1", "guess")

    await guesses(20)
    assert await guard.code_delay_s() == 0  # at the rate, not past it
    await guesses(1, 20)
    assert await guard.code_delay_s() == pytest.approx(21 / 20)
    await guesses(59, 21)
    assert await guard.code_delay_s() == pytest.approx(4)  # four times the rate: 4 s
    await guesses(400, 80)
    assert await guard.code_delay_s() == 10  # at most
    clock.now += await guard.code_delay_s()  # the caller awaits it, then checks
    await guard.admit("the user", "192.0.2.7", "pw")  # a right code still gets in
    clock.now += 61
    assert await guard.code_delay_s() == 0
    assert await Guard(Policy(wrong_codes_per_minute=0)).code_delay_s() == 0  # no code, no slow-down


async def test_the_in_process_window_table_stays_bounded_and_keeps_the_app_wide_counts(clock):
    memory = BoundedMemory(keys=100)
    windows, item = Windows(lambda: memory, clock), window(5, 600, "test")
    for n in range(2_000):  # made-up sessions or addresses
        assert await windows.hit(item, str(n))
        clock.now += 0.01
    assert len(memory.events) <= 100 and len(memory.locks) <= 100
    assert await windows.count(item, "1999") == 1 and await windows.count(item, "0") == 0  # the oldest went first
    guard = Guard(Policy(access_code="pw", remembered_keys=50, wrong_codes_per_minute=50), clock=clock)
    for n in range(500):  # guesses from as many addresses: the slow-down for everyone still counts them all
        with pytest.raises(Refused):
            await guard.admit(f"session-{n}", f"address-{n}", "guess")
    storage = guard.store.windows._storage()
    assert len(storage.events) <= 50 and len(storage.locks) <= 50
    assert await guard.code_delay_s() == 10  # 500 a minute against 50: at most


async def test_mints_are_limited_per_client_and_for_everyone(storage, clock):
    guard = storage(Policy(mints_per_client_per_hour=2, mints_per_minute=3, max_concurrent_calls=99))
    await guard.admit("a", "ip", "")
    await guard.admit("a", "ip", "")
    with pytest.raises(Refused, match="You have started too many calls recently: try again in 60 min"):
        await guard.admit("a", "ip", "")
    await guard.admit("b", "ip", "")
    with pytest.raises(Refused, match="This app has started too many calls recently: try again in 60 s"):
        await guard.admit("c", "ip", "")
    clock.now += 61
    await guard.admit("c", "ip", "")


async def test_a_connect_whose_mint_cannot_be_counted_gives_its_slot_back(storage, clock, monkeypatch):
    guard = storage(Policy(max_concurrent_calls=1))
    windows = guard.store.windows
    hit = windows.hit

    async def storage_gone(item, key):
        raise ConnectionError("the storage went away after the slot was taken")

    monkeypatch.setattr(windows, "hit", storage_gone)
    with pytest.raises(Refused, match="cannot check its limits"):
        await guard.admit("a", "10.0.0.1", "")
    monkeypatch.setattr(windows, "hit", hit)
    await guard.admit("b", "10.0.0.2", "")  # the only slot was given back


async def test_a_slot_belongs_to_a_call_not_a_client(storage, clock):
    guard = storage(Policy(max_concurrent_calls=3, max_calls_per_client=2, max_call_minutes=30))
    first = await guard.admit("a", "ip", "")
    second = await guard.admit("a", "ip", "")  # connected again: the first call (its page may keep it) still counts
    assert first != second
    await guard.call_started(first, "rtc_1")
    await guard.call_started(second, "rtc_2")
    await guard.call_started(second, "rtc_other")  # one call per slot
    with pytest.raises(Refused, match="This browser already holds 2 calls"):
        await guard.admit("a", "ip", "")
    third = await guard.admit("b", "ip", "")
    with pytest.raises(Refused, match="simultaneous calls"):
        await guard.admit("c", "ip", "")
    await guard.release(third)  # no secret reached b's page: no call can exist
    await guard.admit("c", "ip", "")
    await guard.call_over("rtc_other")  # frees nothing
    with pytest.raises(Refused, match="simultaneous calls"):
        await guard.admit("d", "ip", "")
    await guard.call_over("rtc_1")
    await guard.admit("d", "ip", "")
    clock.now += 31 * 60  # a's second call, c's and d's outlived the limit
    assert await guard.overdue_calls() == ["rtc_2"]  # each hung up by the server, once; c and d named none
    await guard.admit("a", "ip", "")
    await guard.admit("a", "ip", "")


def test_policy_takes_the_operators_settings():  # their ranges and defaults: tests/test_config.py
    assert Policy.from_config(Config.from_environ({})) == Policy()
    assert not Guard(Policy.from_config(Config.from_environ({}))).needs_code
    policy = Policy.from_config(
        Config.from_environ(
            {
                "APP_ACCESS_CODE": " pw ",
                "APP_MINTS_PER_CLIENT_PER_HOUR": "7",
                "APP_MINTS_PER_MINUTE": "8",
                "APP_MAX_CONCURRENT_CALLS": "3",
                "APP_MAX_CALL_MINUTES": "0.25",
                "APP_WRONG_CODES_PER_MINUTE": "50",
                "APP_MAX_CALLS_PER_CLIENT": "0",
                "APP_MAX_CALLS_PER_ADDRESS": "4",
            }
        )
    )
    assert policy == Policy(
        access_code="pw",
        mints_per_client_per_hour=7,
        mints_per_minute=8,
        max_concurrent_calls=3,
        max_call_minutes=0.25,
        wrong_codes_per_minute=50,
        max_calls_per_client=0,
        max_calls_per_address=4,
    )
    assert "pw" not in repr(policy)


def test_safety_identifier_is_a_keyed_hash_not_the_id():
    ident = safety_identifier("token-123", "salt")
    assert len(ident) == 64 and "token-123" not in ident
    assert ident == safety_identifier("token-123", "salt") != safety_identifier("token-123", "other salt")


def test_logs_redact_keys_secrets_and_bearer_tokens(capsys):
    from voice_app.service.logs import get_logger, redact

    assert (
        redact("key sk-proj-abc123XYZ and ek_68af0e9d then Bearer abc.def")
        == "key [redacted] and [redacted] then Bearer [redacted]"
    )
    handler = get_logger().handlers[0]
    earlier = handler.setStream(sys.stderr)  # capsys's: an earlier test may have made the handler
    try:
        get_logger().info("minted with %s", "sk-live-0123456789")
        try:
            raise ValueError("rejected key sk-live-9876543210")
        except ValueError:
            get_logger().exception("a failure")  # the traceback's text is redacted too
    finally:
        if earlier is not None:  # None: it was capsys's already
            handler.setStream(earlier)
    logged = capsys.readouterr().err
    assert "minted with [redacted]" in logged and "0123456789" not in logged
    assert "ValueError: rejected key [redacted]" in logged and "9876543210" not in logged


async def test_calls_past_the_length_limit_are_handed_over_once_to_be_hung_up(storage, clock):
    guard = storage(Policy(max_call_minutes=1))
    await guard.call_started(await guard.admit("reported", "ip", ""), "rtc_1")
    await guard.admit("unreported", "ip", "")  # a page that never said which call it opened
    ended = await guard.admit("ended", "ip", "")
    await guard.call_started(ended, "rtc_2")
    await guard.call_over("rtc_2")
    await guard.call_started("never admitted", "rtc_3")
    clock.now += 30
    assert await guard.overdue_calls() == []
    clock.now += 31
    assert await guard.overdue_calls() == ["rtc_1"]
    assert await guard.overdue_calls() == []


async def test_a_mint_prepared_ahead_of_a_connect_is_counted_once_and_only_when_a_connect_would_pass(storage, clock):
    guard = storage(Policy(mints_per_client_per_hour=2, mints_per_minute=99, max_concurrent_calls=99))
    assert await guard.prepare("a")
    await guard.release(await guard.admit("a", "ip", "", prepared=True))  # the connect that uses it counts no second mint
    assert await guard.prepare("a")
    await guard.release(
        await guard.admit("a", "ip", "", prepared=True)
    )  # its own mint filled the window: it is not refused for it
    assert not await guard.prepare("a")  # a connect would be refused now: nothing is minted ahead
    with pytest.raises(Refused, match="You have started too many calls recently"):
        await guard.admit("a", "ip", "")  # the click is refused as clearly as ever
    clock.now += 3601
    assert await guard.prepare("a")


async def test_nothing_is_prepared_behind_an_access_code_or_past_the_call_caps(storage, clock):
    coded = storage(Policy(access_code="pw", mints_per_client_per_hour=1))
    assert not await coded.prepare("a")
    with pytest.raises(Refused, match="not right"):
        await coded.admit("a", "ip", "guess", prepared=True)  # the code is checked whatever was prepared
    await coded.admit("a", "ip", "pw")  # nothing was counted by the refused prepare
    capped = storage(Policy(max_concurrent_calls=1, mints_per_client_per_hour=1))
    slot = await capped.admit("a", "ip", "")
    assert not await capped.prepare("b")
    with pytest.raises(Refused, match="simultaneous calls"):
        await capped.admit("b", "ip", "", prepared=True)
    await capped.release(slot)
    await capped.admit("b", "ip", "")  # b's window is still empty: the refused prepare counted nothing
    one_each = storage(Policy(max_calls_per_client=1))
    await one_each.admit("a", "ip", "")
    assert not await one_each.prepare("a") and await one_each.prepare("b")


async def test_one_address_cannot_fill_the_cap_with_new_sessions(storage, clock):
    guard = storage(Policy(max_concurrent_calls=10, max_calls_per_address=2))
    await guard.admit("a", "10.0.0.1", "")
    await guard.admit("b", "10.0.0.1", "")
    with pytest.raises(Refused, match="Your network already holds"):
        await guard.admit("c", "10.0.0.1", "")  # a new session changes nothing
    await guard.admit("c", "10.0.0.2", "")


async def test_a_call_whose_hang_up_failed_at_the_limit_is_handed_over_again(storage, clock):
    guard = storage(Policy(max_call_minutes=1))
    await guard.call_started(await guard.admit("a", "10.0.0.1", ""), "rtc_a")
    clock.now += 61
    assert await guard.overdue_calls() == ["rtc_a"]
    await guard.hang_up_again("rtc_a")
    assert await guard.overdue_calls() == ["rtc_a"] and await guard.overdue_calls() == []


async def test_an_ipv6_host_guesses_as_one_whatever_address_of_its_64_it_uses(storage, clock):
    guard = storage(Policy(access_code="right", wrong_codes_per_10_minutes=2))
    for n in range(2):
        with pytest.raises(Refused, match="not right"):
            await guard.admit(f"s{n}", f"2001:db8:1:2::{n + 1}", "wrong")
    with pytest.raises(Refused, match="Too many wrong access codes"):
        await guard.admit("s9", "2001:db8:1:2:ffff::9", "right")
    await guard.admit("t", "2001:db8:1:3::1", "right")  # another /64
