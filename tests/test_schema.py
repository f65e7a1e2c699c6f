"""Hosts starting together: each worker brings the schema up to date as it starts (service/schema.py),
at the same moment as the others, against one database. One migrates; the others wait and find it done."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # a PostgreSQL cluster, and two processes that import the app

# A worker's start, as Reflex runs the lifespan task; alembic says each migration it runs.
WORKER = """
import asyncio, logging, pathlib, sys, time
from voice_app.service.schema import schema_up_to_date
from reflex import model
logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
model.get_engine().connect().close()  # connected once already: after `go`, only the migrations
ready, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ready.touch()
while not go.exists():
    time.sleep(0.001)
async def start():
    async with schema_up_to_date():
        pass
asyncio.run(start())
"""
WORKERS = 2


def _started_together(url: str, folder: Path) -> list[str]:
    """What each of WORKERS processes logged, started against `url` at the same moment."""
    go, env = folder / "go", {**os.environ, "REFLEX_DB_URL": url}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder / f"ready-{n}"), str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(WORKERS)
    ]
    deadline = time.monotonic() + 120
    while not all((folder / f"ready-{n}").exists() for n in range(WORKERS)) and time.monotonic() < deadline:
        time.sleep(0.02)
    go.touch()  # both are past their imports: they migrate at once
    return [worker.communicate(timeout=120)[0] for worker in workers]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_workers_starting_together_migrate_once_with_no_error(kind, request, tmp_path):
    url = (
        f"sqlite:///{tmp_path / 'shared.db'}"
        if kind == "sqlite"
        else request.getfixturevalue("postgresql").create_database("together")
    )
    logs = _started_together(url, tmp_path)
    assert not any("ERROR" in log or "Traceback" in log for log in logs), logs
    migrating = [log for log in logs if "Running upgrade" in log]
    assert len(migrating) == 1, logs  # the other found the schema current, with nothing half done
    # ...at its first try: a worker that failed and tried again (after RETRY_AFTER_S) was a
    # failure hidden, and more workers, or slower migrations, would have logged it.
    assert [log.count("Context impl") for log in logs] == [1] * WORKERS, logs
    head = ScriptDirectory.from_config(Config(ROOT / "alembic.ini")).get_current_head()
    with sqlalchemy.create_engine(url).connect() as connection:
        assert connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
