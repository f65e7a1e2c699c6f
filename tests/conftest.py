import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests import postgres, redis_server

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def standalone_simulator(api_key: str | None = None, options: tuple[str, ...] = ()):
    """A simulator started as a user starts it: `python -m voice_app.simulator` (taking only
    `api_key`, when given; with more command-line `options`)."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voice_app.simulator",
            "--port",
            str(port),
            *(["--api-key", api_key] if api_key else []),
            *options,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{url}/control/stats", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            assert process.poll() is None, "the simulator exited at start"
            assert time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.05)
    try:
        yield url, process, log
    finally:
        process.terminate()
        process.wait(10)
        log.seek(0)
        sys.stdout.write(log.read())  # pytest shows it when a test fails
        log.close()


def migrate(db_url: str) -> None:
    """The schema from the project's migrations, as docs/deploying.md says: `reflex db migrate`."""
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "reflex"), "db", "migrate"],
        cwd=ROOT,
        env={**os.environ, "REFLEX_DB_URL": db_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def postgresql():
    """A throwaway PostgreSQL cluster for the session, on a Unix socket only; `.create_database()`."""
    with postgres.cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def redis_url():
    """A Redis for the session, with a password: its URL (flush what a test leaves, if it matters)."""
    with redis_server.server(free_port()) as url:
        yield url


@pytest.fixture(scope="session")
def simulator_url():
    with standalone_simulator() as (url, _, _log):
        yield url


# The simulator's ear and voice off: speech labelled and played back, answers as long as the speech
# (the browser tests of the page are timed by them).
NO_SPEECH = ("--no-speech",)


@pytest.fixture(scope="session")
def silent_simulator_url():
    """The simulator with its ear and voice off (NO_SPEECH)."""
    with standalone_simulator(options=NO_SPEECH) as (url, _, _log):
        yield url


@pytest.fixture
def api_url(simulator_url):
    return simulator_url + "/v1"


@pytest.fixture
def control(simulator_url):
    """Queue faults on the simulator; whatever a test leaves queued is cleared after it."""
    with httpx.Client(base_url=simulator_url + "/control") as http:
        yield http
        http.delete("/faults").raise_for_status()


@pytest.fixture
def speech_wav() -> str:
    return str(FIXTURES / "hello.wav")


@pytest.fixture(scope="session")
def mcp_server():
    """A small MCP server on loopback (tests/fixtures/mcp_server.py): its URL and the token it wants."""
    port, token = free_port(), "mcp-token-" + os.urandom(8).hex()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fixtures.mcp_server", "--port", str(port), "--token", token],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "the MCP server did not start"
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/mcp", token
    finally:
        process.terminate()  # by its pid: only the process this fixture started
        process.wait(10)
