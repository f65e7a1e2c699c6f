"""Saved conversations: one row each, its entries one row each, written as the conversation happens.

A save writes the conversation's row and only the entries that changed since the last one, so
saving entry 500 costs what saving entry 5 does. Entries keep their place in `position` (0, 1,
2...): an append writes one row; an entry placed in the middle rewrites the positions of the
entries after it, which in practice are the one or two of the turn in progress. The functions are
blocking: the app calls them off the event loop (asyncio.to_thread).

Reflex's database support (SQLite by default, any SQLAlchemy URL in REFLEX_DB_URL; tested on
SQLite and PostgreSQL); the schema is managed by the migrations in alembic/ (`reflex db
migrate`). Every query is scoped to the owner, a hash of the random key the browser keeps:
nobody lists another's history.
"""

import json
from datetime import UTC, datetime
from typing import NamedTuple

import reflex as rx
import sqlmodel

from voice_app.realtime.bounds import history_full
from voice_app.realtime.heard import heard_count
from voice_app.realtime.history import LARGEST_ID, placed, title_for
from voice_app.service.db_locks import take_turn
from voice_app.service.recording_tables import Recording, RecordingPass
from voice_app.service.tables import Tables

LISTED = 100  # the newest conversations the history shows


@rx.ModelRegistry.register  # for `reflex db` migrations; its metadata (tables.py) holds every table
class Conversation(Tables, table=True):
    # SQLite would give a deleted conversation's id to the next one, and a tab still holding it
    # would save over that one; PostgreSQL's sequence never does, and neither does this.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = sqlmodel.Field(default=None, primary_key=True)
    owner: str = sqlmodel.Field(index=True, max_length=64)
    title: str = sqlmodel.Field(max_length=100)
    model: str = sqlmodel.Field(max_length=64)
    voice: str = sqlmodel.Field(max_length=32)
    settings_json: str
    usage_json: str
    entry_count: int = 0
    started_at: datetime
    updated_at: datetime = sqlmodel.Field(index=True)


class ConversationEntry(Tables, table=True):
    """One entry of a conversation, as the transcript shows it."""

    __tablename__ = "conversation_entry"

    conversation_id: int = sqlmodel.Field(foreign_key="conversation.id", ondelete="CASCADE", primary_key=True)
    entry_id: str = sqlmodel.Field(primary_key=True)  # the item id
    position: int  # its place in the conversation: 0, 1, 2...
    role: str = sqlmodel.Field(max_length=16)
    text: str
    status: str = sqlmodel.Field(max_length=16)
    at: str = sqlmodel.Field(max_length=40)
    call_id: str = sqlmodel.Field(default="", max_length=64)  # a tool call's; "" for the rest
    heard_chars: int | None = None  # an interrupted answer's: how much of its text was heard

    def as_entry(self) -> dict[str, str]:
        entry = {"id": self.entry_id, "role": self.role, "text": self.text, "status": self.status, "at": self.at}
        if self.heard_chars is not None:
            entry["heard_chars"] = str(self.heard_chars)
        return {**entry, "call_id": self.call_id} if self.call_id else entry


class Saved(NamedTuple):
    conversation: Conversation
    entries: list[dict[str, str]]


def _now() -> datetime:
    return datetime.now(UTC)


def _known(conversation_id: int | None) -> int | None:
    """An id the database could have given (a browser's storage can hold any digits)."""
    return conversation_id if conversation_id and 0 < conversation_id <= LARGEST_ID else None


def _fit(table: type[Tables], column: str, value) -> str:
    """Text as every database keeps it in the column: PostgreSQL refuses NUL and more than the
    column's length, and no database takes a lone surrogate (JSON from a browser can carry one)."""
    text = str(value or "").replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[: table.__table__.c[column].type.length]


def _write_entries(session, conversation_id: int, changed: list[tuple[int, dict]], new: bool) -> None:
    """Insert or update these entries: one query finds which are stored, then one write each."""
    rows = {_fit(ConversationEntry, "entry_id", entry.get("id")): (position, entry) for position, entry in changed}
    stored = (
        {}
        if new or not rows
        else {
            row.entry_id: row
            for row in session.exec(
                sqlmodel.select(ConversationEntry).where(
                    ConversationEntry.conversation_id == conversation_id, ConversationEntry.entry_id.in_(rows)
                )
            )
        }
    )
    for entry_id, (position, entry) in rows.items():
        row = stored.get(entry_id) or ConversationEntry(conversation_id=conversation_id, entry_id=entry_id)
        row.position = position
        for column in ("role", "text", "status", "at", "call_id"):
            setattr(row, column, _fit(ConversationEntry, column, entry.get(column)))
        heard = heard_count(entry)
        row.heard_chars = None if heard is None else min(heard, len(row.text))
        session.add(row)


def save(
    owner: str, conversation_id: int | None, entries: list[dict], changed: set[str] | None, settings: dict, usage: dict
) -> int:
    """Create or update the owner's conversation, writing the entries whose ids are in `changed`
    (all of them for a new conversation, or when None); returns its id (a new one if it was deleted)."""
    with rx.session() as session:
        row = session.get(Conversation, conversation_id) if _known(conversation_id) else None
        new = row is None or row.owner != owner
        if new:  # the caps' counts and this insert, one writer at a time across every host
            take_turn(session, "new conversations", Conversation.__tablename__)
        if new and (full := history_full(_count(session, owner), _count(session))):
            raise HistoryFull(full)
        if new:
            row = Conversation(owner=owner, started_at=_now(), title="", model="", voice="", settings_json="", usage_json="")
        row.title = _fit(Conversation, "title", title_for(entries))
        row.model = _fit(Conversation, "model", settings.get("live_model" if settings.get("engine") == "live" else "model", ""))
        row.voice = _fit(Conversation, "voice", settings.get("voice", ""))
        row.settings_json, row.usage_json = json.dumps(settings), json.dumps(usage)
        row.entry_count, row.updated_at = len(entries), _now()
        session.add(row)
        session.flush()  # a new row gets its id
        _write_entries(session, row.id, placed(entries, None if new else changed), new)
        session.commit()
        return row.id


class HistoryFull(Exception):
    """No room for one more conversation; the message says whose limit and what to do."""


def _count(session, owner: str | None = None) -> int:
    query = sqlmodel.select(sqlmodel.func.count()).select_from(Conversation)
    return session.exec(query.where(Conversation.owner == owner) if owner else query).one()


def load(owner: str, conversation_id: int) -> Saved | None:
    """The owner's conversation and its entries in order; None if there is no such conversation."""
    if not _known(conversation_id):
        return None
    with rx.session() as session:
        row = session.get(Conversation, conversation_id)
        if row is None or row.owner != owner:
            return None
        entries = session.exec(
            sqlmodel.select(ConversationEntry)
            .where(ConversationEntry.conversation_id == conversation_id)
            .order_by(ConversationEntry.position, ConversationEntry.entry_id)
        ).all()
        return Saved(row, [entry.as_entry() for entry in entries])


def listed(owner: str) -> list[dict]:
    """The owner's conversations, newest first, as the history shows them."""
    with rx.session() as session:
        rows = session.exec(
            sqlmodel.select(Conversation)
            .where(Conversation.owner == owner)
            .order_by(Conversation.updated_at.desc())
            .limit(LISTED)
        ).all()
    return [
        {
            "id": str(row.id),
            "title": row.title,
            "model": row.model,
            "entries": str(row.entry_count),
            "when": row.started_at.strftime("%Y-%m-%d %H:%M UTC"),
        }
        for row in rows
    ]


def delete(owner: str, conversation_id: int) -> bool:
    if not _known(conversation_id):
        return False
    with rx.session() as session:
        row = session.get(Conversation, conversation_id)
        if row is None or row.owner != owner:
            return False
        # One statement for each table kept with it (SQLite enforces the foreign keys' cascade only when asked).
        for table in (ConversationEntry, Recording, RecordingPass):
            session.exec(sqlmodel.delete(table).where(table.conversation_id == conversation_id))
        session.delete(row)
        session.commit()
        return True


def owns(owner: str, conversation_id: int) -> bool:
    """Whether this owner has this conversation saved (a recording may be kept only with one)."""
    if not _known(conversation_id):
        return False
    with rx.session() as session:
        row = session.get(Conversation, conversation_id)
        return row is not None and row.owner == owner
