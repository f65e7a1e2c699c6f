"""where hearing ended

An answer the user interrupted keeps how many characters of its text were heard
(`conversation_entry.heard_chars`); null for every other entry, and for those saved before.

Revision ID: 3c5e9a1d7f20
Revises: 828f97d3f808
Create Date: 2026-11-24 20:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '3c5e9a1d7f20'
down_revision: Union[str, Sequence[str], None] = '828f97d3f808'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('conversation_entry') as table:
        table.add_column(sa.Column('heard_chars', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('conversation_entry') as table:
        table.drop_column('heard_chars')
