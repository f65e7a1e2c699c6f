"""The saved conversations' schema, brought up to date as the backend starts, so a plain
`reflex run` (without `reflex db migrate` first) saves from the first word."""

import asyncio
import contextlib

from reflex import model

from voice_app.service.logs import get_logger

RETRY_AFTER_S = 2.0  # several workers start at once: one migrates, the others find it done


async def _migrated() -> str | None:
    """None once the schema is at the newest migration; else what went wrong (its kind only:
    a database error can carry connection details)."""
    try:
        await asyncio.to_thread(model.migrate)
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
    yield
