"""A throwaway PostgreSQL cluster (Debian's `postgresql`) for the test session.

It listens on a Unix socket in its own temporary directory and nowhere else, so it works inside
the tests' network namespace. PostgreSQL refuses to run as root: as root it runs as Debian's
`postgres` user (or `nobody`); in a user namespace that maps only the caller to root (what
`scripts/in-netns` makes for a user who is not root), as that user again, in a nested namespace.
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

USER = "postgres"  # the cluster's superuser (trust authentication: it is reachable by its socket only)
LOG_NAME = "server.log"  # in the cluster's directory, beside its socket
TIMEZONE = "Pacific/Chatham"  # not UTC (+12:45 or +13:45): times the app shows as UTC must be converted


def _bindir() -> Path:
    """Debian keeps the server programs out of PATH, in /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not versions:
        raise RuntimeError("PostgreSQL's server is not installed: run scripts/setup --tests (Debian's postgresql)")
    return Path(versions[-1]).parent


def _outer_uid() -> int | None:
    """The real user behind root in a user namespace that maps one user; None for the real root."""
    lines = Path("/proc/self/uid_map").read_text().split()
    return None if lines[:2] == ["0", "0"] else int(lines[1])


def _unprivileged(directory: Path) -> list[str]:
    """The prefix that runs a command as a user PostgreSQL accepts, owning `directory`."""
    if os.geteuid() != 0:
        return []
    outer = _outer_uid()
    if outer is not None:
        return ["unshare", f"--map-user={outer}", f"--map-group={os.getegid()}"]
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        user = pwd.getpwnam("nobody")
    os.chown(directory, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", user.pw_name, "--"]


class Cluster:
    def __init__(self, socket_dir: Path):
        self.socket_dir = socket_dir

    @property
    def log(self) -> Path:
        """The server's log: what it refused, and why."""
        return self.socket_dir / LOG_NAME

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one of the cluster's databases (psycopg 3, over the socket)."""
        return f"postgresql+psycopg://{USER}@/{database}?host={self.socket_dir}"

    def create_database(self, name: str) -> str:
        """A new, empty database; returns its URL."""
        with psycopg.connect(host=str(self.socket_dir), user=USER, dbname="postgres", autocommit=True) as db:
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """initdb into a temporary directory, start the server there, stop it and remove it all after."""
    bindir = _bindir()
    directory = Path(tempfile.mkdtemp(prefix="voice-app-pg-"))  # short: a socket path has ~100 bytes
    data, log = directory / "data", directory / LOG_NAME
    as_owner = _unprivileged(directory)

    def run(*argv: str) -> None:
        done = subprocess.run([*as_owner, *argv], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}{server_log}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # Durability is not what is tested here: fsync off makes the cluster quick on slow disks.
        # The sessions' time zone is a production server's choice: one far from UTC.
        options = f"-k {directory} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c TimeZone={TIMEZONE}"
        run(str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(log), "-o", options)
        try:
            yield Cluster(directory)
        finally:
            try:
                run(str(bindir / "pg_ctl"), "stop", "-w", "-D", str(data), "-m", "fast")
            except RuntimeError:  # still ours to end: the postmaster's pid is the file's first line
                os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGQUIT)
                raise
    finally:
        shutil.rmtree(directory, ignore_errors=True)
