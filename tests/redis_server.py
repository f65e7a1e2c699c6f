"""A throwaway Redis for the tests, as production runs it: with a password (`requirepass`), on
loopback only, nothing written to disk."""

import contextlib
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator

import redis


@contextlib.contextmanager
def server(port: int) -> Iterator[str]:
    """redis-server on 127.0.0.1:`port`; yields its URL, password included. Stopped (by its pid) after."""
    password = secrets.token_urlsafe(18)
    log = tempfile.TemporaryFile("w+")
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*argv, "--requirepass", password], stdout=log, stderr=subprocess.STDOUT)
    url = f"redis://:{password}@127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    client = redis.Redis.from_url(url, socket_timeout=1)
    try:
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                log.seek(0)
                assert process.poll() is None, f"redis-server exited at start:\n{log.read()}"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(10)
        log.close()
