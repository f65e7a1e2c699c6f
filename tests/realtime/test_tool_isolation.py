"""Sync tools run in tool processes: one that computes or spins cannot hold the worker past its
timeout, its process is killed, and a ToolContext's changes come back.

The tools are defined at module level: a tool process imports them by module and name.
"""

import asyncio
import itertools
import json
import os
import threading
import time

import psutil
import pytest

from voice_app.realtime import tool_processes
from voice_app.realtime.tools import ToolContext, ToolRegistry

released, turns = threading.Event(), itertools.count()


def spin() -> str:
    """Spins in pure Python for ever."""
    while True:
        pass


def spin_until_released() -> str:
    """Spins in pure Python until the test lets it go."""
    while not released.is_set():
        next(turns)
    return "released"


def power(exponent: int) -> str:
    """One long computation in C, which holds the GIL throughout; says when it began and ended."""
    began = time.monotonic()
    9**exponent
    return json.dumps([began, time.monotonic()])


def note(text: str, context: ToolContext) -> str:
    """Writes on the note pad; says which process it ran in."""
    context.notes["last"] = text
    return str(os.getpid())


def die() -> str:
    """Ends its own process."""
    os._exit(3)


tools = ToolRegistry()
tools.register(spin, timeout_s=0.5)
tools.register(spin_until_released, name="spin_in_a_thread", timeout_s=0.2, isolated=False)
tools.register(power, timeout_s=30)
tools.register(power, name="power_in_a_thread", timeout_s=30, isolated=False)
tools.register(note)
tools.register(note, name="note_in_time", timeout_s=0.1)
tools.register(die)


async def watched(call):
    """The call's result, when an asyncio ticker ticked meanwhile, and the processes it started."""
    ticks, children, before = [], set(), {child.pid for child in psutil.Process().children()}

    async def tick():
        while True:
            ticks.append(time.monotonic())
            if len(ticks) % 10 == 1:  # listing processes reads /proc: not at every tick
                children.update(child.pid for child in psutil.Process().children())
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    try:
        return await call, ticks, children - before
    finally:
        ticker.cancel()


async def test_one_long_computation_freezes_the_event_loop_in_a_thread_but_not_in_a_tool_process():
    frozen, ticks, _ = await watched(tools.call("power_in_a_thread", '{"exponent": 1500000}'))
    began, ended = json.loads(frozen.output)
    assert ended - began > 0.1  # long enough for ten ticks: that none came is the GIL's doing
    assert sum(began < tick < ended for tick in ticks) <= 1  # (one may slip in before the power starts)

    isolated, ticks, _ = await watched(tools.call("power", '{"exponent": 1500000}'))
    began, ended = json.loads(isolated.output)  # time.monotonic is the same clock in every process
    assert sum(began < tick < ended for tick in ticks) >= 5


async def test_a_timeout_cannot_stop_a_spinning_thread():
    try:
        result = await tools.call("spin_in_a_thread", "{}")
        assert result.failed and "did not finish within 0.2 s" in result.output
        before = next(turns)
        await asyncio.sleep(0.1)
        assert next(turns) > before + 1  # still spinning, after its timeout
    finally:
        released.set()


async def test_a_tool_that_spins_for_ever_times_out_its_process_is_killed_and_the_loop_kept_ticking():
    tool_processes.close_all()  # so that the only process the call uses is one it starts
    began = time.monotonic()
    result, ticks, children = await watched(tools.call("spin", "{}"))
    assert result.failed and result.output == "Error: spin did not finish within 0.5 s."
    assert time.monotonic() - began < 10  # 0.5 s, after a process start (about 0.3 s; more on a busy machine)
    assert len(ticks) >= 10  # about 50 at one each 10 ms
    assert len(children) == 1 and not psutil.pid_exists(children.pop())  # killed and reaped
    assert (await tools.call("note", '{"text": "after"}')).output.isdigit()  # a new process serves the next call


async def test_the_note_pad_a_tool_process_changed_comes_back():
    context = ToolContext(notes={"1": "milk"})
    result = await tools.call("note", '{"text": "eggs"}', context)
    assert int(result.output) != os.getpid() and context.notes == {"1": "milk", "last": "eggs"}


async def test_starting_a_process_and_importing_the_tool_is_not_the_tools_own_time():
    tool_processes.close_all()
    began = time.monotonic()
    result = await tools.call("note_in_time", '{"text": "quick"}')
    assert not result.failed and time.monotonic() - began > 0.1  # a start (about 0.3 s) outlasts the tool's 0.1 s


async def test_a_tool_process_that_dies_is_reported_and_replaced():
    assert (await tools.call("die", "{}")).output == "Error: die failed: its process ended unexpectedly (exit code 3)"
    assert not (await tools.call("note", '{"text": "still here"}')).failed


def test_a_function_defined_inside_another_must_say_it_runs_in_the_worker():
    def local(x: int) -> int:
        return x

    with pytest.raises(TypeError, match="define it at module level, or register it with isolated=False"):
        ToolRegistry().register(local)
    ToolRegistry().register(local, isolated=False)


async def test_tool_processes_at_once_are_bounded(monkeypatch):
    monkeypatch.setattr(tool_processes, "MAX_BUSY", 1)
    spinning = asyncio.create_task(tools.call("spin", "{}"))
    async with asyncio.timeout(10):
        while len(tool_processes._live) - len(tool_processes._idle) < 1:
            await asyncio.sleep(0.01)  # the spinning tool's process is busy
    refused = await tools.call("note", json.dumps({"text": "x"}))
    assert refused.failed and tool_processes.BUSY in refused.output
    assert (await spinning).failed  # timed out, and its process killed: the next call may run
    assert not (await tools.call("note", json.dumps({"text": "y"}))).failed
