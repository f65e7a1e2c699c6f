from tests.realtime.test_transcript import assistant, ev, user_text
from voice_app.realtime import bounds
from voice_app.realtime.transcript import Transcript


def test_what_a_page_reports_is_cut_to_size():
    assert len(bounds.batch([{}] * 10_000)) == bounds.MAX_BATCH_EVENTS and bounds.batch("junk") == []
    long = bounds.text("x" * 100_000)
    assert len(long) == bounds.MAX_TEXT_CHARS and long.endswith(bounds.CUT) and bounds.text("short") == "short"
    mics = bounds.microphones([{"id": "m" * 1000, "label": "l" * 1000}] * 100 + ["junk"])
    assert len(mics) == bounds.MAX_MICROPHONES and len(mics[0]["id"]) == bounds.MAX_LABEL_CHARS
    log = bounds.log_entries([{"json": "j" * 1_000_000, "type": "t"}, "junk"])
    assert len(log) == 1 and len(log[0]["json"]) == bounds.MAX_LOG_CHARS


def test_a_conversation_stops_growing_at_its_limits(monkeypatch):
    monkeypatch.setattr(bounds, "MAX_ENTRIES", 3)
    t = Transcript()
    for n in range(5):
        t.apply_all(user_text(f"item_{n}", "hi"))
    assert len(t.entries) == 3
    t.apply(ev("conversation.item.added", item=assistant("item_x", "item_0"), previous_item_id=None))
    assert len(t.entries) == 3, "no more, whoever adds it"
    for n in range(bounds.MAX_LIVE_ITEMS + 10):
        t.apply(ev("response.output_audio_transcript.delta", item_id=f"item_live{n}", delta="w "))
    assert len(t.live) == bounds.MAX_LIVE_ITEMS
    t.apply_all([ev("response.output_audio_transcript.delta", item_id="item_live0", delta="x" * 15_000) for _ in range(3)])
    assert len(t.live["item_live0"]) == bounds.MAX_TEXT_CHARS


def test_history_full_says_whose_limit():
    assert bounds.history_full(0, 0) == ""
    assert bounds.history_full(bounds.MAX_CONVERSATIONS_PER_BROWSER, 1) == bounds.FULL_HISTORY
    assert bounds.history_full(1, bounds.MAX_CONVERSATIONS) == bounds.FULL_APP


def test_ids_no_api_would_send_are_dropped_and_kept_within_bounds():
    (fine,), (long_id,) = user_text("item_ok", "hi"), user_text("item_" + "x" * 500, "hi")
    not_text = ev("response.output_audio_transcript.delta", item_id={"nested": "x"}, delta="hi")
    assert bounds.batch([fine, long_id, not_text, "not an event"]) == [fine]
    transcript = Transcript()
    nudges = [ev("input_audio_buffer.timeout_triggered", item_id=f"item_{n}") for n in range(bounds.MAX_GIVEN + 50)]
    transcript.take(nudges)
    assert len(transcript.given) == bounds.MAX_GIVEN  # a flood of made-up ids stops at the bound


def test_an_event_log_entry_keeps_only_what_the_page_logs():
    entry = {"direction": "in", "type": "session.created", "ms": 3, "json": "{}", **{f"k{n}" * 50: "v" for n in range(100)}}
    assert bounds.log_entries([entry]) == [{"direction": "in", "type": "session.created", "ms": "3", "json": "{}"}]
