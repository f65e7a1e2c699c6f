"""Usage, cost and latency from GA-shaped events: pure, no network."""

import pytest

from voice_app.realtime import pricing
from voice_app.realtime.insight import Insight

USAGE = {
    "total_tokens": 1700,
    "input_tokens": 1200,
    "output_tokens": 500,
    "input_token_details": {
        "text_tokens": 200,
        "audio_tokens": 1000,
        "image_tokens": 0,
        "cached_tokens": 600,
        "cached_tokens_details": {"text_tokens": 100, "audio_tokens": 500, "image_tokens": 0},
    },
    "output_token_details": {"text_tokens": 100, "audio_tokens": 400},
}


def done(usage=USAGE, status="completed"):
    return {"type": "response.done", "response": {"status": status, "usage": usage}}


def test_cost_bills_cached_tokens_at_the_cached_price_as_part_of_the_input():
    full = pricing.MODEL_PRICES["gpt-realtime-2.1"]
    expected = (
        100 * full.text_in
        + 100 * full.cached_text_in
        + 500 * full.audio_in
        + 500 * full.cached_audio_in
        + 100 * full.text_out
        + 400 * full.audio_out
    ) / 1e6
    assert pricing.response_cost("gpt-realtime-2.1", USAGE) == pytest.approx(expected)
    assert pricing.response_cost("gpt-realtime-2.1-mini", USAGE) < pricing.response_cost("gpt-realtime-2.1", USAGE)


def test_gpt_realtime_2_1_text_output_costs_24_dollars_a_million():
    usage = {"output_tokens": 1_000_000, "output_token_details": {"text_tokens": 1_000_000, "audio_tokens": 0}}
    assert pricing.response_cost("gpt-realtime-2.1", usage) == pytest.approx(24.0)
    assert pricing.response_cost("gpt-realtime-1.5", usage) == pytest.approx(16.0)


def test_reasoning_tokens_count_as_text_output():
    # 300 output tokens: 200 audio, 40 text shown, so 60 of reasoning the text details leave out.
    usage = {"output_tokens": 300, "output_token_details": {"text_tokens": 40, "audio_tokens": 200}}
    prices = pricing.MODEL_PRICES["gpt-realtime-2.1"]
    assert pricing.response_cost("gpt-realtime-2.1", usage) == pytest.approx(
        (100 * prices.text_out + 200 * prices.audio_out) / 1e6
    )


def test_image_input_is_billed_at_the_image_price():
    usage = {"input_tokens": 1000, "input_token_details": {"image_tokens": 1000, "cached_tokens": 0}}
    assert pricing.response_cost("gpt-realtime-2.1", usage) == pytest.approx(1000 * 5.00 / 1e6)


def test_every_model_offered_has_a_price_with_its_source():
    from voice_app.realtime import catalog

    assert set(catalog.MODELS) <= set(pricing.MODEL_PRICES)
    assert set(catalog.TRANSCRIPTION_MODELS) <= set(pricing.TRANSCRIPTION_PER_MINUTE)
    assert pricing.source("gpt-realtime-2.1").endswith("/models/gpt-realtime-2.1")


def test_streaming_transcription_is_billed_by_the_minute():
    assert pricing.transcription_cost("gpt-realtime-whisper", {"type": "duration", "seconds": 60}) == pytest.approx(0.017)
    assert pricing.transcription_cost("gpt-live-transcribe", {"type": "duration", "seconds": 30}) == pytest.approx(0.0085)
    tokens = {"type": "tokens", "input_tokens": 1000, "output_tokens": 100, "total_tokens": 1100}
    assert pricing.transcription_cost("gpt-realtime-whisper", tokens) == 0  # no token price published: no guess


def test_session_totals_add_up_over_responses_and_transcriptions():
    insight = Insight(model="gpt-realtime-2.1", transcription_model="gpt-realtime-whisper")
    assert insight.apply(done()) and insight.apply(done())
    assert insight.apply(
        {"type": "conversation.item.input_audio_transcription.completed", "usage": {"type": "duration", "seconds": 30}}
    )
    summary = insight.summary()
    assert (summary["input_tokens"], summary["output_tokens"], summary["cached_tokens"]) == (2400, 1000, 1200)
    assert summary["responses"] == 2 and summary["audio_tokens"] == 2800
    expected = 2 * pricing.response_cost("gpt-realtime-2.1", USAGE) + 30 / 60 * 0.017
    assert summary["cost"] == f"${expected:.4f}"


def test_latency_runs_from_end_of_speech_to_first_answer_audio():
    insight = Insight()
    insight.apply({"type": "session.updated", "received_ms": 640})
    for stopped, started in ((1000, 1450), (5000, 5300), (9000, 9900)):
        insight.apply({"type": "input_audio_buffer.speech_stopped", "received_ms": stopped})
        insight.apply({"type": "output_audio_buffer.started", "received_ms": started})
    insight.apply({"type": "output_audio_buffer.started", "received_ms": 12000})  # a typed turn: no speech before it
    assert insight.turn_latencies_ms == [450, 300, 900]
    summary = insight.summary()
    assert (summary["connect"], summary["last_latency"], summary["median_latency"]) == ("640 ms", "900 ms", "450 ms")


def test_events_without_usage_or_times_change_nothing():
    insight = Insight()
    assert not insight.apply({"type": "response.done", "response": {"status": "cancelled"}})
    assert not insight.apply({"type": "session.updated"})
    assert not insight.apply({"type": "rate_limits.updated"})
    assert insight.summary()["cost"] == "$0.0000" and insight.summary()["connect"] == "–"


def test_malformed_usage_counts_as_nothing_rather_than_crashing():
    insight = Insight(model="gpt-realtime", transcription_model="whisper-1")
    bad = {
        "input_tokens": "many",
        "output_tokens": True,
        "input_token_details": [1],
        "output_token_details": {"audio_tokens": None},
    }
    assert insight.apply(done(bad))
    assert insight.apply(
        {"type": "conversation.item.input_audio_transcription.completed", "usage": {"type": "tokens", "input_token_details": 3}}
    )
    assert (insight.input_tokens, insight.output_tokens, insight.audio_tokens, insight.cost) == (0, 0, 0, 0.0)


def test_a_moment_no_clock_gives_is_ignored():
    insight = Insight()
    for at in (float("inf"), float("nan"), 1e300, "12"):
        assert not insight.apply({"type": "session.created", "received_ms": at})
    assert insight.connect_ms is None
