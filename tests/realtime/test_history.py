from voice_app.realtime.history import Usage, owner_id, placed, restored, title_for, usage_from_json
from voice_app.realtime.insight import Insight


def test_the_owner_is_a_hash_never_the_browser_key():
    owner = owner_id("browser-secret")
    assert owner != "browser-secret" and "browser-secret" not in owner
    assert len(owner) == 64
    assert owner == owner_id("browser-secret") != owner_id("another-browser")


def test_the_title_is_the_first_thing_the_user_said_cut_short():
    entries = [
        {"role": "assistant", "text": "Hello, how can I help?"},
        {"role": "user", "text": "   "},
        {"role": "user", "text": "Tell me\nabout   the lighthouse " + "keeper " * 20},
    ]
    title = title_for(entries)
    assert title.startswith("Tell me about the lighthouse keeper")
    assert len(title) == 60 and title.endswith("…")
    assert title_for([{"role": "user", "text": "Short"}]) == "Short"
    assert title_for([]) == "Conversation"


def test_usage_adds_the_current_call_to_the_earlier_ones():
    usage = Usage(earlier={"input_tokens": 100, "output_tokens": 50, "responses": 2, "cost_usd": 0.01})
    current = Insight(input_tokens=10, output_tokens=5, audio_tokens=7, responses=1, cost=0.002)
    total = usage.total(current)
    assert total["input_tokens"] == 110 and total["output_tokens"] == 55 and total["responses"] == 3
    assert total["audio_tokens"] == 7 and total["cached_tokens"] == 0
    assert total["cost_usd"] == 0.012


def test_a_restored_conversation_settles_what_was_still_streaming():
    entries = [
        {"id": "item_1", "role": "user", "text": "Hi", "status": "done", "at": "t1"},
        {"id": "item_2", "role": "assistant", "text": "Hel", "status": "in_progress", "at": "t2"},
    ]
    transcript = restored(entries)
    assert [e["status"] for e in transcript.entries] == ["done", "interrupted"]
    assert transcript.entries[1]["text"] == "Hel"
    assert transcript.entries[0] == entries[0]


def test_damaged_saved_data_comes_back_empty_not_as_a_crash():
    assert restored({"entries": 1}).entries == []
    assert restored([1, "x", {"id": "a", "role": "user", "text": 5, "status": "done", "at": ""}]).entries == [
        {"id": "a", "role": "user", "text": "5", "status": "done", "at": ""}
    ]
    assert usage_from_json("nope") == {} and usage_from_json("[1]") == {}
    assert usage_from_json('{"responses": 3}') == {"responses": 3}


def test_the_entries_to_save_are_found_with_their_places():
    entries = [{"id": f"item_{n}"} for n in range(6)]
    assert placed(entries, {"item_4", "item_1", "gone"}) == [(1, entries[1]), (4, entries[4])]
    assert placed(entries, set()) == []
    assert placed(entries, None) == list(enumerate(entries))  # a new conversation: all of them
