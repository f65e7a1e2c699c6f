import sys

import pytest

from voice_app.safety import Guard, Policy, Refused, safety_identifier


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_access_code_is_required_and_wrong_codes_are_rate_limited():
    clock = Clock()
    guard = Guard(Policy(access_code="open sesame", wrong_codes_per_10_minutes=3), clock)
    for _ in range(3):
        with pytest.raises(Refused, match="not right"):
            guard.admit("client-a", "guess")
    with pytest.raises(Refused, match="Too many wrong access codes: try again in 10 min") as refused:
        guard.admit("client-a", "open sesame")  # even the right code waits now
    assert refused.value.retry_after_s == pytest.approx(600)
    guard.admit("client-b", "open sesame")  # others are not held up
    clock.now += 601
    guard.admit("client-a", "open sesame")


def test_mints_are_limited_per_client_and_for_everyone():
    clock = Clock()
    guard = Guard(Policy(mints_per_client_per_hour=2, mints_per_minute=3, max_concurrent_calls=99), clock)
    guard.admit("a", "")
    guard.admit("a", "")
    with pytest.raises(Refused, match="You have started too many calls recently: try again in 60 min"):
        guard.admit("a", "")
    guard.admit("b", "")
    with pytest.raises(Refused, match="This app has started too many calls recently: try again in 60 s"):
        guard.admit("c", "")
    clock.now += 61
    guard.admit("c", "")


def test_concurrent_calls_are_capped_and_freed_by_hanging_up_or_by_the_length_limit():
    clock = Clock()
    guard = Guard(Policy(max_concurrent_calls=2, max_call_minutes=30), clock)
    guard.admit("a", "")
    guard.admit("b", "")
    with pytest.raises(Refused, match="simultaneous calls"):
        guard.admit("c", "")
    guard.call_ended("a")
    guard.admit("c", "")
    clock.now += 31 * 60  # b and c vanished without hanging up
    guard.admit("d", "")


def test_policy_reads_the_environment_with_safe_defaults():
    policy = Policy.from_environment({"APP_ACCESS_CODE": " pw ", "APP_MAX_CONCURRENT_CALLS": "3", "APP_MINTS_PER_MINUTE": "x"})
    assert policy.access_code == "pw" and policy.max_concurrent_calls == 3 and policy.mints_per_minute == 60
    assert "pw" not in repr(policy)
    assert not Guard(Policy.from_environment({})).needs_code
    assert Policy.from_environment({"APP_MAX_CALL_MINUTES": "0.25"}).max_call_minutes == 0.25
    assert Policy.from_environment({"APP_MAX_CALL_MINUTES": "600"}).max_call_minutes == 60


def test_safety_identifier_is_a_keyed_hash_not_the_id():
    ident = safety_identifier("token-123", "salt")
    assert len(ident) == 64 and "token-123" not in ident
    assert ident == safety_identifier("token-123", "salt") != safety_identifier("token-123", "other salt")


def test_logs_redact_keys_secrets_and_bearer_tokens(capsys):
    from voice_app.logs import get_logger, redact

    assert redact("key sk-proj-abc123XYZ and ek_68af0e9d then Bearer abc.def") == "key [redacted] and [redacted] then Bearer [redacted]"
    handler = get_logger().handlers[0]
    earlier = handler.setStream(sys.stderr)  # capsys's: an earlier test may have made the handler
    try:
        get_logger().info("minted with %s", "sk-live-0123456789")
    finally:
        if earlier is not None:  # None: it was capsys's already
            handler.setStream(earlier)
    logged = capsys.readouterr().err
    assert "minted with [redacted]" in logged and "0123456789" not in logged


def test_calls_past_the_length_limit_are_handed_over_once_to_be_hung_up():
    clock = Clock()
    guard = Guard(Policy(max_call_minutes=1), clock)
    guard.admit("reported", "")
    guard.call_started("reported", "rtc_1")
    guard.admit("unreported", "")  # a page that never said which call it opened
    guard.admit("ended", "")
    guard.call_started("ended", "rtc_2")
    guard.call_ended("ended")
    guard.call_started("never admitted", "rtc_3")
    clock.now += 30
    assert guard.overdue_calls() == []
    clock.now += 31
    assert guard.overdue_calls() == ["rtc_1"]
    assert guard.overdue_calls() == []


def test_a_mint_prepared_ahead_of_a_connect_is_counted_once_and_only_when_a_connect_would_pass():
    clock = Clock()
    guard = Guard(Policy(mints_per_client_per_hour=2, mints_per_minute=99, max_concurrent_calls=99), clock)
    assert guard.prepare("a")
    guard.admit("a", "", prepared=True)  # the connect that uses it counts no second mint
    guard.call_ended("a")
    assert guard.prepare("a")
    guard.admit("a", "", prepared=True)  # its own mint filled the window: it is not refused for it
    guard.call_ended("a")
    assert not guard.prepare("a")  # a connect would be refused now: nothing is minted ahead
    with pytest.raises(Refused, match="You have started too many calls recently"):
        guard.admit("a", "")  # the click is refused as clearly as ever
    clock.now += 3601
    assert guard.prepare("a")


def test_nothing_is_prepared_behind_an_access_code_or_past_the_call_cap():
    clock = Clock()
    coded = Guard(Policy(access_code="pw", mints_per_client_per_hour=1), clock)
    assert not coded.prepare("a")
    with pytest.raises(Refused, match="not right"):
        coded.admit("a", "guess", prepared=True)  # the code is checked whatever was prepared
    coded.admit("a", "pw")  # nothing was counted by the refused prepare
    capped = Guard(Policy(max_concurrent_calls=1, mints_per_client_per_hour=1), clock)
    capped.admit("a", "")
    assert not capped.prepare("b")
    with pytest.raises(Refused, match="simultaneous calls"):
        capped.admit("b", "", prepared=True)
    capped.call_ended("a")
    capped.admit("b", "")  # b's window is still empty: the refused prepare counted nothing


def test_a_call_the_api_ended_frees_its_slot_whatever_its_page_said():
    guard = Guard(Policy(max_concurrent_calls=1), Clock())
    guard.admit("closed tab", "")
    guard.call_started("closed tab", "rtc_gone")
    with pytest.raises(Refused, match="simultaneous calls"):
        guard.admit("next", "")
    guard.call_over("rtc_other")  # another call's end frees nothing
    with pytest.raises(Refused):
        guard.admit("next", "")
    guard.call_over("rtc_gone")
    guard.admit("next", "")
