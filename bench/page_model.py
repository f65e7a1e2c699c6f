"""One simulated browser on Reflex's event socket: it replays a recorded timeline of server events
as our page would pass them on (assets/realtime/batching.js, modelled here): only the forwarded
kinds, adjacent deltas merged, at most one batch per BATCH_MS, and one at a time, the next once
the state's update says the last was handled (or after UNANSWERED_MS).

Each event's time is taken from its arrival (its place in the timeline) to the update that says
its batch was handled: what a user waits for, queueing in the page included.
"""

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field

import websockets

from bench.timelines import Timeline
from voice_app.realtime.events import BATCH_MS, FORWARDED, MERGED_DELTAS, UNANSWERED_MS
from voice_app.simulator.replays import loop_of

EVENT_PACKET = "42/_event,"
HANDLED = re.compile(r'"handled_batch(?:_rx_state_)?":(\d+)')
GRACE_S = 3.0  # after the run, for the last batches to be answered


@dataclass
class Tally:
    """What all pages of one run saw."""

    waits: list[float] = field(default_factory=list)  # seconds from an event's arrival to its batch handled
    lateness: list[float] = field(default_factory=list)  # how late the load generator was, per event
    arrived: int = 0  # forwarded events that arrived during the run
    batches: int = 0


def merged(events: list[dict]) -> list[dict]:
    out: list[dict] = []
    for event in events:
        last = out[-1] if out else None
        if (
            last
            and event["type"] in MERGED_DELTAS
            and last["type"] == event["type"]
            and last.get("item_id") == event.get("item_id")
        ):
            out[-1] = {**last, "delta": last.get("delta", "") + event.get("delta", "")}
        else:
            out.append(event)
    return out


class Loops:
    """The timeline's forwarded events, looped, with item/response ids made new per loop (as the
    simulator's replay calls make them: simulator/replays.py)."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._texts = [(at, json.dumps(e)) for at, e in timeline.events if e.get("type") in FORWARDED]
        self._cache: dict[int, list[tuple[float, dict]]] = {}

    def loop(self, number: int) -> list[tuple[float, dict]]:
        if number not in self._cache:
            self._cache[number] = [(at, json.loads(text)) for at, text in loop_of(self._texts, self.timeline.seconds, number)]
        return self._cache[number]


def packet(template: str, batch: list[dict], number: int) -> str:
    return named(template, None, {"batch": batch, "number": number})


def named(template: str, name: str | None, payload: dict) -> str:
    """The template's event packet with this payload, for the handler `name` (None: the template's)."""
    body = json.loads(template.removeprefix(EVENT_PACKET))
    body[1]["payload"] = payload
    body[1]["name"] = name or body[1]["name"]
    return EVENT_PACKET + json.dumps(body, separators=(",", ":"))


async def browse(
    url: str, template: str, loops: Loops, phase: float, when: asyncio.Future, ready: asyncio.Event, tally: Tally, dial=None
) -> None:
    """`when`: the run's (start, until), monotonic, once every page is ready; `phase`: where in the
    timeline this page is at the start (pages are not in step, as people are not). `dial(send,
    heard)`: what the page does once its socket is open, before it is ready (bench/two_halves.py);
    `heard` is a queue of the messages that come meanwhile."""
    queue: list[tuple[float, dict]] = []  # (arrival, event) not yet sent
    in_flight: list[float] = []
    state = {"waiting": None, "last": -1e9, "timer": None, "number": int(uuid.uuid4().int % 10**9)}
    loop_ = asyncio.get_running_loop()
    async with websockets.connect(
        f"{url}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}", max_size=None, ping_interval=None
    ) as socket:

        def send_now():
            state["timer"] = None
            if state["waiting"] is not None or not queue:
                return
            state["number"] += 1
            state["waiting"], state["last"] = state["number"], time.monotonic()
            in_flight[:] = [at for at, _ in queue]
            batch = merged([event for _, event in queue])
            queue.clear()
            tally.batches += 1
            loop_.call_later(UNANSWERED_MS / 1000, release, state["number"], False)
            asyncio.ensure_future(socket.send(packet(template, batch, state["number"])))

        def schedule():
            if state["timer"] is None and state["waiting"] is None and queue:
                delay = max(0.0, state["last"] + BATCH_MS / 1000 - time.monotonic())
                state["timer"] = loop_.call_later(delay, send_now)

        def release(number, answered):
            if state["waiting"] != number:
                return
            if answered:
                now = time.monotonic()
                tally.waits += [now - at for at in in_flight]
            state["waiting"] = None
            in_flight.clear()
            schedule()

        opened, heard = asyncio.Event(), asyncio.Queue()

        async def receive():
            async for message in socket:
                if message == "2":
                    await socket.send("3")  # engine.io ping
                elif message.startswith("40"):
                    opened.set()
                elif not ready.is_set():
                    heard.put_nowait(message)
                for number in HANDLED.findall(message):
                    release(int(number), True)

        receiver = asyncio.create_task(receive())
        await socket.send("40/_event,")
        try:
            await opened.wait()
            if dial is not None:
                await dial(socket.send, heard, phase)
            ready.set()
            start, until = await when
            await asyncio.sleep(max(0.0, start - time.monotonic()))
            number = int(phase // loops.timeline.seconds)
            while True:
                for at, event in loops.loop(number):
                    due = start + at - phase
                    if due < start:
                        continue
                    if due >= until:
                        break
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    now = time.monotonic()
                    tally.lateness.append(now - due)
                    tally.arrived += 1
                    queue.append((due, event))
                    schedule()
                else:
                    number += 1
                    continue
                break
            await asyncio.sleep(max(0.0, until + GRACE_S - time.monotonic()))
        finally:
            receiver.cancel()
