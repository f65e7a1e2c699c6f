"""Backend cost: N simulated browsers (bench/page_model.py) replay a load recorded from our page
(bench/timelines.py) through Reflex's own event socket against one backend worker. The worker is
pinned to one core and the load generator to the other (`taskset`), so one worker means one core.
"""

import asyncio
import os
import random
import time
from pathlib import Path

import psutil

from bench.page_model import EVENT_PACKET, Loops, Tally, browse
from bench.timelines import Timeline
from tests.e2e.conftest import running_app_process

SECONDS = 30  # each size runs this long
WORKER_CPU, LOAD_CPU = 0, 1
CONNECTS_PER_S = 100  # pages join at this pace before the run starts, as they would not all at once


def event_template(frames: list[tuple[float, str]]) -> str:
    """One receive_events packet our page sent: the shape of those the simulated pages send."""
    return next(text for _, text in frames if text.startswith(EVENT_PACKET) and ".receive_events" in text)


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu(processes) -> float:
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes if p.is_running())


def _rss(processes) -> int:
    return sum(p.memory_info().rss for p in processes if p.is_running())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


async def _run(url: str, template: str, timeline: Timeline, size: int, processes) -> dict:
    loops, tally = Loops(timeline), Tally()
    idle_rss = _rss(processes)
    joined = [asyncio.Event() for _ in range(size)]
    start = time.monotonic() + size / CONNECTS_PER_S + 2.0
    until = start + SECONDS
    pages = []
    for index in range(size):
        phase = random.uniform(0, timeline.seconds)
        pages.append(asyncio.create_task(browse(url, template, loops, phase, start, until, joined[index], tally)))
        await asyncio.sleep(1 / CONNECTS_PER_S)
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in joined)), timeout=max(1.0, start - time.monotonic()))
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    cpu_before = _cpu(processes)
    await asyncio.sleep(SECONDS)
    cpu, rss = _cpu(processes) - cpu_before, _rss(processes)
    await asyncio.gather(*pages)
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
    }


def measure(name: str, timeline: Timeline, sizes: list[int], template: str, logs: Path) -> list[dict]:
    results = []
    os.sched_setaffinity(0, {LOAD_CPU})  # this process (the load) on one core; the worker on the other
    for size in sizes:
        with running_app_process(logs / f"cost-{name.split()[0]}-{size}.log", cpus=str(WORKER_CPU), GRANIAN_WORKERS="1") as (
            url,
            process,
        ):
            results.append(asyncio.run(_run(url.replace("http", "ws"), template, timeline, size, _tree(process.pid))))
        print(_line(name, results[-1]), flush=True)
    return results


def _line(name: str, r: dict) -> str:
    return (
        f"{name} N={r['size']}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, back {r['answered']:.1%}, "
        f"worker {r['worker_busy']:.0%} busy, {r['batches_per_s']:.1f} batches/s each, "
        f"load generator late p95 {r['late_p95_ms']:.1f} ms"
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
