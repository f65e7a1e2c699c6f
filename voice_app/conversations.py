"""Saved conversations: one row each, written as the conversation happens.

Reflex's database support (SQLite by default, any SQLAlchemy URL in REFLEX_DB_URL; tested on
SQLite and PostgreSQL); the schema is managed by the migrations in alembic/ (`reflex db
migrate`). Every query is scoped to the owner, a hash of the random key the browser keeps:
nobody lists another's history.
"""

import json
from datetime import UTC, datetime

import reflex as rx
import sqlalchemy.orm
import sqlmodel

from voice_app.realtime.history import entries_to_json, title_for

LISTED = 100  # the newest conversations the history shows
LARGEST_ID = 2**31 - 1  # the id column's range on every database (PostgreSQL's integer)


class _Tables(sqlmodel.SQLModel, registry=sqlalchemy.orm.registry()):
    """The app's tables, in a metadata of their own: SQLModel's shared one is registered by
    Reflex too (as rx.Model's), and two registered models holding the same table made every
    `reflex db` command warn that it already exists."""


@rx.ModelRegistry.register  # for `reflex db` migrations
class Conversation(_Tables, table=True):
    # SQLite would give a deleted conversation's id to the next one, and a tab still holding it
    # would save over that one; PostgreSQL's sequence never does, and neither does this.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = sqlmodel.Field(default=None, primary_key=True)
    owner: str = sqlmodel.Field(index=True, max_length=64)
    title: str = sqlmodel.Field(max_length=100)
    model: str = sqlmodel.Field(max_length=64)
    voice: str = sqlmodel.Field(max_length=32)
    settings_json: str
    entries_json: str
    usage_json: str
    entry_count: int = 0
    started_at: datetime
    updated_at: datetime = sqlmodel.Field(index=True)


def _now() -> datetime:
    return datetime.now(UTC)


def _known(conversation_id: int | None) -> int | None:
    """An id the database could have given (a browser's storage can hold any digits)."""
    return conversation_id if conversation_id and 0 < conversation_id <= LARGEST_ID else None


def _fit(column: str, text: str) -> str:
    """Text as every database keeps it in the column: PostgreSQL refuses NUL and more than the
    column's length, and no database takes a lone surrogate (JSON from a browser can carry one)."""
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[: Conversation.__table__.c[column].type.length]


def save(owner: str, conversation_id: int | None, entries: list[dict], settings: dict, usage: dict) -> int:
    """Create or update the owner's conversation; returns its id (a new one if it was deleted)."""
    with rx.session() as session:
        row = session.get(Conversation, conversation_id) if _known(conversation_id) else None
        if row is None or row.owner != owner:
            row = Conversation(owner=owner, started_at=_now(), title="", model="", voice="",
                               settings_json="", entries_json="", usage_json="")
        row.title = _fit("title", title_for(entries))
        row.model = _fit("model", str(settings.get("model", "")))
        row.voice = _fit("voice", str(settings.get("voice", "")))
        row.settings_json, row.usage_json = json.dumps(settings), json.dumps(usage)
        row.entries_json, row.entry_count = _fit("entries_json", entries_to_json(entries)), len(entries)
        row.updated_at = _now()
        session.add(row)
        session.commit()
        return row.id


def load(owner: str, conversation_id: int) -> Conversation | None:
    if not _known(conversation_id):
        return None
    with rx.session() as session:
        row = session.get(Conversation, conversation_id)
        return row if row is not None and row.owner == owner else None


def listed(owner: str) -> list[dict]:
    """The owner's conversations, newest first, as the history shows them."""
    with rx.session() as session:
        rows = session.exec(
            sqlmodel.select(Conversation).where(Conversation.owner == owner)
            .order_by(Conversation.updated_at.desc()).limit(LISTED)
        ).all()
    return [
        {"id": str(row.id), "title": row.title, "model": row.model, "entries": str(row.entry_count),
         "when": row.started_at.strftime("%Y-%m-%d %H:%M UTC")}
        for row in rows
    ]


def delete(owner: str, conversation_id: int) -> bool:
    if not _known(conversation_id):
        return False
    with rx.session() as session:
        row = session.get(Conversation, conversation_id)
        if row is None or row.owner != owner:
            return False
        session.delete(row)
        session.commit()
        return True
