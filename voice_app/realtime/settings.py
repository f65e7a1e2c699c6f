"""Where the app talks to, and what session it asks for: the GA request bodies, built once."""

from dataclasses import dataclass, field, replace

from voice_app.live import catalog as live_catalog
from voice_app.realtime import catalog, session_options
from voice_app.realtime.applies import applies
from voice_app.realtime.events import ClientEvent
from voice_app.realtime.session_options import SettingsError

DEFAULT_INSTRUCTIONS = "You are a friendly voice assistant. Answer briefly and naturally, as in a spoken conversation."
SIMULATOR_PREFIX = "/simulator"  # where the backend mounts the simulator when there is no key
TURN_DETECTION_MODES = ("server_vad", "semantic_vad", "push_to_talk")
EAGERNESS = ("auto", "low", "medium", "high")
NOISE_REDUCTION = ("off", "near_field", "far_field")
ENGINES = ("realtime", "live")  # OpenAI's two voice APIs: the Realtime API, and GPT-Live


@dataclass(frozen=True)
class ApiSettings:
    """The server's side: the key (never sent to a browser) and the API it belongs to (config.py reads them)."""

    api_key: str = field(default="", repr=False)
    base_url: str = catalog.DEFAULT_BASE_URL
    timeout_s: float = 15.0  # for minting a secret

    @property
    def simulated(self) -> bool:
        return not self.api_key


@dataclass(frozen=True)
class SessionSettings:
    """What the user can choose about a conversation."""

    engine: str = "realtime"
    model: str = catalog.DEFAULT_MODEL
    live_model: str = live_catalog.DEFAULT_MODEL
    live_standby_s: int = 0  # GPT-Live: pause after this much silence, billed at the standby rate (0: never)
    voice: str = catalog.DEFAULT_VOICE
    instructions: str = DEFAULT_INSTRUCTIONS
    transcription_model: str = catalog.DEFAULT_TRANSCRIPTION_MODEL
    turn_detection: str = "server_vad"
    vad_threshold: float = 0.5
    silence_ms: int = 500
    prefix_padding_ms: int = 300
    eagerness: str = "auto"
    noise_reduction: str = "off"
    speed: float = 1.0
    example_tools: bool = True
    record_calls: bool = False  # opt-in: both voices, recorded in the browser (recorder.js)
    mcp_servers: tuple[str, ...] = ()  # labels of the operator's MCP servers the user turned on
    secret_seconds: int = catalog.SECRET_SECONDS_DEFAULT
    # Advanced (session_options.py); a saved setting without them takes these defaults.
    reasoning_effort: str = catalog.DEFAULT_REASONING_EFFORT
    idle_timeout_ms: int = 0  # 0: no idle nudges
    answer_mode: str = "audio"
    transcription_language: str = ""
    transcription_prompt: str = ""
    transcription_keywords: str = ""
    truncation: str = "auto"
    retention_ratio: float = 0.8
    truncation_token_limit: int = 0  # 0: the model's own
    max_output_tokens: int | str = "inf"
    instructions_source: str = "typed"
    prompt_id: str = ""
    prompt_version: str = ""
    prompt_variables: str = ""

    def checked(self) -> "SessionSettings":
        choices = {
            "engine": ENGINES,
            "model": catalog.MODELS,
            "live_model": live_catalog.MODELS,
            "voice": live_catalog.VOICES if self.live else catalog.VOICES,
            "transcription_model": catalog.TRANSCRIPTION_MODELS,
            "turn_detection": TURN_DETECTION_MODES,
            "eagerness": EAGERNESS,
            "noise_reduction": NOISE_REDUCTION,
            "reasoning_effort": catalog.REASONING_EFFORTS,
            "answer_mode": session_options.ANSWER_MODES,
            "truncation": session_options.TRUNCATIONS,
            "instructions_source": session_options.INSTRUCTION_SOURCES,
        }
        if not self.live and self.voice in live_catalog.VOICES and self.voice not in catalog.VOICES:
            raise SettingsError(
                f"The voice '{self.voice}' is GPT-Live's only: choose GPT-Live, or one of {', '.join(catalog.VOICES)}."
            )
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise SettingsError(
                    f"Unknown {name.replace('_', ' ')} '{getattr(self, name)}': choose one of {', '.join(allowed)}."
                )
        if not catalog.SECRET_SECONDS_MIN <= self.secret_seconds <= catalog.SECRET_SECONDS_MAX:
            raise SettingsError(
                f"The client secret must live {catalog.SECRET_SECONDS_MIN} to {catalog.SECRET_SECONDS_MAX} seconds."
            )
        ranges = {
            "vad_threshold": (*catalog.VAD_THRESHOLD_RANGE, "The voice detection threshold"),
            "silence_ms": (100, 5000, "The silence before a turn ends (ms)"),
            "prefix_padding_ms": (0, 2000, "The audio kept before speech (ms)"),
            "speed": (*catalog.SPEED_RANGE, "The speaking speed"),
        }
        for name, (low, high, what) in ranges.items():
            if not low <= getattr(self, name) <= high:
                raise SettingsError(f"{what} must be between {low:g} and {high:g}.")
        if (
            not isinstance(self.mcp_servers, tuple)
            or len(self.mcp_servers) > 16
            or not all(isinstance(label, str) for label in self.mcp_servers)
        ):
            raise SettingsError("The MCP servers are named by their labels, 16 at most.")
        low, high = live_catalog.STANDBY_SECONDS
        if self.live_standby_s and not low <= self.live_standby_s <= high:
            raise SettingsError(f"GPT-Live's standby must start after {low} to {high} seconds of silence, or 0 for never.")
        if len(self.instructions) > 20_000:
            raise SettingsError("The instructions are too long: keep them under 20,000 characters.")
        session_options.check(self)
        return self

    def with_changes(self, **changes) -> "SessionSettings":
        if isinstance(changes.get("mcp_servers"), list):  # as JSON keeps it
            changes["mcp_servers"] = tuple(changes["mcp_servers"])
        return replace(self, **changes).checked()

    def _turn_detection(self) -> dict | None:
        if self.turn_detection == "push_to_talk":
            return None
        if self.turn_detection == "semantic_vad":
            return {"type": "semantic_vad", "eagerness": self.eagerness, "create_response": True, "interrupt_response": True}
        return {
            "type": "server_vad",
            "threshold": self.vad_threshold,
            "prefix_padding_ms": self.prefix_padding_ms,
            "silence_duration_ms": self.silence_ms,
            "idle_timeout_ms": self.idle_timeout_ms or None,
            "create_response": True,
            "interrupt_response": True,
        }

    def _input_audio(self) -> dict:
        noise = None if self.noise_reduction == "off" else {"type": self.noise_reduction}
        return {
            "transcription": session_options.transcription(self),
            "turn_detection": self._turn_detection(),
            "noise_reduction": noise,
        }

    def session(self, tools: list[dict] = ()) -> dict:
        """The GA session object, as `client_secrets` takes it; `tools` are function schemas."""
        return {
            "type": "realtime",
            "model": self.model,
            **session_options.model_options(self, self.model),
            "audio": {"input": self._input_audio(), "output": {"voice": self.voice, "speed": self.speed}},
            "tools": list(tools),
            "tool_choice": "auto",
        }

    def client_secret_request(self, tools: list[dict] = ()) -> dict:
        return {"expires_after": {"anchor": "created_at", "seconds": self.secret_seconds}, "session": self.session(tools)}

    def session_update(self, tools: list[dict] | None = (), voice: bool = False, model: str = "") -> dict:
        """What a live session can take: sent when the data channel opens (re-asserting
        transcription and turn detection) and when settings change mid-call. The model never
        changes mid-session (`model` is the one the session runs, if not this one), the voice
        only until the session has spoken, and the speed only between responses (see
        `speed_update`). `tools` None leaves the session's tools as they are (the minted MCP
        servers, whose headers a page must not carry)."""
        session = {
            "type": "realtime",
            **session_options.model_options(self, model or self.model),
            "audio": {"input": self._input_audio(), **({"output": {"voice": self.voice}} if voice else {})},
            **({} if tools is None else {"tools": list(tools)}),
        }
        return {"type": ClientEvent.SESSION_UPDATE.value, "session": session}

    def speed_update(self) -> dict:
        """The speaking speed alone: the API takes it only while no response is in progress."""
        return {
            "type": ClientEvent.SESSION_UPDATE.value,
            "session": {"type": "realtime", "audio": {"output": {"speed": self.speed}}},
        }

    @property
    def live(self) -> bool:
        return self.engine == "live"

    @property
    def not_taken(self) -> str:
        """What the chosen API takes none of, said to the user rather than dropped silently."""
        if self.instructions_source == "stored_prompt" and not applies("instructions_source", self.engine):
            return "GPT-Live takes no stored prompt: its sessions use the typed instructions."
        return ""

    @property
    def engine_model(self) -> str:
        """The model a call with these settings runs."""
        return self.live_model if self.live else self.model

    @property
    def push_to_talk(self) -> bool:
        return self.turn_detection == "push_to_talk"
