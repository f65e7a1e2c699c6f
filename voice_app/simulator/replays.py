"""Calls with no WebRTC, for the benchmark (bench/backend_cost.py): a minted client secret opens a
call that plays a recorded timeline of server events (what a page's data channel received),
looped, to the server's own connections to it (sideband.py), as a call's data channel would.

Thousands of such calls fit on one core, where each WebRTC call costs aiortc's audio. What the
server sends back: `session.update` is answered as a real call answers it (its `session.updated`
carries the session the secret was minted with, so the server's binding holds); a tool's output
(`conversation.item.create` of a `function_call_output`) is timed from the `response.done` that
asked for it, the server's whole handling of a tool call, waiting included; anything else it sends
(`response.create` after a tool) is taken in silence, as the timeline already holds the answer.
"""

import asyncio
import json
import re
import time
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from voice_app.realtime import catalog
from voice_app.realtime.events import ClientEvent, ServerEvent
from voice_app.simulator.bodies import MAX_SESSION_BYTES, MAX_SMALL_BYTES, read_json
from voice_app.simulator.config import Session, new_id
from voice_app.simulator.conversation import Conversation
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import SessionFaults
from voice_app.simulator.speaker import Speaker

IDS = re.compile(r'"((?:item|resp|event|call|fc)_[A-Za-z0-9]{6,})"')  # made new in each loop


def loop_of(texts: list[tuple[float, str]], seconds: float, number: int) -> list[tuple[float, str]]:
    """Loop `number` of a timeline of events in JSON: its times moved on, its ids made its own."""
    suffix = f"x{number}"
    return [(number * seconds + at, IDS.sub(lambda m: f'"{m.group(1)}{suffix}"', text)) for at, text in texts]


@dataclass
class Timeline:
    texts: list[tuple[float, str]]  # (seconds from the start, a server event in JSON)
    seconds: float  # one loop

    @classmethod
    def parse(cls, body: object) -> "Timeline":
        if not (isinstance(body, dict) and isinstance(body.get("events"), list) and float(body.get("seconds", 0)) > 0):
            raise ValueError("a timeline is {'seconds': > 0, 'events': [[at, event], ...]}")
        return cls([(float(at), json.dumps(event)) for at, event in body["events"]], float(body["seconds"]))


@dataclass
class Clock:
    """When every replay call plays: monotonic seconds (CLOCK_MONOTONIC: one clock for all processes here)."""

    start: float
    until: float


class _Answers:
    """What a replay call does with the client events its server connections send (see above)."""

    def __init__(self, call: "ReplayCall", session: Session):
        self.call = call
        self.conversation = Conversation(session, call.send, Speaker(), SessionFaults())

    def handle(self, text: str) -> None:
        try:
            event = json.loads(text)
        except ValueError:
            event = None
        kind = event.get("type") if isinstance(event, dict) else None
        item = event.get("item") if isinstance(event, dict) else None
        if kind == ClientEvent.SESSION_UPDATE:
            self.conversation.handle(text)
        elif kind == ClientEvent.ITEM_CREATE and isinstance(item, dict) and item.get("type") == "function_call_output":
            asked = self.call.asked.pop(item.get("call_id"), None)
            if asked is not None:
                self.call.waits.append(time.monotonic() - asked)


@dataclass
class ReplayCall:
    """One call: `sideband.serve_attached` serves it as it serves a WebRTC call."""

    session: Session
    timeline: Timeline
    phase: float  # where in the timeline it is at the clock's start: calls are not in step, as people are not
    on_closed: object
    id: str = field(default_factory=lambda: new_id(catalog.CALL_ID_PREFIX))
    faults: SessionFaults = field(default_factory=SessionFaults)
    listeners: list = field(default_factory=list)
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    attach_dropped: bool = False
    asked: dict[str, float] = field(default_factory=dict)  # a tool call's id -> when its response.done went
    waits: list[float] = field(default_factory=list)  # seconds from response.done to the tool's output
    task: asyncio.Task | None = None

    def __post_init__(self) -> None:
        self.conversation = _Answers(self, self.session)

    def send(self, text: str) -> None:
        for listener in self.listeners:
            listener(text)

    def play(self, clock: Clock) -> None:
        self.task = self.task or asyncio.create_task(self._play(clock))

    async def _play(self, clock: Clock) -> None:
        number = int(self.phase // self.timeline.seconds)
        while True:
            for at, text in loop_of(self.timeline.texts, self.timeline.seconds, number):
                due = clock.start + at - self.phase
                if due < clock.start:
                    continue
                if due >= clock.until:
                    return
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                self._note_tool_calls(text)
                self.send(text)
            number += 1

    def _note_tool_calls(self, text: str) -> None:
        if f'"{ServerEvent.RESPONSE_DONE.value}"' not in text:
            return
        response = json.loads(text).get("response") or {}
        if response.get("status") == "completed":
            now = time.monotonic()
            for item in response.get("output") or []:
                if item.get("type") == "function_call":
                    self.asked[item.get("call_id")] = now

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.ended.set()
        self.on_closed(self)


def replay_routes(sim) -> list[Route]:
    """/control/replays: POST a timeline; POST /calls {client_secret, phase} opens a call with a
    secret (spent as an offer spends it); POST /start {start, until} plays them all; GET: the
    calls, those attached, and the tool round trips (seconds)."""
    held: dict = {"timeline": None, "calls": []}

    async def set_timeline(request: Request) -> Response:
        try:
            held["timeline"] = Timeline.parse(await read_json(request, MAX_SESSION_BYTES))
        except (ValueError, TypeError) as error:
            raise ApiError(400, str(error), code="invalid_request") from None
        return JSONResponse({"events": len(held["timeline"].texts)})

    async def open_call(request: Request) -> Response:
        body = await read_json(request, MAX_SMALL_BYTES)
        secret, phase = body.get("client_secret"), body.get("phase", 0.0)
        if held["timeline"] is None or not isinstance(secret, str) or not isinstance(phase, int | float):
            raise ApiError(400, "POST a timeline first; then {client_secret: str, phase: seconds}.", code="invalid_request")
        session = sim.session_for(secret)
        sim.spend(secret)
        call = ReplayCall(session, held["timeline"], float(phase), on_closed=lambda c: sim.calls.pop(c.id, None))
        sim.calls[call.id] = call
        held["calls"].append(call)
        return JSONResponse({"id": call.id})

    async def start(request: Request) -> Response:
        body = await read_json(request, MAX_SMALL_BYTES)
        clock = Clock(float(body["start"]), float(body["until"]))
        for call in held["calls"]:
            call.play(clock)
        return JSONResponse({"calls": len(held["calls"])})

    async def results(request: Request) -> Response:
        calls = held["calls"]
        return JSONResponse(
            {
                "calls": len(calls),
                "attached": sum(1 for call in calls if call.listeners),
                "waits": [wait for call in calls for wait in call.waits],
            }
        )

    return [
        Route("/control/replays", set_timeline, methods=["POST"]),
        Route("/control/replays", results, methods=["GET"]),
        Route("/control/replays/calls", open_call, methods=["POST"]),
        Route("/control/replays/start", start, methods=["POST"]),
    ]
