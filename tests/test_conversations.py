"""Saved conversations on the databases docs/deploying.md offers, SQLite (a real file, the default) and
PostgreSQL (a throwaway cluster), each with the schema from the project's migrations."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy
from reflex import model
from reflex.config import get_config

from tests.conftest import migrate
from tests.realtime.test_transcript import user_text
from voice_app.realtime.transcript import Transcript
from voice_app.service import conversations

pytestmark = pytest.mark.slow  # a PostgreSQL cluster, and the migrations run as a user runs them

ENTRIES = [
    {"id": "item_1", "role": "user", "text": "About the lighthouse", "status": "done", "at": "2026-11-24T10:00:00+00:00"},
    {"id": "item_2", "role": "assistant", "text": "It stands on a rock.", "status": "done", "at": "2026-11-24T10:00:02+00:00"},
]
SETTINGS = {"model": "gpt-realtime", "voice": "marin"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    url = _new_database(request.param, "conversations", request, tmp_path_factory)
    migrate(url)
    return url


def _new_database(kind: str, name: str, request, tmp_path_factory) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / f'{name}.db'}"
    return request.getfixturevalue("postgresql").create_database(name)


@pytest.fixture
def db(database, monkeypatch):
    """rx.session() opens the configured URL; Reflex keeps one engine per URL, so each is its own."""
    monkeypatch.setattr(get_config(), "db_url", database)


def test_a_conversation_is_saved_updated_and_loaded_whole(db):
    conversation_id = conversations.save("owner-a", None, ENTRIES[:1], None, SETTINGS, {"responses": 0})
    assert conversations.save("owner-a", conversation_id, ENTRIES, None, SETTINGS, {"responses": 1}) == conversation_id
    row, entries = conversations.load("owner-a", conversation_id)
    assert row.title == "About the lighthouse" and row.model == "gpt-realtime" and row.voice == "marin"
    assert row.entry_count == 2 and entries == ENTRIES
    assert row.usage_json == '{"responses": 1}'
    assert row.started_at <= row.updated_at


def test_nobody_sees_or_deletes_another_owners_conversation(db):
    conversation_id = conversations.save("owner-b", None, ENTRIES, None, SETTINGS, {})
    assert conversations.load("owner-c", conversation_id) is None
    assert conversations.listed("owner-c") == []
    assert conversations.delete("owner-c", conversation_id) is False
    # Saving under someone else's id makes a new conversation instead of overwriting theirs.
    stolen = conversations.save("owner-c", conversation_id, ENTRIES[:1], None, SETTINGS, {})
    assert stolen != conversation_id
    assert conversations.load("owner-b", conversation_id).conversation.entry_count == 2


def test_the_history_lists_newest_first_and_deleting_removes_one(db):
    first = conversations.save("owner-d", None, ENTRIES[:1], None, SETTINGS, {})
    second = conversations.save("owner-d", None, [{**ENTRIES[0], "text": "Second talk"}], None, SETTINGS, {})
    listed = conversations.listed("owner-d")
    assert [item["id"] for item in listed] == [str(second), str(first)]
    assert listed[0]["title"] == "Second talk" and listed[0]["entries"] == "1"
    assert conversations.delete("owner-d", first) is True
    assert [item["id"] for item in conversations.listed("owner-d")] == [str(second)]
    assert conversations.load("owner-d", first) is None
    # A deleted conversation that is saved again comes back under a new id.
    assert conversations.save("owner-d", first, ENTRIES, None, SETTINGS, {}) not in (first, second)


def test_times_are_utc_whatever_the_database_keeps(db):
    conversation_id = conversations.save("owner-e", None, ENTRIES, None, SETTINGS, {})
    row = conversations.load("owner-e", conversation_id).conversation
    assert row.started_at.utcoffset() == timedelta(0) and row.updated_at.utcoffset() == timedelta(0)
    assert abs(row.started_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert conversations.listed("owner-e")[0]["when"] == row.started_at.strftime("%Y-%m-%d %H:%M UTC")


def test_a_deleted_conversations_id_is_never_given_to_another(db):
    # A second tab of the same browser may still hold the deleted id, and save to it.
    newest = conversations.save("owner-f", None, ENTRIES, None, SETTINGS, {})
    assert conversations.delete("owner-f", newest) is True
    assert conversations.save("owner-f", None, ENTRIES[:1], None, SETTINGS, {}) > newest


def test_an_id_never_given_out_finds_nothing_and_saves_anew(db):
    for tampered in (0, 2**31, 2**63, 10**30):  # a browser's local storage can hold any digits
        assert conversations.load("owner-g", tampered) is None
        assert conversations.delete("owner-g", tampered) is False
        assert conversations.save("owner-g", tampered, ENTRIES, None, SETTINGS, {}) not in (tampered, None)


def test_text_that_a_database_may_refuse_is_kept_as_far_as_it_can_be(db):
    odd = [{**ENTRIES[0], "text": "nul \x00 inside, emoji 🌊, ümlaut"}, {**ENTRIES[1], "text": "lone \ud800 half"}]
    settings = {"model": "m" * 200, "voice": "v" * 200}
    conversation_id = conversations.save("owner-h", None, odd, None, settings, {})
    row, entries = conversations.load("owner-h", conversation_id)
    assert row.title == "nul  inside, emoji 🌊, ümlaut" and row.entry_count == 2
    assert [entry["text"] for entry in entries] == ["nul  inside, emoji 🌊, ümlaut", "lone ? half"]
    assert json.loads(row.settings_json) == settings
    assert row.model == "m" * 64 and row.voice == "v" * 32


def _entry(number: int) -> dict:
    return {
        "id": f"item_{number}",
        "role": "user" if number % 2 else "assistant",
        "text": f"Entry {number}",
        "status": "done",
        "at": "2026-11-24T10:00:00+00:00",
    }


def _statements_saving_entry(database: str, number: int) -> list[tuple[str, int]]:
    """The statements that saving entry `number` of a conversation sends, each with the number of
    rows it writes (several for one statement run on many) or of values it binds (an IN list)."""
    entries = [_entry(n) for n in range(1, number + 1)]
    conversation_id = conversations.save("owner-i", None, entries[:-1], None, SETTINGS, {})
    sent = []

    def count(_conn, _cursor, statement, parameters, _context, executemany):
        sent.append((" ".join(statement.split()), len(parameters)))

    engine = model.get_engine(database)
    sqlalchemy.event.listen(engine, "before_cursor_execute", count)
    try:
        assert conversations.save("owner-i", conversation_id, entries, {entries[-1]["id"]}, SETTINGS, {}) == conversation_id
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", count)
    assert conversations.load("owner-i", conversation_id).entries == entries
    return sent


def test_saving_entry_500_sends_what_saving_entry_5_does(db, database):
    fifth, five_hundredth = _statements_saving_entry(database, 5), _statements_saving_entry(database, 500)
    assert fifth == five_hundredth
    writes = [statement.split()[0] for statement, _size in fifth if statement.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == ["UPDATE", "INSERT"]  # the conversation's row, and the new entry


def test_an_entry_placed_in_the_middle_keeps_its_place_after_a_reload(db):
    transcript = Transcript()  # ids in no order of their own: only the saved places order them
    transcript.apply_all(user_text("item_z", "first") + user_text("item_b", "third", previous="item_z"))

    def save(conversation_id):
        saved = conversations.save("owner-j", conversation_id, transcript.entries, set(transcript.dirty), SETTINGS, {})
        transcript.dirty.clear()
        return saved

    conversation_id = save(None)
    transcript.apply_all(user_text("item_y", "fourth", previous="item_b"))
    save(conversation_id)
    transcript.apply_all(user_text("item_x", "second", previous="item_z"))
    save(conversation_id)
    saved = conversations.load("owner-j", conversation_id)
    assert [entry["text"] for entry in saved.entries] == ["first", "second", "third", "fourth"]
    assert saved.entries == transcript.entries and saved.conversation.entry_count == 4


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_migration_moves_a_saved_transcript_into_rows(kind, request, tmp_path_factory, monkeypatch):
    url = _new_database(kind, "before_rows", request, tmp_path_factory)
    old = [
        *ENTRIES,
        {
            "id": "item_3",
            "role": "tool",
            "text": "lookup({}) → \x00found",
            "status": "done",
            "at": "2026-11-24T10:00:04+00:00",
            "call_id": "call_1",
        },
    ]
    with model.get_engine(url).connect() as connection:
        model._alembic_upgrade(connection, "b801e5cae1a4")  # the schema with entries_json
        connection.execute(
            sqlalchemy.text(
                "INSERT INTO conversation (owner, title, model, voice, settings_json, entries_json, usage_json, entry_count,"
                " started_at, updated_at) VALUES ('owner-k', 'About the lighthouse', 'gpt-realtime', 'marin', '{}', :entries,"
                " '{}', 3, :now, :now)"
            ),
            {"entries": json.dumps(old), "now": datetime.now(UTC)},
        )
        conversation_id = connection.execute(sqlalchemy.text("SELECT max(id) FROM conversation")).scalar()
        connection.commit()
    migrate(url)
    monkeypatch.setattr(get_config(), "db_url", url)
    row, entries = conversations.load("owner-k", conversation_id)
    assert row.title == "About the lighthouse" and entries == [*ENTRIES, {**old[2], "text": "lookup({}) → found"}]
    assert conversations.save("owner-k", conversation_id, entries, set(), SETTINGS, {}) == conversation_id
    assert conversations.delete("owner-k", conversation_id) is True


def test_a_browser_or_the_app_at_its_limit_of_conversations_saves_no_new_one(db, monkeypatch):
    from voice_app.realtime import bounds

    kept = conversations.save("owner-full", None, ENTRIES, None, SETTINGS, {})
    conversations.save("owner-full", None, ENTRIES, None, SETTINGS, {})
    monkeypatch.setattr(bounds, "MAX_CONVERSATIONS_PER_BROWSER", 2)
    with pytest.raises(conversations.HistoryFull, match="delete some there"):
        conversations.save("owner-full", None, ENTRIES, None, SETTINGS, {})
    assert conversations.save("owner-full", kept, ENTRIES, None, SETTINGS, {}) == kept, "one already kept still saves"
    monkeypatch.setattr(bounds, "MAX_CONVERSATIONS", len(conversations.listed("owner-full")))
    with pytest.raises(conversations.HistoryFull, match="storage of conversations is full"):
        conversations.save("owner-other", None, ENTRIES, None, SETTINGS, {})


def test_an_interrupted_answer_keeps_where_hearing_ended_and_a_reload_shows_it(db):
    cut = {
        "id": "item_3",
        "role": "assistant",
        "text": "It stands on a rock, and beyond",
        "status": "interrupted",
        "at": "2026-11-24T10:00:05+00:00",
        "heard_chars": "20",
    }
    conversation_id = conversations.save("owner-h", None, [*ENTRIES, cut], None, SETTINGS, {})
    _, entries = conversations.load("owner-h", conversation_id)
    assert entries[2] == cut and entries[1] == ENTRIES[1]  # the others have no such mark
    assert entries[2]["text"][:20] == "It stands on a rock,"
    # A saved count past the text (never written by the app) is held to the text.
    conversations.save("owner-h", conversation_id, [*ENTRIES, {**cut, "heard_chars": "999"}], {"item_3"}, SETTINGS, {})
    assert conversations.load("owner-h", conversation_id)[1][2]["heard_chars"] == str(len(cut["text"]))


def test_the_caps_hold_when_many_new_conversations_are_saved_at_once(db, monkeypatch):
    import contextvars
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from voice_app.realtime import bounds

    cap, writers = 3, 8
    monkeypatch.setattr(bounds, "MAX_CONVERSATIONS_PER_BROWSER", cap)
    together = threading.Barrier(writers)

    def new_conversation(_n) -> bool:
        together.wait()
        try:
            conversations.save("owner-crowd", None, ENTRIES, None, SETTINGS, {})
        except conversations.HistoryFull:
            return False
        return True

    with ThreadPoolExecutor(writers) as pool:
        # Each in the test's context, as asyncio.to_thread runs it: Reflex's config (the URL) is in it.
        saved = [
            future.result()
            for future in [pool.submit(contextvars.copy_context().run, new_conversation, n) for n in range(writers)]
        ]
    assert saved.count(True) == cap and len(conversations.listed("owner-crowd")) == cap
