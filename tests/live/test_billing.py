"""What a GPT-Live call costs, to the cent against the model pages: its seconds (the startup
seconds of a session created and abandoned included) and its delegated Responses calls' tokens."""

import pytest
from openai.types.responses import ResponseUsage

from tests.live.test_translate import delegated, live
from voice_app.live.translate import CREATED, LiveEvents
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.insight import Insight


def completed(usage: dict, number: int = 1) -> dict:
    ResponseUsage.model_validate(usage)  # shaped as the package's Responses usage
    response = {
        "id": f"resp_{number}",
        "object": "response",
        "created_at": 1,
        "model": "gpt-6-luna",
        "output": [],
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "status": "completed",
        "usage": usage,
    }
    return delegated({"type": "response.completed", "sequence_number": 9, "response": response})


def usage(inp: int, out: int, cached: int = 0, written: int = 0) -> dict:
    return {
        "input_tokens": inp,
        "output_tokens": out,
        "total_tokens": inp + out,
        "output_tokens_details": {"reasoning_tokens": 0},
        "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": written},
    }


def billed(events: list[dict], model: str = "gpt-live-1.1") -> Insight:
    insight, live_events = Insight(model=model), LiveEvents("live_1")
    for event in events:  # the app's own event is made by the app, not translated
        for made in [event] if event["type"] == CREATED else live_events.take([event]):
            insight.apply(made)
    return insight


def test_delegated_calls_are_billed_at_gpt_6_luna_prices_beside_the_seconds():
    # gpt-6-luna, per million: $0.10 in, $0.01 cached, $0.125 cache writes, $0.50 out. Each call:
    # 120k uncached + 50k cached + 30k written in, 20k out = $0.012 + $0.0005 + $0.00375 + $0.01.
    calls = [completed(usage(200_000, 20_000, cached=50_000, written=30_000), number) for number in range(10)]
    insight = billed([*calls, live("session.usage.updated", usage={"seconds": 90, "active_seconds": 90, "paused_seconds": 0})])
    assert insight.cost == pytest.approx(10 * 0.02625 + 90 / 60 * 0.05)  # $0.2625 of tokens, $0.075 of voice
    assert insight.summary()["cost"] == "$0.3375"
    assert (insight.input_tokens, insight.cached_tokens, insight.output_tokens, insight.responses) == (
        2_000_000,
        500_000,
        200_000,
        10,
    )


def test_a_delegated_request_past_272k_input_tokens_costs_twice_the_input_and_half_again_the_output():
    insight = billed([completed(usage(300_000, 10_000))])
    assert insight.cost == pytest.approx(300_000 * 0.20 / 1e6 + 10_000 * 0.75 / 1e6)  # $0.06 + $0.0075


def test_a_repeated_or_usageless_end_bills_nothing_more():
    once = completed(usage(100_000, 0))
    assert billed([once, once]).cost == pytest.approx(0.01)
    failed = delegated({"type": "response.failed", "sequence_number": 3, "response": {"id": "resp_9", "usage": None}})
    assert billed([failed]).cost == 0 and billed([failed]).responses == 0


def test_a_created_session_costs_its_startup_seconds_which_the_running_session_absorbs():
    created = {"type": CREATED}
    abandoned = billed([created])
    assert (abandoned.live_seconds, round(abandoned.cost, 4)) == (15, 0.0125)  # 15 s at $0.05 a minute
    assert billed([created, created]).cost == pytest.approx(0.0125)
    short = billed([created, live("session.usage.updated", usage={"seconds": 10})])
    assert (short.live_seconds, short.cost) == (15, pytest.approx(0.0125))
    ran = billed([created, live("session.usage.updated", usage={"seconds": 90, "active_seconds": 90, "paused_seconds": 0})])
    assert (ran.live_seconds, ran.cost) == (90, pytest.approx(0.075))  # not 105 s: the startup is credited
    standby = billed([created, live("session.usage.updated", usage={"seconds": 30, "active_seconds": 10, "paused_seconds": 20})])
    assert standby.cost == pytest.approx((10 * 0.05 + 20 * 0.02) / 60)  # $0.015: more than the startup's $0.0125
    assert billed([live("session.usage.updated", usage={"seconds": 10})]).cost == pytest.approx(10 / 60 * 0.05)


def test_the_saved_record_bills_what_the_page_shows():
    events, record = LiveEvents("live_1"), CallRecord(insight=Insight(model="gpt-live-1.1"))
    record.take_all([{"type": CREATED}])
    assert record.take_all(events.take([completed(usage(1_000_000 // 4, 40_000))])).save
    assert record.usage()["cost_usd"] == pytest.approx(0.0125 + 0.025 + 0.02)


def test_the_simulators_backend_writes_a_long_prompt_to_the_cache_once_and_reads_it_after():
    from voice_app.simulator.live.responses_stream import ResponseStream

    sent: list[dict] = []
    prompt = "Use the tools. " * 400  # 6,000 characters: about 1,500 tokens, 1,408 of them cacheable
    for cached in (False, True):
        ResponseStream(sent.append, "gpt-6-luna", prompt, cached).completed("What time is it?", "Noon.")
    first, second = (ResponseUsage.model_validate(event["response"]["usage"]) for event in sent)
    assert (first.input_tokens_details.cache_write_tokens, first.input_tokens_details.cached_tokens) == (1408, 0)
    assert (second.input_tokens_details.cache_write_tokens, second.input_tokens_details.cached_tokens) == (0, 1408)
    assert first.input_tokens == second.input_tokens == 1500 + 4


def test_a_snapshot_is_taken_whole_as_paused_time_uses_up_the_prepaid_seconds():
    # active_seconds count unused prepaid time: 7 + 8, then 5 + 25. Not max(7, 5) + 25 = 32 s.
    insight = billed(
        [
            {"type": CREATED},
            live("session.usage.updated", usage={"seconds": 15, "active_seconds": 7, "paused_seconds": 8}),
            live("session.usage.updated", usage={"seconds": 30, "active_seconds": 5, "paused_seconds": 25}),
        ]
    )
    assert (insight.live_seconds, insight.cost) == (30, pytest.approx(0.0125))  # (5 x $0.05 + 25 x $0.02) / 60
    older = live("session.usage.updated", usage={"seconds": 15, "active_seconds": 7, "paused_seconds": 8})
    assert insight.apply(LiveEvents("live_1").take([older])[0]) is False  # an older snapshot changes nothing
