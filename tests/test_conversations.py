"""Saved conversations on the databases the README offers, SQLite (a real file, the default) and
PostgreSQL (a throwaway cluster), each with the schema from the project's migrations."""

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

