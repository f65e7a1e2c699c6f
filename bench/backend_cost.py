"""Backend cost: N simulated browsers (bench/page_model.py) replay a load recorded from our page
(bench/timelines.py) through Reflex's own event socket against one backend worker. The worker is
pinned to one core and the load generator to the other (`taskset`), so one worker means one core.
"""

import asyncio
import contextlib
import os
import random
import time
from pathlib import Path

import psutil

from bench import two_halves
from bench.page_model import EVENT_PACKET, Loops, Tally, browse
from bench.timelines import Timeline
from tests.e2e.conftest import running_app_process

SECONDS = 30  # each size runs this long
WORKER_CPU, LOAD_CPU = 0, 1
CONNECTS_PER_S = 100  # pages join at this pace before the run starts, as they would not all at once
JOIN_S = 120.0  # for every page to have joined (and connected, with both halves)


def event_template(frames: list[tuple[float, str]]) -> str:
    """One receive_events packet our page sent: the shape of those the simulated pages send."""
    return next(text for _, text in frames if text.startswith(EVENT_PACKET) and ".receive_events" in text)


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu(pid: int) -> float:
    """The worker's tree as it is now (tool processes come and go), and what its ended children took."""
    total = 0.0
    for process in _tree(pid):
        with contextlib.suppress(psutil.NoSuchProcess):  # one that ended meanwhile: its parent counts it
            total += sum(process.cpu_times()[:4])  # user, system, and its ended children's
    return total


def _rss(processes) -> int:
    return sum(p.memory_info().rss for p in processes if p.is_running())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


async def _run(url: str, template: str, timeline: Timeline, size: int, pid: int, dialer=None) -> dict:
    """`dialer` (bench/two_halves.py): each page connects, and the worker attaches to its call."""
    loops, tally = Loops(timeline), Tally()
    idle_rss = _rss(_tree(pid))
    joined = [asyncio.Event() for _ in range(size)]
    when = asyncio.get_running_loop().create_future()
    pages = []
    for index in range(size):
        phase = random.uniform(0, timeline.seconds)
        pages.append(asyncio.create_task(browse(url, template, loops, phase, when, joined[index], tally, dialer)))
        await asyncio.sleep(1 / CONNECTS_PER_S)
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in joined)), timeout=JOIN_S)
    if dialer is not None:
        await dialer.attached(size)
    start = time.monotonic() + 2.0
    until = start + SECONDS
    when.set_result((start, until))
    if dialer is not None:
        await dialer.start(start, until)
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    cpu_before = _cpu(pid)
    await asyncio.sleep(SECONDS)
    cpu, rss = _cpu(pid) - cpu_before, _rss(_tree(pid))
    await asyncio.gather(*pages)
    server_waits = await dialer.waits() if dialer is not None else []
    return {
        "size": size,
        "cpu_s_per_conversation_minute": cpu / (size * SECONDS / 60),
        "worker_busy": cpu / SECONDS,
        "memory_mb_per_conversation": (rss - idle_rss) / size / 2**20,
        "p50_ms": percentile(tally.waits, 50) * 1000,
        "p95_ms": percentile(tally.waits, 95) * 1000,
        "answered": len(tally.waits) / max(tally.arrived, 1),
        "batches_per_s": tally.batches / size / SECONDS,
        "late_p95_ms": percentile(tally.lateness, 95) * 1000,
        "server_p95_ms": percentile(server_waits, 95) * 1000,
        "server_tool_calls": len(server_waits),
    }


def measure(name: str, timeline: Timeline, sizes: list[int], template: str, logs: Path, server: bool = False) -> list[dict]:
    """`server`: both halves, the worker's own connection to every call as well (bench/two_halves.py)."""
    results = []
    os.sched_setaffinity(0, {LOAD_CPU})  # this process (the load) on one core; the worker on the other
    for size in sizes:
        log = logs / f"cost-{name.split()[0]}-{'both' if server else 'page'}-{size}.log"
        with contextlib.ExitStack() as stack:
            control_url, env = stack.enter_context(two_halves.simulator(timeline)) if server else (None, {})
            url, process = stack.enter_context(running_app_process(log, cpus=str(WORKER_CPU), GRANIAN_WORKERS="1", **env))
            dialer = two_halves.Dialer(control_url, template) if server else None
            results.append(asyncio.run(_run(url.replace("http", "ws"), template, timeline, size, process.pid, dialer)))
        print(_line(name, results[-1]), flush=True)
    return results


def _line(name: str, r: dict) -> str:
    return (
        f"{name} N={r['size']}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, back {r['answered']:.1%}, "
        f"worker {r['worker_busy']:.0%} busy, {r['batches_per_s']:.1f} batches/s each, "
        f"load generator late p95 {r['late_p95_ms']:.1f} ms"
        + (f"; server: tool call → output p95 {r['server_p95_ms']:.1f} ms" * bool(r["server_tool_calls"]))
    )


def rows(name: str, timeline: Timeline, sizes: list[int], template: str, logs: Path) -> list[str]:
    """Each size against one conversation alone (N = 1): how the cost per conversation scales."""
    results = measure(name, timeline, sorted(set([1, *sizes])), template, logs)
    alone = results[0]
    lines = [
        f"| {name}: events per conversation-minute (sent on to Python / received) | "
        f"{timeline.forwarded_per_minute:.0f} / {timeline.received_per_minute:.0f} | | |"
    ]
    for r in results:
        n = r["size"]
        for key, label, unit in (
            ("p95_ms", "event → handled p95", "ms"),
            ("cpu_s_per_conversation_minute", "worker CPU per conversation-minute", "s"),
            ("memory_mb_per_conversation", "worker memory per conversation", "MB"),
        ):
            ratio = r[key] / alone[key] if alone[key] else float("nan")
            lines.append(f"| {name}, N = {n}: {label} | {r[key]:.2f} {unit} | {alone[key]:.2f} {unit} (N = 1) | {ratio:.2f} |")
        lines.append(
            f"| {name}, N = {n}: events handled within the run; worker core busy; batches/s each "
            f"| {r['answered']:.1%}; {r['worker_busy']:.0%}; {r['batches_per_s']:.1f} | "
            f"{alone['answered']:.1%}; {alone['worker_busy']:.0%}; {alone['batches_per_s']:.1f} (N = 1) | |"
        )
    return lines


def halves_rows(name: str, timeline: Timeline, sizes: list[int], template: str, logs: Path) -> list[str]:
    """Both halves of each call (the page's events and the server's own connection) against the
    page's alone, size by size, the two in turn so that both see the same machine."""
    lines = []
    for size in sizes:
        page, both = (measure(name, timeline, [size], template, logs, server)[0] for server in (False, True))
        for key, label, unit in (
            ("cpu_s_per_conversation_minute", "worker CPU per conversation-minute", "s"),
            ("p95_ms", "event → handled p95 (the page)", "ms"),
        ):
            ratio = both[key] / page[key] if page[key] else float("nan")
            lines.append(f"| {name}, N = {size}: {label} | {both[key]:.2f} {unit} | {page[key]:.2f} {unit} | {ratio:.2f} |")
        lines.append(
            f"| {name}, N = {size}: the server's connection, tool call → its output at the API, p95 "
            f"({both['server_tool_calls']} calls) | {both['server_p95_ms']:.2f} ms | | |"
        )
        lines.append(
            f"| {name}, N = {size}: events handled within the run; worker core busy | {both['answered']:.1%}; "
            f"{both['worker_busy']:.0%} | {page['answered']:.1%}; {page['worker_busy']:.0%} | |"
        )
    return lines
