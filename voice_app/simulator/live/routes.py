"""The GPT-Live endpoints: `POST /v1/live/sessions` (the server's key and the browser's SDP offer)
and the sideband WebSocket. There are no client secrets in GPT-Live: the server posts the offer."""

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from voice_app.realtime.catalog import API_ROOT
from voice_app.simulator.bodies import MAX_OFFER_BYTES, read_json
from voice_app.simulator.errors import ApiError
from voice_app.simulator.keys import bearer, check_api_key, is_client_secret
from voice_app.simulator.live import sideband
from voice_app.simulator.live.names import ATTACH_PATH, SESSIONS_PATH
from voice_app.simulator.live.schema import parse_create
from voice_app.simulator.live.session import Session
from voice_app.simulator.offers import wrong_fingerprint


def live_routes(sim, api_key: str | None, refused, mcp_allowed: frozenset[str] | None = None) -> list:
    """The routes for `sim` (a memory.Simulator); `refused(fault)` is the app's answer to a call fault, or None;
    `mcp_allowed`: the MCP server URLs a session's backend may reach (None: any)."""

    async def create(request: Request) -> Response:
        token = bearer(request)
        if is_client_secret(token):
            raise ApiError(
                401,
                "A client secret cannot create a Live session: the server creates it with the API key.",
                code="invalid_api_key",
            )
        check_api_key(token, api_key)
        asked = parse_create(await read_json(request, MAX_OFFER_BYTES))
        fault = sim.faults.next_call()
        await asyncio.sleep(sim.faults.latency.call)
        refusal = await refused(fault)
        if refusal is not None:
            return refusal
        session = Session(
            asked.session,
            sim.faults.next_session(),
            on_closed=lambda s: sim.live_sessions.pop(s.id, None),
            mcp_allowed=mcp_allowed,
            speech=sim.speech,
        )
        sim.live_sessions[session.id] = session
        try:
            answer = await session.answer(asked.transport.sdp)
        except ApiError:
            await session.close("connection_lost", goodbye=False)
            raise
        if fault is not None and fault.break_dtls:
            answer = wrong_fingerprint(answer)
        return JSONResponse({"session": {"id": session.id}, "transport": {"type": "webrtc", "sdp": answer}}, status_code=201)

    async def attach(websocket: WebSocket) -> None:
        await sideband.attach(websocket, sim, api_key)

    return [
        Route(API_ROOT + SESSIONS_PATH, create, methods=["POST"]),
        WebSocketRoute(API_ROOT + ATTACH_PATH, attach),
    ]
