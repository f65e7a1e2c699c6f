"""The saved conversations' schema, brought up to date as the backend starts, so a plain
`reflex run` (without `reflex db migrate` first) saves from the first word.

Every worker of every host does this as it starts: under a lock in the database (db_locks.py), so
one migrates and the others, waiting, find the schema current; none sees another's half-done work."""

import asyncio
import contextlib

from reflex import model

from voice_app.service import recording_import
from voice_app.service.db_locks import held_across_hosts
from voice_app.service.logs import get_logger

RETRY_AFTER_S = 2.0  # a database that is itself still starting: one more try


def _migrate() -> None:
    with held_across_hosts(model.get_engine(), "migrations"):
        model.migrate()


def _moved_in() -> None:
    """What an older version kept as files, moved in (after the migrations, without their lock:
    it is safe to run on every worker at once). Its failure is its own, not the schema's."""
    try:
        recording_import.moved_in()
    except Exception as error:  # noqa: BLE001 - logged; the app runs on, and the next start tries again
        get_logger().warning("recordings in APP_RECORDINGS_DIR not moved into the database (%s)", type(error).__name__)


async def _migrated() -> str | None:
    """None once the schema is at the newest migration; else what went wrong (its kind only:
    a database error can carry connection details)."""
    try:
        await asyncio.to_thread(_migrate)
    except Exception as error:  # noqa: BLE001 - any failure is reported the same way, below
        return type(error).__name__
    return None


@contextlib.asynccontextmanager
async def schema_up_to_date(*_args, **_kwargs):
    problem = await _migrated()
    if problem is not None:
        await asyncio.sleep(RETRY_AFTER_S)
        problem = await _migrated()
    if problem is not None:
        get_logger().error(
            "the database schema could not be brought up to date (%s): conversations will not be "
            "saved; check REFLEX_DB_URL, then run `reflex db migrate`",
            problem,
        )
    else:
        await asyncio.to_thread(_moved_in)
    yield
