"""Kept recordings: one per conversation, a row of the database every host shares (recording_tables.py).

The secret that signs passes (APP_RECORDING_SECRET, else one made once in the database) is the
same on every host, so a pass one host made opens the recording on another. Blocking: called off
the loop.
"""

import functools
import secrets
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import reflex as rx
import sqlalchemy.exc
import sqlmodel
from reflex.config import get_config

from voice_app import config
from voice_app.realtime import bounds
from voice_app.realtime.recording import MEDIA_TYPES, OWNER, UPLOAD_SECONDS
from voice_app.service.db_locks import take_turn
from voice_app.service.recording_tables import Recording, RecordingPass, SigningKey

KEY_NAME = "recording passes"
BROWSER_FULL, STORAGE_FULL = "browser full", "storage full"  # why store() kept nothing


class Kept(NamedTuple):
    media_type: str
    size: int


def secret() -> bytes:
    if configured := config.CONFIG.app_recording_secret:
        return configured.encode()
    return _shared_secret(get_config().db_url).encode()


@functools.cache  # per database: once made, it never changes
def _shared_secret(_db_url: str) -> str:
    with rx.session() as session:
        if (found := session.get(SigningKey, KEY_NAME)) is not None:
            return found.value
        try:  # insert-if-absent: of workers making it at once, the first's stays and all read it
            session.add(SigningKey(name=KEY_NAME, value=secrets.token_hex(32)))
            session.commit()
        except sqlalchemy.exc.IntegrityError:
            session.rollback()
        return session.get(SigningKey, KEY_NAME).value


def _check(owner: str, kind: str | None = None) -> None:
    if not OWNER.fullmatch(owner) or (kind is not None and kind not in MEDIA_TYPES):
        raise ValueError("not an owner's recording")


def claim(conversation_id: int, upload_pass: str) -> bool:
    """Spend an upload pass (its signature) on this conversation: False if it was spent already,
    through any host (the row's key refuses a second one)."""
    now = datetime.now(UTC)
    with rx.session() as session:
        # Expired passes open nothing (realtime/recording.py): their rows need not stay.
        session.exec(sqlmodel.delete(RecordingPass).where(RecordingPass.spent_at < now - timedelta(seconds=UPLOAD_SECONDS)))
        session.add(RecordingPass(signature=upload_pass, conversation_id=int(conversation_id), spent_at=now))
        try:
            session.commit()
        except sqlalchemy.exc.IntegrityError:
            return False
    return True


def max_total_bytes() -> int:
    """APP_RECORDINGS_MAX_MB: past it, no more recordings are kept."""
    return config.CONFIG.app_recordings_max_mb * 1024 * 1024


def store(owner: str, conversation_id: int, kind: str, data: bytes) -> str:
    """The conversation's recording, replacing any earlier one; or why it is not kept (BROWSER_FULL,
    STORAGE_FULL), counted in one turn with every other host's uploads so that no two pass a cap
    together. "" when kept."""
    _check(owner, kind)
    with rx.session() as session:
        take_turn(session, "recordings kept", Recording.__tablename__)
        others = sqlmodel.select(Recording.conversation_id).where(Recording.conversation_id != int(conversation_id))
        count = sqlmodel.select(sqlmodel.func.count()).select_from(others.where(Recording.owner == owner).subquery())
        if session.exec(count).one() >= bounds.MAX_RECORDINGS_PER_BROWSER:
            return BROWSER_FULL
        total = sqlmodel.select(sqlmodel.func.coalesce(sqlmodel.func.sum(Recording.size), 0)).where(
            Recording.conversation_id != int(conversation_id)
        )
        if session.exec(total).one() + len(data) > max_total_bytes():
            return STORAGE_FULL
        session.exec(sqlmodel.delete(Recording).where(Recording.conversation_id == int(conversation_id)))
        session.add(
            Recording(
                conversation_id=int(conversation_id),
                owner=owner,
                media_type=MEDIA_TYPES[kind],
                size=len(data),
                data=data,
                kept_at=datetime.now(UTC),
            )
        )
        session.commit()
    return ""


def _mine(owner: str, conversation_id: int):
    _check(owner)
    return (Recording.conversation_id == int(conversation_id)) & (Recording.owner == owner)


def find(owner: str, conversation_id: int) -> Kept | None:
    """The conversation's recording's media type and size, if one is kept (its bytes stay unread)."""
    with rx.session() as session:
        found = session.exec(sqlmodel.select(Recording.media_type, Recording.size).where(_mine(owner, conversation_id))).first()
    return Kept(*found) if found else None


def read(owner: str, conversation_id: int, start: int, length: int) -> bytes:
    """`length` bytes of the recording from `start` (0-based): a player's range, or one chunk of it."""
    part = sqlmodel.func.substr(Recording.data, int(start) + 1, int(length))  # SQL counts from 1
    with rx.session() as session:
        found = session.exec(sqlmodel.select(part).where(_mine(owner, conversation_id))).first()
    return bytes(found or b"")
