"""The two loads of the backend-cost benchmark, recorded from our page in Chromium against the
simulator: every message its data channel received, with its time.

- stress: the simulator streams numbered words at 50 per second; looped without a pause, so the
  stream never ends.
- conversation: a spoken turn (the fake microphone's sentence) and its spoken answer, a pause,
  a typed question that makes the model call a tool, the tool's answer, a pause; looped. The
  deltas come as the simulator streams an answer (faster than its audio plays, as the API does).
"""

import json
from dataclasses import dataclass
from pathlib import Path

from bench.pages import click_connect, opened, send_text, stopwatch, wait_connected
from voice_app.realtime.events import FORWARDED, ServerEvent

PAUSE_S = 2.0  # between turns, as a person takes them
STREAM_RATE, STREAM_SECONDS = 50, 4.0


@dataclass(frozen=True)
class Timeline:
    events: tuple[tuple[float, dict], ...]  # (seconds from the start, server event), in order
    seconds: float  # one loop, its pause included

    @property
    def forwarded_per_minute(self) -> float:
        """Events the page sends on to Python, per conversation-minute."""
        return sum(1 for _, event in self.events if event.get("type") in FORWARDED) * 60 / self.seconds

    @property
    def received_per_minute(self) -> float:
        return len(self.events) * 60 / self.seconds


def save(path, loads: dict[str, Timeline], template: str) -> None:
    """The recorded loads, to replay again without a browser (`python -m bench --loads PATH`)."""
    Path(path).write_text(
        json.dumps(
            {"template": template, "loads": {name: {"seconds": t.seconds, "events": t.events} for name, t in loads.items()}}
        )
    )


def load(path) -> tuple[dict[str, Timeline], str]:
    saved = json.loads(Path(path).read_text())
    loads = {name: Timeline(tuple((at, event) for at, event in t["events"]), t["seconds"]) for name, t in saved["loads"].items()}
    return loads, saved["template"]


def _timeline(received: list, start_ms: float, end_ms: float) -> Timeline:
    events = tuple(((at - start_ms) / 1000, json.loads(text)) for at, text in received if start_ms <= at <= end_ms)
    return Timeline(events, (end_ms - start_ms) / 1000)


def _count(page, kind: str) -> str:
    return f"window.__bench.received.filter(([, d]) => d.includes('\"{kind}\"')).length"


def stress(browser, app_url: str, api_url: str, control, frames: list) -> Timeline:
    """The page's websocket frames go to `frames` (the replay takes its hydrate packet and the
    shape of its event packets from them)."""
    count = int(STREAM_RATE * STREAM_SECONDS)
    control.post("/faults", json={"session": {"stream_rate": STREAM_RATE, "stream_count": count}}).raise_for_status()
    with opened(browser, app_url, api_url, False, muted=True, frames=frames) as page:
        click_connect(page)
        wait_connected(page)
        send_text(page, False, "Stream")
        page.wait_for_function(f"() => Object.keys(window.__bench.shown).length >= {count}", timeout=60_000)
        b = stopwatch(page)
    control.post("/faults", json={"session": {}}).raise_for_status()
    arrived = sorted(b["arrived"].values())
    period = 1000 / STREAM_RATE
    return _timeline(b["received"], arrived[0], arrived[-1] + period - 0.001)


def conversation(browser, app_url: str, api_url: str) -> Timeline:
    with opened(browser, app_url, api_url, False, muted=True) as page:
        click_connect(page)
        wait_connected(page)
        start = page.evaluate("() => performance.now()")
        page.get_by_test_id("mute-button").click()  # the fake microphone speaks
        page.wait_for_function(f"() => {_count(page, ServerEvent.SPEECH_STOPPED)} >= 1", timeout=60_000)
        page.get_by_test_id("mute-button").click()  # one sentence, then quiet
        page.wait_for_function(f"() => {_count(page, ServerEvent.OUTPUT_AUDIO_STOPPED)} >= 1", timeout=60_000)
        page.wait_for_timeout(PAUSE_S * 1000)
        send_text(page, False, "What is the current_time?")
        # The call's response, then the answer that reports the tool's output, heard to its end.
        page.wait_for_function(f"() => {_count(page, ServerEvent.RESPONSE_DONE)} >= 3", timeout=60_000)
        page.wait_for_function(f"() => {_count(page, ServerEvent.OUTPUT_AUDIO_STOPPED)} >= 2", timeout=60_000)
        end = page.evaluate("() => performance.now()") + PAUSE_S * 1000
        b = stopwatch(page)
    timeline = _timeline(b["received"], start, end)
    kinds = [event.get("type") for _, event in timeline.events]
    assert ServerEvent.FUNCTION_CALL_ARGUMENTS_DONE in kinds, "the recorded conversation calls a tool"
    return timeline
