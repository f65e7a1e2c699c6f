"""ids are never reused

SQLite gives the next row the largest id in use plus one, so a deleted newest conversation's id
went to the next one, and a tab still holding it saved over that. AUTOINCREMENT makes SQLite
behave as PostgreSQL's sequence does. Other databases: nothing to change.

Revision ID: b801e5cae1a4
Revises: 678108366208
Create Date: 2026-11-24 14:02:42

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = 'b801e5cae1a4'
down_revision: Union[str, Sequence[str], None] = '678108366208'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _sqlite_autoincrement(on: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot alter a table's key: batch mode copies it into a new one, rows and indexes.
        with op.batch_alter_table('conversation', recreate='always', table_kwargs={'sqlite_autoincrement': on}):
            pass


def upgrade() -> None:
    """Upgrade schema."""
    _sqlite_autoincrement(True)


def downgrade() -> None:
    """Downgrade schema."""
    _sqlite_autoincrement(False)
