"""Where the app talks to, and what session it asks for: the GA request bodies, built once."""

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace

from voice_app.realtime import catalog

DEFAULT_INSTRUCTIONS = (
    "You are a friendly voice assistant. Answer briefly and naturally, as in a spoken conversation."
)
SIMULATOR_PREFIX = "/simulator"  # where the backend mounts the simulator when there is no key
TURN_DETECTION_MODES = ("server_vad", "semantic_vad", "push_to_talk")
EAGERNESS = ("auto", "low", "medium", "high")
NOISE_REDUCTION = ("off", "near_field", "far_field")


class SettingsError(ValueError):
    """A setting a user chose that the API would refuse; the message says which and why."""


@dataclass(frozen=True)
class ApiSettings:
    """The server's side: the key (never sent to a browser) and the API it belongs to."""

    api_key: str = field(default="", repr=False)
    base_url: str = catalog.DEFAULT_BASE_URL
    timeout_s: float = 15.0  # for minting a secret

    @property
    def simulated(self) -> bool:
        return not self.api_key

    @classmethod
    def from_environment(cls, environ=os.environ) -> "ApiSettings":
        key = environ.get("OPENAI_API_KEY", "").strip()
        base = environ.get("OPENAI_BASE_URL", "").strip().rstrip("/") or catalog.DEFAULT_BASE_URL
        try:
            timeout = min(60.0, max(1.0, float(environ.get("APP_OPENAI_TIMEOUT_S", 15))))
        except ValueError:
            timeout = 15.0
        return cls(api_key=key, base_url=base, timeout_s=timeout)


@dataclass(frozen=True)
class SessionSettings:
    """What the user can choose about a conversation."""

    model: str = catalog.DEFAULT_MODEL
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
    mcp_servers: tuple[str, ...] = ()  # labels of the operator's MCP servers the user turned on
    secret_seconds: int = catalog.SECRET_SECONDS_DEFAULT

    def checked(self) -> "SessionSettings":
        choices = {
            "model": catalog.MODELS,
            "voice": catalog.VOICES,
            "transcription_model": catalog.TRANSCRIPTION_MODELS,
            "turn_detection": TURN_DETECTION_MODES,
            "eagerness": EAGERNESS,
            "noise_reduction": NOISE_REDUCTION,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise SettingsError(f"Unknown {name.replace('_', ' ')} '{getattr(self, name)}': choose one of {', '.join(allowed)}.")
        if not catalog.SECRET_SECONDS_MIN <= self.secret_seconds <= catalog.SECRET_SECONDS_MAX:
            raise SettingsError(f"The client secret must live {catalog.SECRET_SECONDS_MIN} to {catalog.SECRET_SECONDS_MAX} seconds.")
        ranges = {
            "vad_threshold": (0.0, 1.0, "The voice detection threshold"),
            "silence_ms": (100, 5000, "The silence before a turn ends (ms)"),
            "prefix_padding_ms": (0, 2000, "The audio kept before speech (ms)"),
            "speed": (0.25, 1.5, "The speaking speed"),
        }
        for name, (low, high, what) in ranges.items():
            if not low <= getattr(self, name) <= high:
                raise SettingsError(f"{what} must be between {low:g} and {high:g}.")
        if not isinstance(self.mcp_servers, tuple) or len(self.mcp_servers) > 16 or not all(isinstance(label, str) for label in self.mcp_servers):
            raise SettingsError("The MCP servers are named by their labels, 16 at most.")
        if len(self.instructions) > 20_000:
            raise SettingsError("The instructions are too long: keep them under 20,000 characters.")
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
            "create_response": True,
            "interrupt_response": True,
        }

    def _input_audio(self) -> dict:
        noise = None if self.noise_reduction == "off" else {"type": self.noise_reduction}
        return {
            "transcription": {"model": self.transcription_model},
            "turn_detection": self._turn_detection(),
            "noise_reduction": noise,
        }

    def session(self, tools: list[dict] = ()) -> dict:
        """The GA session object, as `client_secrets` takes it; `tools` are function schemas."""
        return {
            "type": "realtime",
            "model": self.model,
            "instructions": self.instructions,
            "audio": {"input": self._input_audio(), "output": {"voice": self.voice, "speed": self.speed}},
            "tools": list(tools),
            "tool_choice": "auto",
        }

    def client_secret_request(self, tools: list[dict] = ()) -> dict:
        return {"expires_after": {"anchor": "created_at", "seconds": self.secret_seconds}, "session": self.session(tools)}

    def session_update(self, tools: list[dict] | None = (), voice: bool = False) -> dict:
        """What a live session can take: sent when the data channel opens (re-asserting
        transcription and turn detection) and when settings change mid-call. The model never
        changes mid-session, the voice only until the session has spoken, and the speed only
        between responses (see `speed_update`). `tools` None leaves the session's tools as
        they are (the minted MCP servers, whose headers a page must not carry)."""
        session = {
            "type": "realtime",
            "instructions": self.instructions,
            "audio": {"input": self._input_audio(), **({"output": {"voice": self.voice}} if voice else {})},
            **({} if tools is None else {"tools": list(tools)}),
        }
        return {"type": "session.update", "session": session}

    def speed_update(self) -> dict:
        """The speaking speed alone: the API takes it only while no response is in progress."""
        return {"type": "session.update", "session": {"type": "realtime", "audio": {"output": {"speed": self.speed}}}}

    @property
    def push_to_talk(self) -> bool:
        return self.turn_detection == "push_to_talk"


def saved_settings(text: str) -> tuple[SessionSettings, list[str]]:
    """Settings saved in the browser, and what had to change in them. A retiring model moves to
    its successor, with a notice; anything unreadable or out of date falls back to defaults."""
    notices = []
    try:
        saved = json.loads(text) if text else {}
        known = {f.name for f in fields(SessionSettings)}
        saved = {k: v for k, v in saved.items() if k in known}
        for name in ("model", "transcription_model"):
            if isinstance(saved.get(name), str) and saved[name] in catalog.RETIREMENTS:
                notices.append(catalog.retirement_notice(saved[name]))
                saved[name] = catalog.RETIREMENTS[saved[name]].successor
        return SessionSettings().with_changes(**saved), notices
    except (ValueError, TypeError, AttributeError, SettingsError):
        return SessionSettings(), notices


def settings_from_json(text: str) -> SessionSettings:
    return saved_settings(text)[0]


def settings_to_json(settings: SessionSettings) -> str:
    return json.dumps(asdict(settings), sort_keys=True)


_NUMBERS = {"vad_threshold": float, "silence_ms": int, "prefix_padding_ms": int, "speed": float}
_LABELS = {"vad_threshold": "threshold", "silence_ms": "silence", "prefix_padding_ms": "prefix padding", "speed": "speed"}


def settings_from_form(form: dict, current: SessionSettings) -> SessionSettings:
    """The settings form's strings, checked; a SettingsError says what to fix."""
    changes = {}
    for name in {f.name for f in fields(SessionSettings)} & set(form):
        value = form[name]
        if name == "example_tools":
            value = str(value).lower() in ("on", "true", "1")
        elif name == "mcp_servers":
            value = tuple(value) if isinstance(value, list | tuple) else ()
        elif name in _NUMBERS:
            try:
                value = _NUMBERS[name](float(value)) if _NUMBERS[name] is int else float(value)
            except (TypeError, ValueError):
                raise SettingsError(f"The {_LABELS[name]} must be a number.") from None
        changes[name] = value
    return current.with_changes(**changes)
