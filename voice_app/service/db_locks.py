"""Locks in the database every host shares, so that hosts and workers take turns where a check and
the write it allows must not interleave (a cap's count and its insert; the schema's migrations).

PostgreSQL: advisory locks, which any connection of any host waits for. SQLite is one file on one
host: its own write lock serializes the transactions, and a file lock beside it the migrations.
Blocking: called off the event loop.
"""

import contextlib
import fcntl
import zlib
from collections.abc import Iterator

import sqlalchemy


def _key(name: str) -> int:
    """A stable 32-bit number for a lock's name (advisory locks are numbered)."""
    return zlib.crc32(f"voice_app:{name}".encode())


def take_turn(session, name: str, table: str) -> None:
    """Wait until no other transaction holds the turn `name`, and hold it until this one ends.

    SQLite: a write that changes nothing in `table` takes the database's write lock now, before the
    reads that follow (a transaction that reads first cannot wait for the lock: it fails)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _key(name)})
    elif dialect == "sqlite":
        session.execute(sqlalchemy.text(f'UPDATE "{table}" SET rowid = rowid WHERE 0'))  # noqa: S608 - our own name


@contextlib.contextmanager
def held_across_hosts(engine: sqlalchemy.engine.Engine, name: str) -> Iterator[None]:
    """The lock `name`, held (on a connection of its own) while the block runs, whatever it does
    with other connections. SQLite: an flock on a file beside the database's; in memory: none."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT pg_advisory_lock(:key)"), {"key": _key(name)})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:key)"), {"key": _key(name)})
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.{name}.lock", "a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes, or the process ends
        yield
