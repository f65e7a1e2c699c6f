"""Flood: one client that is not our page (its own token) sends `receive_events` batches of
made-up events to Reflex's event socket as fast as the worker reads them, while a real page
(Chromium, muted: typed turns only) talks. Measured: the page's typed turn, from typing it to the
answer (`You wrote "…"`) shown done in the DOM, timed in the page, without and with the flood.
The flood runs in a process of its own, stops by itself, and then waits for its backlog.
"""

import asyncio
import multiprocessing
import os
import time
import uuid
from pathlib import Path

import websockets
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.backend_cost import _rss, _tree, event_template, percentile
from bench.page_model import HANDLED, packet
from bench.pages import click_connect, launched, opened, send_text, simulator_api, wait_connected
from tests.e2e.test_bounds import added
from voice_app.realtime import bounds

TURNS = 10
ANSWER_S = 30.0  # a turn not answered by then failed
FLOOD_MAX_S = 120.0  # the flood stops by itself after this, whatever the turns do
DRAIN_MAX_S = 60.0  # after it, how long its backlog may take to be handled
BATCHES = 8  # distinct batches of MAX_BATCH_EVENTS, more entries than a conversation holds

ARM = """(text) => {
  const want = `You wrote "${text}"`;
  const turn = window.__turn = {start: performance.now(), ms: null};
  const observer = new MutationObserver(() => {
    const done = document.querySelectorAll("[data-testid=transcript-entry][data-status=done]");
    if ([...done].some((entry) => entry.textContent.includes(want))) {
      turn.ms = performance.now() - turn.start;
      observer.disconnect();
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def typed_turn(page, text: str) -> float:
    """ms from typing `text` to its answer done; inf if not answered within ANSWER_S."""
    page.evaluate(ARM, text)
    try:
        send_text(page, False, text)  # waits for Send to be enabled, within the same time
        page.wait_for_function("() => window.__turn.ms !== null", timeout=ANSWER_S * 1000, polling=100)
        ms = page.evaluate("() => window.__turn.ms")
    except PlaywrightTimeout as error:  # the turn was not answered
        print(f"flood: turn {text!r} not answered: {str(error).splitlines()[0]}", flush=True)
        return float("inf")
    return ms if ms <= ANSWER_S * 1000 else float("inf")


async def _flood(url: str, template: str, stop, report) -> None:
    packets = [
        packet(
            template, [added(n, "word " * 20) for n in range(k * bounds.MAX_BATCH_EVENTS, (k + 1) * bounds.MAX_BATCH_EVENTS)], 0
        )
        for k in range(BATCHES)
    ]
    handled = [0]
    async with websockets.connect(
        f"{url.replace('http', 'ws', 1)}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}",
        max_size=None,
        ping_interval=None,
    ) as socket:

        async def read():
            async for message in socket:
                if message == "2":
                    await socket.send("3")
                handled[0] = max([handled[0], *map(int, HANDLED.findall(message))])

        reader = asyncio.create_task(read())
        await socket.send("40/_event,")
        start, sent = time.monotonic(), 0
        while not stop.is_set() and time.monotonic() < start + FLOOD_MAX_S:
            sent += 1  # the number tells which batch the state says it handled
            await socket.send(packets[sent % BATCHES].replace('"number":0}', f'"number":{sent}}}', 1))
        flooded, handled_then = time.monotonic() - start, handled[0]
        while handled[0] < sent and time.monotonic() < start + flooded + DRAIN_MAX_S:
            await asyncio.sleep(0.1)
        drained = time.monotonic() - start - flooded if handled[0] >= sent else float("inf")
        reader.cancel()
    report.put({"seconds": flooded, "sent": sent, "handled": handled_then, "drain_s": drained})


def _flood_process(url: str, template: str, stop, report) -> None:
    asyncio.run(_flood(url, template, stop, report))


def measure(logs: Path) -> dict:
    """The page's turns without the flood, then with it; the flood's own figures."""
    os.sched_setaffinity(0, range(os.cpu_count() or 1))  # the cost part, run before, pins this process to one core
    spawn = multiprocessing.get_context("spawn")  # not a fork of this process, Playwright's threads and all
    with launched(logs / "flood.log") as (browser, app_url, control, process):
        frames: list = []
        with opened(browser, app_url, simulator_api(control), False, muted=True, frames=frames) as page:
            click_connect(page)
            wait_connected(page)
            typed_turn(page, "Warm up")
            template = event_template(frames)
            quiet = [typed_turn(page, f"Quiet turn {n}") for n in range(TURNS)]
            processes, rss_before = _tree(process.pid), _rss(_tree(process.pid))
            stop, report = spawn.Event(), spawn.Queue()
            flooder = spawn.Process(target=_flood_process, args=(app_url, template, stop, report))
            flooder.start()
            time.sleep(2.0)  # the flood under way
            flooded, until = [], time.monotonic() + FLOOD_MAX_S - 2.0
            while len(flooded) < TURNS and time.monotonic() + ANSWER_S < until:
                flooded.append(typed_turn(page, f"Flooded turn {len(flooded)}"))
            rss_peak = _rss(processes)
            stop.set()
            result = report.get(timeout=FLOOD_MAX_S + DRAIN_MAX_S + 30)
            flooder.join(10)
            after = typed_turn(page, "After the flood")
    return {"quiet": quiet, "flooded": flooded, "after": after, "rss_growth_mb": (rss_peak - rss_before) / 2**20, **result}


def summary(r: dict) -> str:
    q = {kind: [percentile(r[kind], n) for n in (50, 95)] for kind in ("quiet", "flooded")}
    return (
        f"flood: quiet p50/p95 {q['quiet'][0]:.0f}/{q['quiet'][1]:.0f} ms, flooded {q['flooded'][0]:.0f}/"
        f"{q['flooded'][1]:.0f} ms ({len(r['flooded'])} turns); {events_per_s(r, 'sent'):.0f} events/s sent, "
        f"{events_per_s(r, 'handled'):.0f} handled; backlog drained in {r['drain_s']:.1f} s; "
        f"worker +{r['rss_growth_mb']:.0f} MB; a turn after it {r['after']:.0f} ms"
    )


def events_per_s(r: dict, key: str) -> float:
    return r[key] * bounds.MAX_BATCH_EVENTS / r["seconds"]
