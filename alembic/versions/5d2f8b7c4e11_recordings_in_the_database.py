"""recordings in the database

Kept recordings were files in APP_RECORDINGS_DIR on one host, and their signing key was made per
host: a recording kept through one host was missing on another. They are now rows of the database
every host shares: `recording` (the bytes, with owner, media type and size, gone with their
conversation), `recording_pass` (the upload passes spent: the key refuses a second spending, from
any host) and `signing_key` (made once, by the first worker to sign or check a pass). Files left in an old
APP_RECORDINGS_DIR are moved in by the app as it starts (service/recording_import.py).

Revision ID: 5d2f8b7c4e11
Revises: 3c5e9a1d7f20
Create Date: 2026-12-02 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '5d2f8b7c4e11'
down_revision: Union[str, Sequence[str], None] = '3c5e9a1d7f20'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('recording',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('kept_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id')
    )
    op.create_index(op.f('ix_recording_owner'), 'recording', ['owner'], unique=False)
    op.create_table('recording_pass',
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('spent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('signature')
    )
    op.create_index(op.f('ix_recording_pass_conversation_id'), 'recording_pass', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_recording_pass_spent_at'), 'recording_pass', ['spent_at'], unique=False)
    op.create_table('signing_key',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('signing_key')
    op.drop_index(op.f('ix_recording_pass_spent_at'), table_name='recording_pass')
    op.drop_index(op.f('ix_recording_pass_conversation_id'), table_name='recording_pass')
    op.drop_table('recording_pass')
    op.drop_index(op.f('ix_recording_owner'), table_name='recording')
    op.drop_table('recording')
