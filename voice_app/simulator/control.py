"""The /control endpoints, for tests: queue faults, read what the simulator holds."""

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from voice_app.simulator.bodies import MAX_SMALL_BYTES, read_json
from voice_app.simulator.replays import replay_routes
from voice_app.simulator.speech import Speech


def control_routes(sim) -> list[Route]:
    """The routes for `sim` (a memory.Simulator)."""

    async def add_faults(request: Request) -> Response:
        sim.faults.add(await read_json(request, MAX_SMALL_BYTES))
        return JSONResponse({"pending": sim.faults.pending()})

    async def clear_faults(request: Request) -> Response:
        sim.faults.clear()
        return JSONResponse({"pending": sim.faults.pending()})

    async def set_latency(request: Request) -> Response:
        sim.faults.set_latency(await read_json(request, MAX_SMALL_BYTES))
        return JSONResponse(sim.faults.latency.model_dump())

    async def set_speech(request: Request) -> Response:
        """Turn the ear and voice on or off for the calls that start from now: `{"on": true}`."""
        asked = await read_json(request, MAX_SMALL_BYTES)
        if not isinstance(asked, dict) or not isinstance(asked.get("on"), bool):
            return JSONResponse({"error": 'expected {"on": true} or {"on": false}'}, status_code=400)
        sim.speech = Speech(asked["on"])
        return JSONResponse({"on": sim.speech.on, "off_because": sim.speech.off_because})

    async def stats(request: Request) -> Response:
        return JSONResponse(
            {
                "calls": len(sim.calls),
                "live_sessions": len(sim.live_sessions),
                "tasks": len(asyncio.all_tasks()),
                "pending": sim.faults.pending(),
                "last_safety_identifier": sim.last_safety_identifier,
                "minted": sim.minted,
                "attached": sim.attached,
                "latency": sim.faults.latency.model_dump(),
            }
        )

    return [
        Route("/control/stats", stats, methods=["GET"]),
        Route("/control/faults", add_faults, methods=["POST"]),
        Route("/control/faults", clear_faults, methods=["DELETE"]),
        Route("/control/latency", set_latency, methods=["POST"]),
        Route("/control/speech", set_speech, methods=["POST"]),
        *replay_routes(sim),  # the benchmark's calls with no WebRTC
    ]
