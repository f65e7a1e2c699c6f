"""entries one row each

A save rewrote the whole transcript (entries_json) on every change, so its cost grew with the
conversation. Each entry is now a row of conversation_entry, keyed by conversation and item id,
placed by its position (0, 1, 2...); a save writes only the entries that changed. The existing
transcripts are moved into rows, then entries_json is dropped: kept, it would go stale at the next
save and every new conversation would still have to fill it. Downgrading puts it back from the rows.

Revision ID: 828f97d3f808
Revises: b801e5cae1a4
Create Date: 2026-11-24 14:40:00

"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '828f97d3f808'
down_revision: Union[str, Sequence[str], None] = 'b801e5cae1a4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

LENGTHS = {'role': 16, 'status': 16, 'at': 40, 'call_id': 64}  # as in voice_app/conversations.py
conversation = sa.table('conversation', sa.column('id', sa.Integer), sa.column('entries_json', sa.String))
entry = sa.table('conversation_entry', *(sa.column(name) for name in
                 ('conversation_id', 'entry_id', 'position', 'role', 'text', 'status', 'at', 'call_id')))


def _fit(value, length=None) -> str:
    """As the app keeps text: no NUL (PostgreSQL refuses it), no lone surrogate, the column's length."""
    text = str(value if value is not None else '').replace('\x00', '').encode('utf-8', 'replace').decode('utf-8')
    return text[:length]


def _rows(conversation_id: int, entries_json: str) -> list[dict]:
    """A saved transcript as rows, in its order; damaged data (never written by the app) is skipped."""
    try:
        entries = json.loads(entries_json or '[]')
    except ValueError:
        entries = []
    rows, seen = [], set()
    for entry in entries if isinstance(entries, list) else []:
        entry_id = _fit(entry.get('id')) if isinstance(entry, dict) else ''
        if not entry_id or entry_id in seen:
            continue
        seen.add(entry_id)
        row = {name: _fit(entry.get(name), LENGTHS.get(name)) for name in ('role', 'text', 'status', 'at', 'call_id')}
        rows.append({**row, 'conversation_id': conversation_id, 'entry_id': entry_id, 'position': len(rows)})
    return rows


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('conversation_entry',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('call_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'entry_id')
    )
    bind = op.get_bind()
    for (conversation_id,) in bind.execute(sa.select(conversation.c.id)).all():  # one at a time: bounded memory
        saved = bind.execute(sa.select(conversation.c.entries_json).where(conversation.c.id == conversation_id)).scalar()
        rows = _rows(conversation_id, saved)
        if rows:
            bind.execute(entry.insert(), rows)
    # SQLite (3.35 and later) drops the column in place: batch mode would copy the table, and the
    # copy would forget the largest id ever given, which AUTOINCREMENT must keep (see b801e5cae1a4).
    op.drop_column('conversation', 'entries_json')


def downgrade() -> None:
    """Downgrade schema."""
    op.add_column('conversation', sa.Column('entries_json', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                            server_default='[]'))
    bind = op.get_bind()
    for (conversation_id,) in bind.execute(sa.select(conversation.c.id)).all():
        rows = bind.execute(sa.select(entry).where(entry.c.conversation_id == conversation_id)
                            .order_by(entry.c.position, entry.c.entry_id)).mappings().all()
        entries = [{'id': row['entry_id'], 'role': row['role'], 'text': row['text'], 'status': row['status'],
                    'at': row['at'], **({'call_id': row['call_id']} if row['call_id'] else {})} for row in rows]
        bind.execute(conversation.update().where(conversation.c.id == conversation_id)
                     .values(entries_json=json.dumps(entries, ensure_ascii=False)))
    op.drop_table('conversation_entry')
