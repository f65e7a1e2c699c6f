import pytest

from voice_app.realtime.memory import CUT, ENTRY_TOKENS, budget_for, item_id_for, remembered, tokens_of


def entry(number: int, role: str = "user", text: str | None = None) -> dict:
    return {"id": f"item_{number}", "role": role, "text": f"Turn {number}" if text is None else text, "status": "done"}


def test_every_earlier_entry_goes_in_order_each_after_the_one_before():
    memory = remembered([entry(1), entry(2, "assistant"), entry(3, "tool", "calculate({}) → 42 · 1 ms")], 1000)
    assert [(e["previous_item_id"], e["item"]["id"]) for e in memory.events] == [
        ("root", "item_1"),
        ("item_1", "item_2"),
        ("item_2", "item_3"),
    ]
    assert [e["type"] for e in memory.events] == ["conversation.item.create"] * 3
    user, assistant, tool = (e["item"] for e in memory.events)
    assert user["content"] == [{"type": "input_text", "text": "Turn 1"}]
    assert assistant["role"] == "assistant" and assistant["content"] == [{"type": "output_text", "text": "Turn 2"}]
    assert tool["role"] == "system" and "calculate({}) → 42" in tool["content"][0]["text"]
    assert memory.given == memory.earlier == 3 and "its 3 earlier entries" in memory.note


def test_a_long_conversation_keeps_its_latest_turns_within_the_budget():
    entries = [entry(n, text="word " * 100) for n in range(1, 41)]  # about 171 tokens each
    memory = remembered(entries, 1000)
    assert memory.given == 5 and memory.earlier == 40 and memory.tokens <= 1000
    assert [e["item"]["id"] for e in memory.events] == [f"item_{n}" for n in range(36, 41)], "the latest, oldest first"
    assert memory.events[0]["previous_item_id"] == "root"
    assert "last 5 of this conversation's 40 entries" in memory.note and "left out" in memory.note


def test_nothing_to_give_says_nothing():
    assert remembered([], 1000).note == "" and remembered([], 1000).events == []
    assert remembered([entry(1, text="   ")], 1000).events == [], "a turn with no words is not given"
    assert remembered([entry(1)], 0).given == 0


def test_an_entry_id_the_api_would_refuse_becomes_a_stable_one_it_takes():
    odd = "item with spaces and far too long to be an item id"
    assert item_id_for("item_abc") == "item_abc"
    assert item_id_for(odd) == item_id_for(odd) and len(item_id_for(odd)) <= 32 and " " not in item_id_for(odd)
    memory = remembered([{"id": odd, "role": "user", "text": "hi"}], 100)
    assert memory.item_ids == {item_id_for(odd)}


def test_the_budget_is_a_share_of_the_models_window():  # APP_MEMORY_TOKENS itself: tests/test_config.py
    assert tokens_of("abcd" * 10) == 14 + 4  # 40 letters at three a token, and the item's own
    # A share of the model's window less its output: gpt-realtime-1.5's 32k holds less than 8,000.
    assert budget_for("gpt-realtime-1.5", 8000) == (32_000 - 4_096) // 4 == 6976
    assert budget_for("gpt-realtime-2.1", 8000) == 8000 and budget_for("gpt-realtime-2.1", 50_000) == 24_000


@pytest.mark.parametrize("char", ["x", "字", "🙂"])
def test_an_entry_too_long_is_cut_not_left_out_with_everything_before_it(char):
    memory = remembered([entry(1), entry(2, text=char * 100_000)], 2000)
    assert memory.given == 2, "the long entry does not push the rest out, in any script"
    given = memory.events[1]["item"]["content"][0]["text"]
    assert given.endswith(CUT) and ENTRY_TOKENS - 4 <= tokens_of(given) - 4 <= ENTRY_TOKENS


def test_an_interrupted_answer_is_remembered_only_as_far_as_it_was_heard():
    cut = {**entry(2, "assistant", "Heard this part and never this"), "status": "interrupted", "heard_chars": "15"}
    never = {**entry(3, "assistant", "Not a word of this"), "status": "interrupted", "heard_chars": "0"}
    memory = remembered([entry(1), cut, never], 1000)
    assert [e["item"]["content"][0]["text"] for e in memory.events] == ["Turn 1", "Heard this part"]
