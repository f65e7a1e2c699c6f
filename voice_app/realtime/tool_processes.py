"""Sync tools run in tool processes, so that no tool can hold the worker past its timeout.

A thread cannot be stopped: a tool that spins keeps its thread (and a core) for good, and one
long computation in C (a huge power, a regex that backtracks) holds the GIL, so the worker's event
loop and every call on it wait. A tool process is killed when the call's time is up.

A tool process is a fresh interpreter (about 0.3 s to start and import the tools, outside the
call's timeout), kept warm between calls (MAX_IDLE), where a call costs well under a millisecond;
the worker awaits its answer on the event loop, holding no thread. Not multiprocessing.Process:
a spawned child imports the worker's main module again first, and forking the worker would copy
its threads' locks. What goes to a tool process and back (the function, by module and name; its
arguments; its value) is pickled.
"""

import asyncio
import atexit
import contextlib
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

MAX_IDLE = 2  # warm processes kept between calls; overlapping calls start more, for a while
MAX_BUSY = 8  # tool processes at once, the worker's whole: a flood of calls cannot fill its memory
BUSY = "the server is running as many tools as it may at once: try again in a moment"
START_TIMEOUT_S = 30.0  # to start a process and import a tool's module: not the tool's own time


class ToolFailed(Exception):
    """The tool raised, in its process; the message is its exception's type and words."""


def serve(fd: int) -> None:
    """In a tool process: for each call, the function (unpickling it imports its module, before the
    call's time starts), then its arguments; send back its outcome and its arguments (a ToolContext
    among them may have been changed). Ends when the worker closes its end."""
    connection = Connection(fd)
    while True:
        try:
            function = connection.recv()
        except EOFError:
            return
        connection.send("ready")
        kwargs = connection.recv()
        try:
            outcome = ("value", function(**kwargs))
        except Exception as error:
            outcome = ("failed", f"{type(error).__name__}: {error}")
        try:
            connection.send((outcome, kwargs))
        except Exception as error:  # a value that cannot be pickled
            connection.send((("failed", f"its result could not be sent back: {type(error).__name__}: {error}"), kwargs))


class _ToolProcess:
    def __init__(self) -> None:
        self.connection, theirs = multiprocessing.Pipe()
        path = os.pathsep.join(entry or os.getcwd() for entry in sys.path)  # where the tools' modules are
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import serve; serve({theirs.fileno()})"],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        theirs.close()  # so that ours reads EOF when the process dies
        _live.add(self)

    async def reply(self) -> Any:
        """The process's next message, awaited on the event loop: no thread waits for it."""
        loop, fd = asyncio.get_running_loop(), self.connection.fileno()
        readable = loop.create_future()
        loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
        try:
            await readable
        finally:
            loop.remove_reader(fd)
        return self.connection.recv()

    def kill(self) -> None:
        self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(1)  # a killed process is gone in milliseconds; this reaps it
        _live.discard(self)


_idle: list[_ToolProcess] = []
_live: set[_ToolProcess] = set()


async def run(function: Callable, kwargs: dict, timeout_s: float) -> tuple[Any, dict]:
    """function(**kwargs) in a tool process: its value and its arguments as the call left them.
    Raises TimeoutError (the process is killed) or ToolFailed."""
    if len(_live) - len(_idle) >= MAX_BUSY:
        raise ToolFailed(BUSY)
    tool_process = _idle.pop() if _idle else _ToolProcess()
    try:
        tool_process.connection.send(function)
        await asyncio.wait_for(tool_process.reply(), START_TIMEOUT_S)
        tool_process.connection.send(kwargs)
        (kind, value), kwargs = await asyncio.wait_for(tool_process.reply(), timeout_s)
    except (EOFError, ConnectionError):  # it died: the system killed it, or the tool ended it
        tool_process.kill()
        raise ToolFailed(f"its process ended unexpectedly (exit code {tool_process.process.returncode})") from None
    except BaseException:  # timed out or cancelled: the process may be computing still
        tool_process.kill()
        raise
    if len(_idle) < MAX_IDLE:
        _idle.append(tool_process)
    else:
        tool_process.kill()
    if kind == "failed":
        raise ToolFailed(value)
    return value, kwargs


@atexit.register
def close_all() -> None:
    """End every tool process, warm or busy (at exit; in tests, to start afresh)."""
    _idle.clear()
    for tool_process in list(_live):
        tool_process.kill()
