"""The two hosts of tests/e2e/test_hosts.py, started together: each backend in a directory of its
own, sharing one Redis (with a password) and one PostgreSQL database; the API a standalone
simulator; the pages reach them through one balancer from one static frontend."""

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy

from tests import redis_server
from tests.conftest import NO_SPEECH, ROOT, free_port, standalone_simulator
from tests.e2e.conftest import app_environment, serving, wait_until_ready
from tests.e2e.hosts import Balancer, frontend_for, host_directory, static_server

KEY = "sk-test-hosts-0123456789"
HOSTS = ("a", "b")
ATTACHED = r"voice_app\[(\d+)\] INFO server attached call=(\S+)"


@dataclass
class Hosts:
    frontend: str  # the static frontend's URL: every page's
    balancer: Balancer
    urls: dict[str, str]  # each host's backend, reached directly
    logs: dict[str, Path]
    database: str
    database_log: str  # what the database server logged while the hosts started

    def log(self, name: str) -> str:
        return self.logs[name].read_text()

    def attached(self, name: str) -> list[tuple[str, str]]:
        """(worker pid, call id) of each call host `name` attached to, in order."""
        return re.findall(ATTACHED, self.log(name))


@contextlib.contextmanager
def running(base: Path, postgresql, **env_changes) -> Iterator[Hosts]:
    """Both hosts, started at the same moment (neither waits for the other, nor for a migration),
    each with `env_changes` in its environment; under `base`, each host's directory and the frontend."""
    ports = {name: free_port() for name in HOSTS}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server.server(free_port()))
        simulator_url = stack.enter_context(standalone_simulator(options=NO_SPEECH))[0]
        database = postgresql.create_database("two_hosts")
        database_log_start = postgresql.log.stat().st_size
        started, logs = {}, {}
        for name in HOSTS:
            directory = host_directory(base / name)
            logs[name] = directory / "reflex.log"
            env = app_environment(
                logs[name],
                REFLEX_DB_URL=database,
                REFLEX_REDIS_URL=redis_url,
                OPENAI_API_KEY=KEY,
                OPENAI_BASE_URL=simulator_url + "/v1",
                GRANIAN_WORKERS="1",  # one worker a host: the one to kill is the one holding the call
                **env_changes,
            )
            argv = [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--backend-only", "--backend-port", str(ports[name])]
            started[name] = stack.enter_context(serving(argv, env, logs[name], f"{urls[name]}/ping", cwd=directory, wait=False))
        for name in HOSTS:
            wait_until_ready(started[name], logs[name], f"{urls[name]}/ping")
        with open(postgresql.log) as log:
            log.seek(database_log_start)
            database_log = log.read()
        balancer = Balancer(ports)
        stack.callback(balancer.close)
        frontend = stack.enter_context(static_server(frontend_for(balancer.port, base / "frontend")))
        yield Hosts(frontend, balancer, urls, logs, database, database_log)


def saved_entries(hosts: Hosts, page) -> list[tuple[str, str]]:
    """(role, text) of each entry the database holds of the page's conversation, in order."""
    conversation_id = page.evaluate("() => localStorage.getItem('voice_conversation')")
    engine = sqlalchemy.create_engine(hosts.database)
    try:
        with engine.connect() as db:
            rows = db.execute(
                sqlalchemy.text("select role, text from conversation_entry where conversation_id = :id order by position"),
                {"id": int(conversation_id)},
            )
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()
