"""Saved conversations on the databases the README offers, SQLite (a real file, the default) and
PostgreSQL (a throwaway cluster), each with the schema from the project's migrations."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from reflex.config import get_config

from tests.conftest import migrate
from voice_app import conversations

ENTRIES = [
    {"id": "item_1", "role": "user", "text": "About the lighthouse", "status": "done", "at": "2026-11-24T10:00:00+00:00"},
    {"id": "item_2", "role": "assistant", "text": "It stands on a rock.", "status": "done", "at": "2026-11-24T10:00:02+00:00"},
]
SETTINGS = {"model": "gpt-realtime", "voice": "marin"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'conversations.db'}"
    else:
        url = request.getfixturevalue("postgresql").create_database("conversations")
    migrate(url)
    return url


@pytest.fixture
def db(database, monkeypatch):
    """rx.session() opens the configured URL; Reflex keeps one engine per URL, so each is its own."""
    monkeypatch.setattr(get_config(), "db_url", database)


def test_a_conversation_is_saved_updated_and_loaded_whole(db):
    conversation_id = conversations.save("owner-a", None, ENTRIES[:1], SETTINGS, {"responses": 0})
    assert conversations.save("owner-a", conversation_id, ENTRIES, SETTINGS, {"responses": 1}) == conversation_id
    row = conversations.load("owner-a", conversation_id)
    assert row.title == "About the lighthouse" and row.model == "gpt-realtime" and row.voice == "marin"
    assert row.entry_count == 2 and '"It stands on a rock."' in row.entries_json
    assert row.usage_json == '{"responses": 1}'
    assert row.started_at <= row.updated_at


def test_nobody_sees_or_deletes_another_owners_conversation(db):
    conversation_id = conversations.save("owner-b", None, ENTRIES, SETTINGS, {})
    assert conversations.load("owner-c", conversation_id) is None
    assert conversations.listed("owner-c") == []
    assert conversations.delete("owner-c", conversation_id) is False
    # Saving under someone else's id makes a new conversation instead of overwriting theirs.
    stolen = conversations.save("owner-c", conversation_id, ENTRIES[:1], SETTINGS, {})
    assert stolen != conversation_id
    assert conversations.load("owner-b", conversation_id).entry_count == 2


def test_the_history_lists_newest_first_and_deleting_removes_one(db):
    first = conversations.save("owner-d", None, ENTRIES[:1], SETTINGS, {})
    second = conversations.save("owner-d", None, [{**ENTRIES[0], "text": "Second talk"}], SETTINGS, {})
    listed = conversations.listed("owner-d")
    assert [item["id"] for item in listed] == [str(second), str(first)]
    assert listed[0]["title"] == "Second talk" and listed[0]["entries"] == "1"
    assert conversations.delete("owner-d", first) is True
    assert [item["id"] for item in conversations.listed("owner-d")] == [str(second)]
    assert conversations.load("owner-d", first) is None
    # A deleted conversation that is saved again comes back under a new id.
    assert conversations.save("owner-d", first, ENTRIES, SETTINGS, {}) not in (first, second)


def test_times_are_utc_whatever_the_database_keeps(db):
    conversation_id = conversations.save("owner-e", None, ENTRIES, SETTINGS, {})
    row = conversations.load("owner-e", conversation_id)
    assert row.started_at.utcoffset() == timedelta(0) and row.updated_at.utcoffset() == timedelta(0)
    assert abs(row.started_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert conversations.listed("owner-e")[0]["when"] == row.started_at.strftime("%Y-%m-%d %H:%M UTC")


def test_a_deleted_conversations_id_is_never_given_to_another(db):
    # A second tab of the same browser may still hold the deleted id, and save to it.
    newest = conversations.save("owner-f", None, ENTRIES, SETTINGS, {})
    assert conversations.delete("owner-f", newest) is True
    assert conversations.save("owner-f", None, ENTRIES[:1], SETTINGS, {}) > newest


def test_an_id_never_given_out_finds_nothing_and_saves_anew(db):
    for tampered in (0, 2**31, 2**63, 10**30):  # a browser's local storage can hold any digits
        assert conversations.load("owner-g", tampered) is None
        assert conversations.delete("owner-g", tampered) is False
        assert conversations.save("owner-g", tampered, ENTRIES, SETTINGS, {}) not in (tampered, None)


def test_text_that_a_database_may_refuse_is_kept_as_far_as_it_can_be(db):
    odd = [{**ENTRIES[0], "text": "nul \x00 inside, emoji 🌊, ümlaut"}, {**ENTRIES[1], "text": "lone \ud800 half"}]
    settings = {"model": "m" * 200, "voice": "v" * 200}
    conversation_id = conversations.save("owner-h", None, odd, settings, {})
    row = conversations.load("owner-h", conversation_id)
    assert row.title == "nul  inside, emoji 🌊, ümlaut" and row.entry_count == 2
    texts = [entry["text"] for entry in json.loads(row.entries_json)]
    assert texts == [odd[0]["text"], "lone ? half"]  # NUL escaped in JSON; the half character lost
    assert json.loads(row.settings_json) == settings
    assert row.model == "m" * 64 and row.voice == "v" * 32
