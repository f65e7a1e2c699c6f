"""Every environment variable the backend reads, with its default, its range and its meaning: read
once, at start (CONFIG). A bad value stops the app with one line naming the variable and what it
accepts; nothing is silently replaced. `python -m voice_app.config` prints the table of
docs/configuration.md from these fields.

A field's name is its variable's, in lower case (APP_MAX_CALL_MINUTES is `app_max_call_minutes`).
An empty variable counts as unset. Reflex's own variables are listed (and checked) here too, so an
operator finds them all in one place, but Reflex reads them itself.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict
from pydantic_settings.sources.utils import parse_env_vars

from voice_app import config_words
from voice_app.realtime import catalog, mcp_servers, memory


class Config(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", env_ignore_empty=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    # Where the API is
    openai_api_key: str = Field(
        "",
        repr=False,
        description=(
            "the key the server mints client secrets with; unset, the built-in simulator answers and the page says so "
            "(one worker only: with several, run `make simulator` and point `OPENAI_BASE_URL` at it)"
        ),
    )
    openai_base_url: str = Field(
        catalog.DEFAULT_BASE_URL, description="the Realtime API (and GPT-Live), as the official SDK names it"
    )
    app_openai_timeout_s: float = Field(
        15,
        ge=1,
        le=60,
        description=(
            "how long a REST call to OpenAI (minting a secret, hanging up, starting a GPT-Live session) may take before "
            "the user is told the API is unavailable, in seconds; the server never retries one: the user's next "
            "Connect is the retry"
        ),
    )

    # The abuse limits (hosting-safely.md)
    app_access_code: str = Field(
        "",
        repr=False,
        description=(
            "when set, Connect asks for it; compared in constant time; 5 wrong codes from one address in "
            "10 minutes, then that address waits"
        ),
    )
    app_wrong_codes_per_minute: int = Field(
        20,
        ge=0,
        description=(
            "wrong codes from all addresses together before every code check slows down (1 s per multiple of this "
            "rate, at most 10 s); a right code is never refused for it"
        ),
    )
    app_mints_per_client_per_hour: int = Field(
        30,
        ge=0,
        description=(
            "calls one browser session may start per hour (a courtesy: a new session starts afresh; the next two bound the spend)"
        ),
    )
    app_mints_per_minute: int = Field(60, ge=0, description="calls the whole server may start per minute")
    app_max_concurrent_calls: int = Field(25, ge=0, description="calls at once; a refused Connect says why and when to retry")
    app_max_calls_per_client: int = Field(3, ge=0, description="calls one browser session may hold at once")
    app_max_calls_per_address: int = Field(10, ge=0, description="calls one address may hold at once, whatever sessions it makes")
    app_max_call_minutes: float = Field(
        30,
        ge=0.1,
        le=catalog.SESSION_MAX_SECONDS / 60,
        description=(  # sessions end then anyway
            "the page hangs up after this long, and the server hangs up (by call id) a page that does not"
        ),
    )

    # What is remembered and kept
    app_memory_tokens: int = Field(
        memory.DEFAULT_TOKENS,
        ge=0,
        description=(
            "at most this many tokens of a conversation are given to a new session, so the model remembers it (never "
            "more than a quarter of what the model's conversation may hold; `0` gives nothing)"
        ),
    )
    app_recordings_dir: Path = Field(
        Path("recordings"),
        description=(
            "where versions before recordings moved into the database kept them (relative to where the backend starts): "
            "any found there are moved into the database as the backend starts"
        ),
    )
    app_recording_secret: str = Field(
        "",
        repr=False,
        description=(
            "the key recordings' upload and player passes are signed with; unset, one is made once and kept in "
            "the database (every host shares it)"
        ),
    )
    app_recordings_max_mb: int = Field(
        10_000, ge=0, description="what kept recordings may take in the database, all browsers together"
    )

    # Tools, and the simulator
    app_mcp_servers: str = Field(
        "",
        repr=False,
        description=(
            "the MCP servers users may turn on, as JSON (see [MCP "
            "servers](tools-and-mcp.md#mcp-servers-tools-the-api-calls-itself)); "
            "a mistake stops the app with a message naming the server and the field"
        ),
    )
    app_mcp_servers_file: str = Field(
        "", description=("the same, in a file: `.json`, or `.toml` with a `[[servers]]` table each (not both)")
    )
    voice_simulator_faults: bool = Field(
        False,
        description=(
            "`1`: the simulator mounted in the app (no `OPENAI_API_KEY`) takes faults at `/simulator/control/...`, "
            "for tests only (see [Injecting faults](simulator.md#injecting-faults))"
        ),
    )

    voice_simulator_speech: bool = Field(
        True,
        description=(
            "`0`: the simulator (the one the app mounts, or `make simulator`) labels speech `[speech, N s]` and plays "
            "it back, instead of hearing it with its small speech model and answering aloud (see [What the simulator hears and "
            "says](simulator.md#what-the-simulator-hears-and-says)); without the speech packages it does so anyway"
        ),
    )

    # Reflex reads these itself; listed (and checked) here so that every variable is in one place
    reflex_db_url: str | None = Field(
        None,
        description=(
            "Reflex's own setting: where conversations and kept recordings are saved: any SQLAlchemy URL, "
            "`postgresql+psycopg://user:password@host/dbname` for "
            "PostgreSQL; unset, the SQLite file rxconfig.py names (see [The database](deploying.md#the-database))"
        ),
    )
    reflex_redis_url: str | None = Field(
        None,
        description=(
            "Reflex's own setting: shared page state, needed for more than one worker; a page whose websocket "
            "lands on another worker (a reload, a reconnect) carries on where it was. With it, the limits, "
            "the calls' leases and the commands to their holders are kept there too, one for every worker "
            "and host (see [Many workers, many hosts](deploying.md#many-workers-many-hosts))"
        ),
    )
    granian_workers: int | None = Field(
        None,
        ge=1,
        description=("Reflex's own setting: backend worker processes; with Redis, Reflex's default is 2 per core plus 1"),
    )
    reflex_trusted_proxy_hops: int = Field(
        0,
        ge=0,
        description=(
            "Reflex's own setting: behind reverse proxies, how many: the client's address is then read from "
            "`X-Forwarded-For` at that "
            "depth; at 0 it is the socket's peer"
        ),
    )
    reflex_api_url: str | None = Field(
        None,
        description=(
            "Reflex's own setting: the backend's address the frontend connects to, fixed when it is exported "
            "(`reflex export`): in "
            "production its public address, `https://...` behind a TLS proxy that passes websockets on; unset, "
            "Reflex's `http://localhost:8000`"
        ),
    )

    _mcp_servers: tuple = PrivateAttr(default=())

    @field_validator("openai_base_url")
    @classmethod
    def _address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise ValueError("an http(s) address")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _servers(self) -> "Config":
        try:  # its file is read here too: once, at start
            self._mcp_servers = mcp_servers.configured(self.app_mcp_servers, self.app_mcp_servers_file)
        except mcp_servers.McpConfigError as error:
            raise ValueError(str(error)) from None
        return self

    @property
    def mcp_servers(self) -> tuple[mcp_servers.McpServer, ...]:
        return self._mcp_servers

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Config":
        """The settings a mapping of variables gives (os.environ, or a test's dict): matched as
        pydantic-settings matches the environment, then checked."""
        return cls.model_validate(_Variables(cls, environ)())


class _Variables(EnvSettingsSource):
    """The environment source, reading a given mapping instead of the process's environment."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


def load(environ: Mapping[str, str] = os.environ) -> Config:
    """The settings, or the process stops with one line saying what to fix (no traceback)."""
    try:
        return Config.from_environ(environ)
    except ValidationError as error:
        raise SystemExit(f"Configuration error: {config_words.problems(error, Config.model_fields)}") from None


def table() -> str:
    """docs/configuration.md's table, one row per variable."""
    return config_words.table(Config.model_fields)


CONFIG = load()

if __name__ == "__main__":
    print(table())
