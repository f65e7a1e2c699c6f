"""The simulator's HTTP surface: the GA REST endpoints under /v1, and /control for tests."""

import asyncio
import contextlib
import json
import logging
import secrets
import time

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from voice_app.realtime import catalog
from voice_app.simulator.config import new_id, parse_client_secret_request
from voice_app.simulator.errors import ApiError
from voice_app.simulator.faults import Faults, Refusal
from voice_app.simulator.peer import Call

log = logging.getLogger(__name__)
MAX_SDP_BYTES = 64 * 1024
BETA_PATHS = ("/v1/realtime", "/v1/realtime/sessions", "/v1/realtime/transcription_sessions")
BETA_ERROR = ApiError(
    400,
    "The Realtime API beta interface has been shut down: remove the 'OpenAI-Beta' header and use "
    "/v1/realtime/client_secrets and /v1/realtime/calls.",
    code="beta_api_shape_disabled",
)


class Simulator:
    """What the simulator remembers: minted secrets, live calls, queued faults."""

    def __init__(self) -> None:
        self.secrets: dict[str, tuple[float, object]] = {}  # value -> (expires_at, session)
        self.calls: dict[str, Call] = {}
        self.faults = Faults()
        self.last_safety_identifier: str | None = None  # for tests: what the last mint said of its user

    def mint(self, seconds: int, session) -> tuple[str, int]:
        now = time.time()
        self.secrets = {k: v for k, v in self.secrets.items() if v[0] > now}
        value = "ek_" + secrets.token_urlsafe(24)
        expires_at = int(now + seconds)
        self.secrets[value] = (expires_at, session)
        return value, expires_at

    def session_for(self, secret: str):
        expires_at, session = self.secrets.get(secret, (0, None))
        if session is None:
            raise ApiError(401, "Invalid client secret: mint one with POST /v1/realtime/client_secrets.", code="invalid_api_key")
        if expires_at <= time.time():
            raise ApiError(401, "The client secret has expired: mint a new one.", code="invalid_api_key")
        return session

    async def close_all(self) -> None:
        await asyncio.gather(*(call.close() for call in list(self.calls.values())), return_exceptions=True)


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header "
            "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        )
    return token.strip()


async def _refuse(fault: Refusal | None) -> None:
    if fault is None:
        return
    await asyncio.sleep(fault.delay)
    error = fault.error()
    if error is not None:
        raise error


def _wrong_fingerprint(sdp: str) -> str:
    """The answer with a certificate fingerprint that matches nothing: DTLS must fail."""
    lines = [
        f"a=fingerprint:sha-256 {':'.join(['00'] * 32)}" if line.startswith("a=fingerprint:") else line
        for line in sdp.split("\r\n")
    ]
    return "\r\n".join(lines)


def _error_response(error: ApiError, retry_after: float | None = None) -> JSONResponse:
    headers = {"retry-after": str(round(retry_after))} if retry_after is not None else None
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def create_app(allow_faults: bool = True) -> Starlette:
    sim = Simulator()

    async def client_secrets(request: Request) -> Response:
        _bearer(request)
        sim.last_safety_identifier = request.headers.get("openai-safety-identifier")
        raw = await request.body()
        fault = sim.faults.next_mint()
        try:
            await _refuse(fault)
        except ApiError as error:
            return _error_response(error, fault.retry_after)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise ApiError(400, "We could not parse the JSON body of your request.", code="invalid_json") from None
        asked = parse_client_secret_request(body)
        value, expires_at = sim.mint(asked.expires_after.seconds, asked.session)
        session = {"id": new_id("sess"), "object": "realtime.session", "expires_at": 0, **asked.session.event_payload()}
        return JSONResponse({"value": value, "expires_at": expires_at, "session": session})

    async def calls(request: Request) -> Response:
        session = sim.session_for(_bearer(request))
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/sdp":
            raise ApiError(400, "Send the SDP offer with 'Content-Type: application/sdp'.", code="invalid_content_type")
        offer = await request.body()
        if len(offer) > MAX_SDP_BYTES:
            raise ApiError(400, "The SDP offer is too large.", code="invalid_offer", param="sdp")
        fault = sim.faults.next_call()
        try:
            await _refuse(fault)
        except ApiError as error:
            return _error_response(error, fault.retry_after)
        call = Call(session, sim.faults.next_session(), on_closed=lambda c: sim.calls.pop(c.id, None))
        sim.calls[call.id] = call
        try:
            answer = await call.answer(offer.decode("utf-8", errors="replace"))
        except ApiError:
            await call.close()
            raise
        if fault is not None and fault.break_dtls:
            answer = _wrong_fingerprint(answer)
        return Response(answer, status_code=201, media_type="application/sdp",
                        headers={"location": f"/v1{catalog.CALLS_PATH}/{call.id}"})

    async def hang_up(request: Request) -> Response:
        _bearer(request)
        call = sim.calls.get(request.path_params["call_id"])
        if call is None:
            raise ApiError(404, f"Call '{request.path_params['call_id']}' not found.", code="call_not_found")
        await call.close()
        return Response(status_code=200)

    async def beta(request: Request) -> Response:
        raise BETA_ERROR

    async def add_faults(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "We could not parse the JSON body of your request.", code="invalid_json") from None
        sim.faults.add(body)
        return JSONResponse({"pending": sim.faults.pending()})

    async def clear_faults(request: Request) -> Response:
        sim.faults.clear()
        return JSONResponse({"pending": sim.faults.pending()})

    async def stats(request: Request) -> Response:
        return JSONResponse({"calls": len(sim.calls), "tasks": len(asyncio.all_tasks()), "pending": sim.faults.pending(),
                             "last_safety_identifier": sim.last_safety_identifier})

    async def api_error(request: Request, error: ApiError) -> Response:
        return _error_response(error)

    async def not_found(request: Request, exc) -> Response:
        message = f"Invalid URL ({request.method} {request.url.path})"
        return _error_response(ApiError(404 if exc.status_code == 404 else exc.status_code, message))

    async def reject_beta(request: Request, call_next):
        if "openai-beta" in request.headers and request.url.path.startswith("/v1"):
            return _error_response(BETA_ERROR)
        return await call_next(request)

    routes = [
        Route("/v1" + catalog.CLIENT_SECRETS_PATH, client_secrets, methods=["POST"]),
        Route("/v1" + catalog.CALLS_PATH, calls, methods=["POST"]),
        Route("/v1" + catalog.CALLS_PATH + "/{call_id}/hangup", hang_up, methods=["POST"]),
        *(Route(path, beta, methods=["POST"]) for path in BETA_PATHS),
    ]
    if allow_faults:  # the control endpoints are for tests; a served app hides them
        routes += [
            Route("/control/stats", stats, methods=["GET"]),
            Route("/control/faults", add_faults, methods=["POST"]),
            Route("/control/faults", clear_faults, methods=["DELETE"]),
        ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        await sim.close_all()

    app = Starlette(
        routes=routes,
        middleware=[
            # The browser posts the SDP offer straight to the API, from the app's own origin.
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["POST"], allow_headers=["*"], expose_headers=["location"]),
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


def mounted(simulator: Starlette, prefix: str = "/simulator") -> Starlette:
    """An app serving `simulator` (from create_app) under `prefix`, e.g. as Reflex's api_transformer.

    A mounted app's lifespan never runs: its host runs `ends_calls_on_shutdown(simulator)`.
    """
    return Starlette(routes=[Mount(prefix, app=simulator)], lifespan=ends_calls_on_shutdown(simulator))
