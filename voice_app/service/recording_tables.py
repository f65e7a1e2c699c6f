"""Kept recordings in the database every host shares (recordings.py reads and writes them): a
recording kept through one host plays through any, and a delete through any removes it."""

from datetime import datetime

import sqlalchemy
import sqlmodel

from voice_app.service.tables import Tables


class Recording(Tables, table=True):
    """A conversation's recording (one at most: a new one replaces it), gone with the conversation."""

    conversation_id: int = sqlmodel.Field(foreign_key="conversation.id", ondelete="CASCADE", primary_key=True)
    owner: str = sqlmodel.Field(index=True, max_length=64)  # the caps count per owner
    media_type: str = sqlmodel.Field(max_length=32)
    size: int  # of `data`: the caps sum it without reading any recording
    data: bytes = sqlmodel.Field(sa_column=sqlalchemy.Column(sqlalchemy.LargeBinary, nullable=False))
    kept_at: datetime


class RecordingPass(Tables, table=True):
    """An upload pass spent: its key is the pass's signature, so two hosts cannot both spend one."""

    __tablename__ = "recording_pass"

    signature: str = sqlmodel.Field(primary_key=True, max_length=64)
    conversation_id: int = sqlmodel.Field(foreign_key="conversation.id", ondelete="CASCADE", index=True)
    spent_at: datetime = sqlmodel.Field(index=True)  # an expired pass opens nothing: its row may go


class SigningKey(Tables, table=True):
    """A key the app makes once for all its hosts (the first worker to sign or check a pass inserts it; the others read it)."""

    __tablename__ = "signing_key"

    name: str = sqlmodel.Field(primary_key=True, max_length=32)
    value: str = sqlmodel.Field(max_length=128)
