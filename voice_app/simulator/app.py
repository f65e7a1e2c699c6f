"""The simulator's HTTP surface: the GA REST endpoints under /v1, and /control for tests."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from datetime import date

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.websockets import WebSocket

from voice_app.realtime import catalog
from voice_app.realtime.settings import SIMULATOR_PREFIX
from voice_app.simulator.bodies import MAX_SESSION_BYTES, MAX_SMALL_BYTES, read_body, read_json
from voice_app.simulator.config import Clock, Session, new_id, parse_client_secret_request, parse_session
from voice_app.simulator.control import control_routes
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import Refusal
from voice_app.simulator.keys import bearer, check_api_key, is_client_secret
from voice_app.simulator.live.routes import live_routes
from voice_app.simulator.memory import Simulator
from voice_app.simulator.offers import read_offer, wrong_fingerprint
from voice_app.simulator.peer import Call
from voice_app.simulator.sideband import attach
from voice_app.simulator.speech import Speech

log = logging.getLogger(__name__)
BETA_PATHS = tuple(catalog.API_ROOT + path for path in ("/realtime", "/realtime/sessions", "/realtime/transcription_sessions"))
BETA_ERROR = ApiError(
    400,
    "The Realtime API beta interface has been shut down: remove the 'OpenAI-Beta' header and use "
    "/v1/realtime/client_secrets and /v1/realtime/calls.",
    code="beta_api_shape_disabled",
)


async def _refuse(fault: Refusal | None) -> None:
    if fault is None:
        return
    await asyncio.sleep(fault.delay)
    error = fault.error()
    if error is not None:
        raise error


def _error_response(error: ApiError, retry_after: float | None = None) -> JSONResponse:
    headers = {"retry-after": str(round(retry_after))} if retry_after is not None else {}
    if error.status == 413:  # the rest of the body is never read: the server would drain it to reuse the connection
        headers["connection"] = "close"
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def create_app(
    allow_faults: bool = True,
    api_key: str | None = None,
    today: Clock = date.today,
    mcp_allowed: Iterable[str] | None = None,
    speech: bool = True,
) -> Starlette:
    """The simulator's app. `api_key`: the only key it takes (None: any); `today`: its calendar,
    which decides the models that have been shut down; `mcp_allowed`: the only MCP server URLs
    its sessions may reach (None: any, as the real API reaches any); `speech`: hear and speak
    with the speech model and synthesizer, if installed (speech/), else the placeholder."""
    sim = Simulator(Speech(speech))
    sim.speech.announce()
    reachable = None if mcp_allowed is None else frozenset(mcp_allowed)

    async def client_secrets(request: Request) -> Response:
        check_api_key(bearer(request), api_key)
        sim.last_safety_identifier = request.headers.get("openai-safety-identifier")
        body = await read_json(request, MAX_SESSION_BYTES)
        fault = sim.faults.next_mint()
        await asyncio.sleep(sim.faults.latency.mint)
        try:
            await _refuse(fault)
        except ApiError as error:
            return _error_response(error, fault.retry_after)
        asked = parse_client_secret_request(body, today)
        value, expires_at = sim.mint(asked.expires_after.seconds, asked.session)
        session = {"id": new_id("sess"), "object": "realtime.session", "expires_at": 0, **asked.session.mint_payload()}
        return JSONResponse({"value": value, "expires_at": expires_at, "session": session})

    def caller_session(token: str) -> Session:
        """A client secret brings the session it was minted with; the API key, the defaults."""
        if is_client_secret(token):
            return sim.session_for(token)
        check_api_key(token, api_key)
        return parse_session({"type": "realtime"}, today)

    async def calls(request: Request) -> Response:
        token = bearer(request)
        session = caller_session(token)
        offer = await read_offer(request)
        if offer.session is not None:
            if is_client_secret(token):  # a page holding a secret must not choose its own session
                raise ApiError(
                    400,
                    "A session can be given here only with an API key: a client secret carries the session it was minted with.",
                    code="invalid_request",
                    param="session",
                )
            session = parse_session(offer.session, today)
        fault = sim.faults.next_call()
        await asyncio.sleep(sim.faults.latency.call)
        try:
            await _refuse(fault)
        except ApiError as error:
            return _error_response(error, fault.retry_after)
        if is_client_secret(token):
            sim.spend(token)  # no wait from here to the call: two offers racing with one secret get one call
        call = Call(
            session, sim.faults.next_session(), lambda c: sim.calls.pop(c.id, None), mcp_allowed=reachable, speech=sim.speech
        )
        sim.calls[call.id] = call
        try:
            answer = await call.answer(offer.sdp)
        except ApiError:
            await call.close()
            raise
        if fault is not None and fault.break_dtls:
            answer = wrong_fingerprint(answer)
        return Response(
            answer,
            status_code=201,
            media_type="application/sdp",
            headers={"location": f"{catalog.API_ROOT}{catalog.CALLS_PATH}/{call.id}"},
        )

    async def hang_up(request: Request) -> Response:
        check_api_key(bearer(request), api_key)
        await read_body(request, MAX_SMALL_BYTES)  # none is expected: whatever comes is read only up to the limit
        call = sim.calls.get(request.path_params["call_id"])
        if call is None:
            raise ApiError(404, f"Call '{request.path_params['call_id']}' not found.", code="call_id_not_found")
        await call.close()
        return Response(status_code=200)

    async def refusal(fault: Refusal | None) -> Response | None:
        try:
            await _refuse(fault)
        except ApiError as error:
            return _error_response(error, fault.retry_after)
        return None

    async def sideband(websocket: WebSocket) -> None:
        await attach(websocket, sim, api_key)

    async def beta(request: Request) -> Response:
        raise BETA_ERROR

    async def api_error(request: Request, error: ApiError) -> Response:
        return _error_response(error)

    async def not_found(request: Request, exc) -> Response:
        message = f"Invalid URL ({request.method} {request.url.path})"
        return _error_response(ApiError(404 if exc.status_code == 404 else exc.status_code, message))

    async def reject_beta(request: Request, call_next):
        if "openai-beta" in request.headers and request.url.path.startswith(catalog.API_ROOT):
            return _error_response(BETA_ERROR)
        return await call_next(request)

    routes = [
        Route(catalog.API_ROOT + catalog.CLIENT_SECRETS_PATH, client_secrets, methods=["POST"]),
        Route(catalog.API_ROOT + catalog.CALLS_PATH, calls, methods=["POST"]),
        Route(catalog.API_ROOT + catalog.CALLS_PATH + "/{call_id}/hangup", hang_up, methods=["POST"]),
        WebSocketRoute(catalog.API_ROOT + catalog.REALTIME_PATH, sideband),
        *(Route(path, beta, methods=["POST"]) for path in BETA_PATHS),
        *live_routes(sim, api_key, refusal, reachable),
    ]
    if allow_faults:  # the control endpoints are for tests; a served app hides them
        routes += control_routes(sim)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await sim.close_all()

    app = Starlette(
        routes=routes,
        middleware=[
            # The browser posts the SDP offer straight to the API, from the app's own origin.
            Middleware(
                CORSMiddleware, allow_origins=["*"], allow_methods=["POST"], allow_headers=["*"], expose_headers=["location"]
            ),
            Middleware(BaseHTTPMiddleware, dispatch=reject_beta),
        ],
        exception_handlers={ApiError: api_error, 404: not_found, 405: not_found},
        lifespan=lifespan,
    )
    app.state.simulator = sim
    return app


def ends_calls_on_shutdown(simulator: Starlette):
    """A lifespan for whatever hosts the simulator: its calls end before the process does
    (aiortc's decoder threads would otherwise keep the process alive)."""

    @contextlib.asynccontextmanager
    async def lifespan(*_args, **_kwargs):
        yield
        await simulator.state.simulator.close_all()

    return lifespan


def mounted(simulator: Starlette, prefix: str = SIMULATOR_PREFIX) -> Starlette:
    """An app serving `simulator` (from create_app) under `prefix`, e.g. as Reflex's api_transformer.

    A mounted app's lifespan never runs: its host runs `ends_calls_on_shutdown(simulator)`.
    """
    return Starlette(routes=[Mount(prefix, app=simulator)], lifespan=ends_calls_on_shutdown(simulator))
