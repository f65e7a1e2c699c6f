"""Both halves of a call, for the backend-cost benchmark: each simulated page connects as ours does
(Connect mints a client secret through the worker; the page opens a call with it and reports its
id), and the worker attaches its own connection to the call (service/hearing.py), which hears the
call's every event a second time, runs its tools and saves the record. The calls are the
simulator's replay calls (simulator/replays.py): no WebRTC, the recorded timeline, looped, in step
with what the page replays.
"""

import asyncio
import contextlib
import re
import time

import httpx

from bench.page_model import named
from tests.conftest import standalone_simulator
from voice_app.realtime.events import ServerEvent
from voice_app.states.call import CallState
from voice_app.states.connect import ConnectState
from voice_app.states.server_call import ServerCallState

SECRET = re.compile(r'"client_secret(?:_rx_state_)?":"(ek_[^"]+)"')
DIAL_S = 60.0  # a page's Connect, its secret and its call, at most (the worker is busy while pages join)
LIMITS = {  # one address opens every call: the abuse limits would refuse most of them
    "APP_MINTS_PER_MINUTE": "100000",
    "APP_MINTS_PER_CLIENT_PER_HOUR": "100000",
    "APP_MAX_CONCURRENT_CALLS": "100000",
    "APP_MAX_CALLS_PER_ADDRESS": "100000",
}


@contextlib.contextmanager
def simulator(timeline):
    """A standalone simulator with the timeline to replay; yields (its control API, the app's
    environment for it). Started from this process, it shares the load generator's core."""
    with standalone_simulator() as (url, _, _log), httpx.Client(base_url=f"{url}/control") as control:
        events = [[at, event] for at, event in timeline.events]
        control.post("/replays", json={"seconds": timeline.seconds, "events": events}).raise_for_status()
        yield f"{url}/control", {"OPENAI_API_KEY": "sk-bench", "OPENAI_BASE_URL": f"{url}/v1", **LIMITS}


class Dialer:
    """What a page does once its socket is open: Connect, the call, its id reported (as
    assets/realtime's on_status does), and the session's first event on its data channel."""

    def __init__(self, control_url: str, template: str):
        self.template = template
        self.http = httpx.AsyncClient(base_url=control_url, timeout=DIAL_S)

    async def __call__(self, send, heard: asyncio.Queue, phase: float) -> None:
        async with asyncio.timeout(DIAL_S):
            await send(named(self.template, f"{ConnectState.get_full_name()}.connect", {"form_data": {}}))
            secret = None
            while secret is None:
                found = SECRET.search(await heard.get())
                secret = found and found.group(1)
            opened = await self.http.post("/replays/calls", json={"client_secret": secret, "phase": phase})
            opened.raise_for_status()
            update = {"update": {"status": "call", "call_id": opened.json()["id"]}}
            await send(named(self.template, f"{CallState.get_full_name()}.connection_status", update))
            await send(named(self.template, f"{ServerCallState.get_full_name()}.call_reported", update))
            created = {"type": ServerEvent.SESSION_CREATED.value, "event_id": "event_bench", "session": {"type": "realtime"}}
            await send(named(self.template, None, {"batch": [created], "number": 0}))

    async def attached(self, size: int) -> None:
        """Every call has the worker's connection attached."""
        deadline = time.monotonic() + DIAL_S
        while (await self.http.get("/replays")).json()["attached"] < size:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the worker attached to fewer than {size} calls within {DIAL_S:.0f} s")
            await asyncio.sleep(0.2)

    async def start(self, start: float, until: float) -> None:
        (await self.http.post("/replays/start", json={"start": start, "until": until})).raise_for_status()

    async def waits(self) -> list[float]:
        """Seconds from each tool call's response.done to its output back at the API."""
        return (await self.http.get("/replays")).json()["waits"]
