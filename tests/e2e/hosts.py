"""Two hosts on one machine, for tests/e2e/test_hosts.py: each backend in a working directory of
its own (its own local folders, as a second machine has), one static frontend, and between the
pages and the hosts a balancer, as production puts one: one address for every page, so pages
share one origin (one browser's storage, one owner) whichever host serves them."""

import asyncio
import contextlib
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

APP_FILES = ("rxconfig.py", "voice_app", "alembic", "alembic.ini", "assets")  # what a host runs the app from
BACKEND_ORIGIN = re.compile(r"\b(https?|wss?)://[^/`\"']+/")


def host_directory(directory: Path) -> Path:
    """A host's working directory: links to the app's files, nothing else (its `.web`, `.states`
    and recordings are its own)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in APP_FILES:
        (directory / name).symlink_to(ROOT / name)
    return directory


def frontend_for(backend_port: int, directory: Path) -> Path:
    """A copy of the built frontend whose pages reach the backend at `backend_port`. The exported
    client carries its backend's address in one asset (Reflex's `reflex-env` chunk, the build's
    env.json): rewriting it there saves a rebuild."""
    shutil.copytree(ROOT / ".web" / "build" / "client", directory)
    carriers = [path for path in (directory / "assets").glob("*.js") if "/_event`" in path.read_text()]
    assert len(carriers) == 1, f"the backend's address is in one asset of the build, not {carriers}"
    text = carriers[0].read_text()
    carriers[0].write_text(BACKEND_ORIGIN.sub(lambda m: f"{m.group(1)}://127.0.0.1:{backend_port}/", text))
    (directory / "assets" / f"{carriers[0].name}.gz").unlink(missing_ok=True)  # no stale compressed copy
    return directory


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """A plain static file server for `directory` on loopback; yields its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


class Balancer:
    """A TCP balancer in a thread of its own: each new connection goes to the host `send_to` named
    last, or to another host if that one refuses (a dead host's pages reconnect elsewhere)."""

    def __init__(self, hosts: dict[str, int]):
        self.hosts, self.target = hosts, next(iter(hosts))
        self.opened: list[str] = []  # the host of each connection, in order
        self._open: set[tuple[str, asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._connected, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    def send_to(self, name: str) -> None:
        self.target = name

    def cut(self, name: str) -> None:
        """Close every connection open to host `name`: its pages reconnect, through here."""

        async def cut():
            for host, page, backend in list(self._open):
                if host == name:
                    page.transport.abort()
                    backend.transport.abort()

        self._run(cut())

    async def _connected(self, page_reader, page_writer):
        for name in (self.target, *(name for name in self.hosts if name != self.target)):
            try:
                backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", self.hosts[name])
                break
            except OSError:
                continue
        else:
            page_writer.transport.abort()
            return
        entry = (name, page_writer, backend_writer)
        self._open.add(entry)
        self.opened.append(name)
        try:
            await asyncio.gather(_pipe(page_reader, backend_writer), _pipe(backend_reader, page_writer))
        finally:
            self._open.discard(entry)

    def close(self) -> None:
        async def close():
            self._server.close()
            for _, page, backend in list(self._open):
                page.transport.abort()
                backend.transport.abort()

        self._run(close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """One direction of a connection, until either side ends it."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.transport.abort()
