"""Backend cost: N simulated browsers replay a real page's event batches through Reflex's own event
socket, at the pace they were recorded, against one backend worker.

The recording is what our page sent during benchmark 2's 50 events/s stream (its data-channel
batches, as `receive_events`); each simulated browser hydrates under a token of its own and then
replays those batches in a loop, with item and response ids made unique per loop.
"""

import asyncio
import json
import re
import time
import uuid
from pathlib import Path

import psutil
import websockets

from tests.e2e.conftest import running_app_process

SECONDS = 30  # each size runs this long
EVENT_PACKET = '42/_event,["event"'


def recorded_batches(frames: list[tuple[float, str]]) -> tuple[str, list[tuple[float, str]]]:
    """From a page's sent websocket frames: its hydrate packet, and its receive_events packets
    with their offsets in seconds from the first."""
    hydrate = next(text for _, text in frames if text.startswith("40/_event,"))
    batches = [(at, text) for at, text in frames if text.startswith(EVENT_PACKET) and ".receive_events" in text]
    start = batches[0][0]
    return hydrate, [(at - start, text) for at, text in batches]


def _unique(text: str, loop: int) -> str:
    return re.sub(r'"((?:item|resp|event)_[A-Za-z0-9]{8,})"', lambda m: f'"{m.group(1)}x{loop}"', text)


def _last_word(packet: str) -> tuple[str, str] | None:
    """The (item id, last word) a sent batch of transcript deltas leaves on screen, if any."""
    batch = json.loads(packet.split(",", 1)[1])[1]["payload"]["batch"]
    deltas = [e for e in batch if str(e.get("type", "")).endswith("transcript.delta") and "item_id" in e]
    words = str(deltas[-1].get("delta", "")).split() if deltas else []
    return (deltas[-1]["item_id"], words[-1]) if words else None


LIVE = re.compile(r'"live_text_rx_state_":(\{[^{}]*\})')


async def _browser(url: str, hydrate: str, batches: list, until: float, latencies: list[float]) -> tuple[int, int]:
    """One simulated browser; returns how many batches it sent, and how many of them were
    transcript deltas. Such a batch is answered when the page's live text ends with its last
    word: that time goes to `latencies`."""
    sent = with_words = 0
    async with websockets.connect(f"{url}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}",
                                  max_size=None) as socket:
        waiting: dict[tuple[str, str], float] = {}

        async def receive():
            async for message in socket:
                if message == "2":
                    await socket.send("3")  # engine.io ping
                    continue
                for live in LIVE.findall(message):
                    for item_id, text in json.loads(live).items():
                        words = text.split()
                        if words and (item_id, words[-1]) in waiting:
                            latencies.append(time.monotonic() - waiting.pop((item_id, words[-1])))

        receiver = asyncio.create_task(receive())
        await socket.send(hydrate)
        await asyncio.sleep(1.0)  # hydrated
        loop = 0
        try:
            while time.monotonic() < until:
                started = time.monotonic()
                for offset, packet in batches:
                    await asyncio.sleep(max(0.0, started + offset - time.monotonic()))
                    if time.monotonic() >= until:
                        break
                    packet = _unique(packet, loop)
                    if (key := _last_word(packet)) is not None:
                        waiting[key] = time.monotonic()
                        with_words += 1
                    await socket.send(packet)
                    sent += 1
                loop += 1
        finally:
            await asyncio.sleep(1.0)  # the last answers
            receiver.cancel()
    return sent, with_words


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _cpu(processes) -> float:
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes if p.is_running())


def _rss(processes) -> int:
    return sum(p.memory_info().rss for p in processes if p.is_running())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def measure(sizes: list[int], frames: list[tuple[float, str]], logs: Path) -> list[dict]:
    hydrate, batches = recorded_batches(frames)
    results = []
    for size in sizes:
        log = logs / f"cost-{size}.log"
        with running_app_process(log, GRANIAN_WORKERS="1") as (url, process):
            processes = _tree(process.pid)
            idle_rss, cpu_before = _rss(processes), _cpu(processes)
            latencies: list[float] = []
            until = time.monotonic() + SECONDS

            async def run():
                return await asyncio.gather(*(_browser(url.replace("http", "ws"), hydrate, batches, until, latencies)
                                              for _ in range(size)))

            counts = asyncio.run(run())
            sent, with_words = sum(c[0] for c in counts), sum(c[1] for c in counts)
            cpu = _cpu(processes) - cpu_before
            results.append({
                "size": size,
                "cpu_s_per_conversation_minute": cpu / (size * SECONDS / 60),
                "memory_mb_per_conversation": (_rss(processes) - idle_rss) / size / 2**20,
                "p95_ms": _percentile(latencies, 95) * 1000,
                "batches_per_s": sent / size / SECONDS,
                "answered": len(latencies) / max(with_words, 1),
            })
    return results


def rows(sizes: list[int], frames: list[tuple[float, str]], logs: Path) -> list[str]:
    """Each size against one conversation alone (N = 1): how the cost per conversation scales."""
    results = measure(sorted(set([1, *sizes])), frames, logs)
    alone = results[0]
    lines = []
    for r in results:
        for key, label, unit in (("cpu_s_per_conversation_minute", "backend CPU per conversation-minute", "s"),
                                 ("memory_mb_per_conversation", "backend memory per conversation", "MB"),
                                 ("p95_ms", "backend event handling p95", "ms")):
            ratio = r[key] / alone[key] if alone[key] else float("nan")
            lines.append(f"| {label}, N = {r['size']} | {r[key]:.2f} {unit} | {alone[key]:.2f} {unit} (N = 1) | {ratio:.2f} |")
        lines.append(f"| updates back within the run, N = {r['size']} | {r['answered']:.0%} | {alone['answered']:.0%} (N = 1) | |")
    rate = alone["batches_per_s"]
    lines.append(f"| event batches per conversation per second (replayed) | {rate:.1f} | | |")
    return lines
