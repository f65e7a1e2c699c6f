"""The benchmarks: our app against a plain baseline page, in the same run, as ratios.

    make bench            (or, set up: scripts/in-netns .venv/bin/python -m bench [--runs 10]
                           [--parts connect,screen,cost,halves,weight,flood,speech] [--loads LOGS/loads.json])

Runs inside a fresh network namespace against a standalone simulator, which our app's backend
(with a key) and the baseline page (straight from the browser) both use; connect is measured
with no latency and with an internet's (`POST /control/latency`), from a click that comes, as a
person's does, 300 ms after the pointer reached Connect; the backend cost replays two loads
recorded from our page (bench/timelines.py) with N simulated pages (bench/page_model.py) against
one worker on a core of its own; the flood (bench/flood.py) times a page's typed turn while
another client floods the event socket; the simulator's ear and mouth (bench/speech.py, only
when named: --parts speech) time and score its speech; prints a Markdown table (paste it into
docs/performance.md).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import backend_cost, flood, speech, timelines, weight
from bench.pages import click_connect, launched, opened, send_text, simulator_api, stopwatch, wait_connected

RATES = (20, 50, 200)  # transcript deltas per second
STREAM_SECONDS = 2.0
STREAMS = 3  # per page and rate
INTERNET = {"mint": 0.25, "call": 0.15}  # seconds the API takes to mint, and to answer an offer, far away


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def settled(control: httpx.Client) -> None:
    """No call of an earlier run is still running (its audio would compete for the CPU)."""
    deadline = time.monotonic() + 30
    while (lambda stats: stats["calls"] or stats["live_sessions"])(control.get("/stats").json()) and time.monotonic() < deadline:
        time.sleep(0.1)


def connect_times(browser, app_url: str, control: httpx.Client, baseline: bool, live: bool = False) -> tuple[float, float]:
    """Click to connected (data channel open, session confirmed) and click to first answer audio."""
    settled(control)
    with opened(browser, app_url, simulator_api(control), baseline, live=live) as page:
        click_connect(page)
        wait_connected(page)
        page.wait_for_function("() => window.__bench.firstAudio !== null", timeout=60_000)
        b = stopwatch(page)
    return b["connected"] - b["click"], b["firstAudio"] - b["click"]


def event_to_screen(browser, app_url: str, control: httpx.Client, baseline: bool, rate: int) -> list[float]:
    """From each delta's arrival on the data channel to its word in the DOM, in ms."""
    count = int(rate * STREAM_SECONDS)
    settled(control)
    control.post("/faults", json={"session": {"stream_rate": rate, "stream_count": count}}).raise_for_status()
    with opened(browser, app_url, simulator_api(control), baseline, muted=True) as page:
        click_connect(page)
        wait_connected(page)
        send_text(page, baseline, "Stream")
        page.wait_for_function(f"() => Object.keys(window.__bench.shown).length >= {count}", timeout=60_000)
        b = stopwatch(page)
    return [b["shown"][word] - arrived for word, arrived in b["arrived"].items()]


def connect_rows(browser, app_url: str, control: httpx.Client, runs: int, latency: dict) -> list[str]:
    control.post("/latency", json=latency).raise_for_status()
    times = {"ours": [], "baseline": [], "live": []}
    for _ in range(runs):  # interleaved, so all see the same machine
        times["ours"].append(connect_times(browser, app_url, control, False))
        times["baseline"].append(connect_times(browser, app_url, control, True))
        times["live"].append(connect_times(browser, app_url, control, False, live=True))
    where = (
        f"mint {latency['mint'] * 1000:.0f} ms, offer {latency['call'] * 1000:.0f} ms" if any(latency.values()) else "no latency"
    )
    rows = []
    for index, name in enumerate(("click → connected", "click → first answer audio")):
        ours, base, live = (statistics.median(t[index] for t in times[kind]) for kind in ("ours", "baseline", "live"))
        rows.append(row(f"{name}, {where}, median of {runs}", ours, base))
        # GPT-Live has no browser-only way in: its baseline is the plain Realtime API page.
        rows.append(row(f"GPT-Live: {name}, {where}, median of {runs}", live, base))
    return rows


def row(name: str, ours: float, baseline: float, unit: str = "ms") -> str:
    ratio = ours / baseline if baseline else float("inf")
    return f"| {name} | {ours:.1f} {unit} | {baseline:.1f} {unit} | {ratio:.2f} |"


PARTS = ("connect", "screen", "cost", "halves", "weight", "flood")
OPTIONAL = ("speech",)  # run only when named


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=10, help="connect runs per page (median reported)")
    parser.add_argument("--stress", default="1,10,50,100,200", help="backend-cost sizes at the stress stream")
    parser.add_argument("--conversations", default="1,10,50,100,200,300,400", help="backend-cost sizes at the conversation load")
    parser.add_argument("--halves", default="1,10,50,100,200,300", help="sizes of the two-halves table (conversation load)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"which to run, of {','.join(PARTS + OPTIONAL)}")
    parser.add_argument("--loads", help="replay the loads recorded in this file (written by an earlier run)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    rows = ["| measure | ours | baseline | ours / baseline |", "|---|---|---|---|"]
    logs = Path(tempfile.mkdtemp(prefix="bench-"))
    if parts & {"connect", "screen"} or (parts & {"cost", "halves"} and not args.loads):
        rows += in_the_browser(args, parts, logs)
    if "cost" in parts:
        loads, template = timelines.load(args.loads or logs / "loads.json")
        rows += backend_cost.rows("stress (50 deltas/s)", loads["stress"], _sizes(args.stress), template, logs)
        rows += backend_cost.rows("conversation", loads["conversation"], _sizes(args.conversations), template, logs)
    if "halves" in parts:
        loads, template = timelines.load(args.loads or logs / "loads.json")
        rows += ["", "| two halves: measure | page and server | page only | ratio |", "|---|---|---|---|"]
        rows += backend_cost.halves_rows("conversation", loads["conversation"], _sizes(args.halves), template, logs)
    if "weight" in parts:
        rows += weight.rows()
    if "flood" in parts:
        rows += flood_rows(logs)
    if "speech" in parts:
        rows += speech.rows(speech.measure())
    print("\n" + "\n".join(rows))
    print(f"\n{time.strftime('%Y-%m-%d')}, {args.runs} connect runs; logs in {logs}", file=sys.stderr)
    return 0


def in_the_browser(args, parts: set[str], logs: Path) -> list[str]:
    """Connect and event → screen, ours against the baseline; and the loads for benchmark 3."""
    rows = []
    limits = {"APP_MINTS_PER_MINUTE": "1000", "APP_MINTS_PER_CLIENT_PER_HOUR": "1000"}
    with launched(logs / "reflex.log", **limits) as (browser, app_url, control, _process):
        for baseline in (False, True):  # warm both: the first page load compiles and caches
            connect_times(browser, app_url, control, baseline)
        if "connect" in parts:
            rows += connect_rows(browser, app_url, control, args.runs, {"mint": 0.0, "call": 0.0})
            rows += connect_rows(browser, app_url, control, args.runs, INTERNET)
            control.post("/latency", json={}).raise_for_status()
            print("\n".join(rows), flush=True)
        if "screen" in parts:
            rows += screen_rows(browser, app_url, control)
        if parts & {"cost", "halves"} and not args.loads:  # what our page receives in each load, for benchmark 3
            frames: list = []
            loads = {"stress": timelines.stress(browser, app_url, simulator_api(control), control, frames)}
            settled(control)
            loads["conversation"] = timelines.conversation(browser, app_url, simulator_api(control))
            timelines.save(logs / "loads.json", loads, backend_cost.event_template(frames))
    return rows


def flood_rows(logs: Path) -> list[str]:
    """The other page's typed turn while one client floods the event socket, against no flood."""
    r = flood.measure(logs)
    print(flood.summary(r), flush=True)
    rows = []
    for q in (50, 95):
        turns = f"{len(r['flooded'])} turns; no flood: {len(r['quiet'])}"
        name = f"typed turn → answered, one client flooding the event socket, p{q} ({turns})"
        flooded, quiet = _percentile(r["flooded"], q), _percentile(r["quiet"], q)
        rows.append(
            row(name, flooded, quiet)
            if flooded < float("inf")
            else f"| {name} | not answered within {flood.ANSWER_S:.0f} s | {quiet:.1f} ms | ∞ |"
        )
    unanswered = sum(t == float("inf") for t in r["flooded"])
    drained = f"in {r['drain_s']:.1f} s" if r["drain_s"] < float("inf") else f"not within {flood.DRAIN_MAX_S:.0f} s"
    rows.append(
        f"| flood: turns not answered within {flood.ANSWER_S:.0f} s; events/s sent; handled by the worker; "
        f"backlog handled after it stopped | {unanswered} of {len(r['flooded'])}; {flood.events_per_s(r, 'sent'):.0f}; "
        f"{flood.events_per_s(r, 'handled'):.0f}; {drained} | | |"
    )
    return rows


def _sizes(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n]


def screen_rows(browser, app_url: str, control: httpx.Client) -> list[str]:
    rows = []
    for rate in RATES:  # pooled over a few streams each, interleaved
        ours, base = [], []
        for _ in range(STREAMS):
            ours += event_to_screen(browser, app_url, control, False, rate)
            base += event_to_screen(browser, app_url, control, True, rate)
        for q in (50, 95):
            rows.append(row(f"event → screen at {rate}/s, p{q} ({len(ours)} events)", _percentile(ours, q), _percentile(base, q)))
        print(rows[-2], rows[-1], sep="\n", flush=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())
