import json

from voice_app.realtime.export import to_json, to_markdown

ENTRIES = [
    {"id": "item_1", "role": "user", "text": 'Say "hi" </script>', "status": "done", "at": "2026-11-23T20:00:00+00:00"},
    {"id": "item_2", "role": "assistant", "text": "Hi", "status": "interrupted", "at": "2026-11-23T20:00:02+00:00"},
    {"id": "item_3", "role": "user", "text": "", "status": "failed", "at": "2026-11-23T20:00:05+00:00"},
]


def test_markdown_reads_as_a_conversation():
    text = to_markdown(ENTRIES)
    assert text.startswith("# Conversation")
    assert '**You** (2026-11-23T20:00:00+00:00):\n\nSay "hi" </script>' in text
    assert "**Model** (2026-11-23T20:00:02+00:00): _(interrupted)_" in text
    assert "_(could not be transcribed)_" in text


def test_json_keeps_ids_roles_times_and_text_exactly():
    assert json.loads(to_json(ENTRIES)) == ENTRIES


CUT = {
    "id": "item_4",
    "role": "assistant",
    "text": "I heard this but not that",
    "status": "interrupted",
    "at": "2026-11-23T20:00:09+00:00",
    "heard_chars": "12",
}


def test_markdown_strikes_through_the_words_not_heard():
    text = to_markdown([CUT])
    assert "I heard this ~~but not that~~" in text
    assert "_(interrupted; the words struck through were not heard)_" in text


def test_json_says_where_the_heard_part_ends():
    (kept,) = json.loads(to_json([CUT]))
    assert kept["heard_chars"] == 12 and kept["text"][: kept["heard_chars"]] == "I heard this"
