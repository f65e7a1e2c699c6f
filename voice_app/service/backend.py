"""Where this server's Realtime API lives: OpenAI with a key, else the simulator mounted here."""

import dataclasses
import functools
import hashlib
import secrets

import httpx
import reflex as rx
from openai import AsyncOpenAI

from voice_app.config import CONFIG
from voice_app.live import catalog as live_catalog
from voice_app.live import session as live_session
from voice_app.live import sessions as live_sessions
from voice_app.realtime import binding, catalog, client_secrets, mcp_servers, memory, rest
from voice_app.realtime.client_secrets import ClientSecret, mint_client_secret
from voice_app.realtime.example_tools import example_tools
from voice_app.realtime.settings import SIMULATOR_PREFIX, ApiSettings, SessionSettings
from voice_app.service import limit_store
from voice_app.service.logs import get_logger
from voice_app.service.safety import Guard, Policy, safety_identifier
from voice_app.service.schema import schema_up_to_date

API = ApiSettings(api_key=CONFIG.openai_api_key, base_url=CONFIG.openai_base_url, timeout_s=CONFIG.app_openai_timeout_s)
SIMULATED = API.simulated
GUARD = Guard(_POLICY := Policy.from_config(CONFIG), limit_store.for_app(_POLICY))  # in Redis, if there is one
# Stable for one key (so OpenAI sees the same user as the same user), unguessable without it.
_SALT = hashlib.sha256(API.api_key.encode()).hexdigest() if API.api_key else secrets.token_hex(16)
MCP_SERVERS = CONFIG.mcp_servers  # checked at start: a mistake stops the app, saying where

if SIMULATED:
    from voice_app.simulator.app import create_app, ends_calls_on_shutdown, mounted

    # Its only key lives in this process: a page (or anyone) reaching /simulator cannot mint with
    # a made-up one, past the access code and the limits. Faults on demand are for tests only.
    _LOCAL_KEY = "sk-local-" + secrets.token_urlsafe(32)
    # Its sessions reach only the operator's MCP servers: a page's session.update naming another
    # address must not make this backend send requests into its own network.
    _simulator = create_app(
        allow_faults=CONFIG.voice_simulator_faults,
        api_key=_LOCAL_KEY,
        mcp_allowed=[server.url for server in MCP_SERVERS],
        speech=CONFIG.voice_simulator_speech,
    )
    if CONFIG.reflex_redis_url and CONFIG.granian_workers != 1:
        # A call's secret and its offer may reach different workers, each with its own simulator.
        get_logger().warning(
            "the built-in simulator works with one worker only: set GRANIAN_WORKERS=1, or run "
            "`make simulator` and set OPENAI_BASE_URL to it (with any OPENAI_API_KEY)"
        )


def simulator_hears() -> bool:
    """The built-in simulator hears words and answers aloud (else it labels speech and plays it back)."""
    return SIMULATED and _simulator.state.simulator.speech.on


def api_transformer() -> list:
    """What Reflex wraps its backend in: kept recordings' routes, and the simulator's when there is no key."""
    from voice_app.service.recording_routes import routes_app  # it imports the database's models

    return [routes_app(), *([mounted(_simulator, SIMULATOR_PREFIX)] if SIMULATED else [])]


def lifespan_tasks() -> list:
    """Reflex runs these (it never runs a mounted app's own lifespan); service/hang_ups.py adds the length limit's."""
    return [schema_up_to_date, *([ends_calls_on_shutdown(_simulator)] if SIMULATED else [])]


TOOLS = example_tools  # add your own tools to this registry (see docs/tools-and-mcp.md)
MEMORY_TOKENS = CONFIG.app_memory_tokens  # how much of a conversation a new session is given
# GPT-Live's startup history holds 8,192 rendered tokens; our estimate counts high for every
# script (token_estimate.py), and a margin keeps room for a tokenizer we cannot see.
LIVE_MEMORY_TOKENS = min(MEMORY_TOKENS, live_catalog.MEMORY_TOKENS * 3 // 4)


def memory_tokens(model: str) -> int:
    """How much of a conversation a new Realtime session running `model` is given."""
    return memory.budget_for(model, MEMORY_TOKENS)


def functions(settings: SessionSettings) -> list[dict]:
    """The app's function tools, if the user has them on."""
    return TOOLS.schemas() if settings.example_tools else []


def function_names(tools: list[dict]) -> list[str]:
    """The function tools among a session's tools: the only ones the server runs for that call."""
    return [tool["name"] for tool in tools if tool.get("type") == "function"]


def tool_schemas(settings: SessionSettings) -> list[dict]:
    """The session's tools as minted: the functions, and the MCP servers the user turned on."""
    return functions(settings) + mcp_servers.tools_for(MCP_SERVERS, settings.mcp_servers)


def page_tools(settings: SessionSettings) -> list[dict] | None:
    """The tools a page's session.update may carry: none at all (the minted ones stay) while MCP
    servers are on, since their entries hold the operator's headers; else the functions."""
    if mcp_servers.tools_for(MCP_SERVERS, settings.mcp_servers):
        return None
    return functions(settings)


def session(settings: SessionSettings) -> dict:
    """The session a secret is minted for, tools included: what a prepared secret must match."""
    return settings.session(tool_schemas(settings))


def _rest_client() -> AsyncOpenAI:
    """Without a key: the same client code and HTTP surface, with requests going to the simulator
    in this process (through an ASGI transport: no socket, no port)."""
    if not SIMULATED:
        return rest.client(API)
    local = ApiSettings(api_key=_LOCAL_KEY, base_url="http://simulator" + catalog.API_ROOT, timeout_s=API.timeout_s)
    return rest.client(local, httpx.AsyncClient(transport=httpx.ASGITransport(app=_simulator)))


# The client of every REST call to the API, made once and reused: a Connect rides an open connection.
rest_client = rest.PerLoop(_rest_client)


async def mint(settings: SessionSettings, client: str) -> ClientSecret:
    settings = dataclasses.replace(settings, secret_seconds=GUARD.policy.secret_seconds)
    return await mint_client_secret(
        rest_client(),
        settings,
        tools=tool_schemas(settings),
        safety_identifier=safety_identifier(client, _SALT),
        mark=binding.new_mark(),
    )


async def start_live(settings: SessionSettings, offer: str, remembered: memory.Memory, client: str) -> live_sessions.LiveSession:
    """A GPT-Live session for the browser's offer: everything it will ever be is set here."""
    tools = functions(settings) + mcp_servers.tools_for(MCP_SERVERS, settings.mcp_servers, live=True)
    config = live_session.config(
        settings.live_model,
        settings.voice,
        settings.instructions,
        tools,
        remembered,
        safety_identifier(client, _SALT),
        settings.live_standby_s,
    )
    return await live_sessions.create(rest_client(), config, offer)


async def hang_up(call_id: str) -> bool:
    return await client_secrets.hang_up(rest_client(), call_id)


@functools.cache
def sideband_client() -> AsyncOpenAI:
    """The server's own client for attaching to calls (realtime/sideband.py): the API with its
    key, or the simulator in this process, over a real WebSocket to this backend's own port."""
    if not SIMULATED:
        return AsyncOpenAI(api_key=API.api_key, base_url=API.base_url, max_retries=0)
    port = rx.config.get_config().backend_port or 8000
    return AsyncOpenAI(api_key=_LOCAL_KEY, base_url=f"http://127.0.0.1:{port}{SIMULATOR_PREFIX}{catalog.API_ROOT}", max_retries=0)


def backend_url(origin: str, host: str) -> str:
    """This backend, as the page reaches it (its event socket's host)."""
    return f"{'https' if origin.startswith('https:') else 'http'}://{host}"


def calls_url(origin: str, host: str) -> str:
    """Where the browser posts its SDP offer: the API itself, or this backend's simulator."""
    if not SIMULATED:
        return API.base_url + catalog.CALLS_PATH
    return f"{backend_url(origin, host)}{SIMULATOR_PREFIX}{catalog.API_ROOT}{catalog.CALLS_PATH}"
