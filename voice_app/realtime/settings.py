"""Where the app talks to, and what session it asks for: the GA request bodies, built once."""

import os
from dataclasses import dataclass, field, replace

from voice_app.realtime import catalog

DEFAULT_INSTRUCTIONS = (
    "You are a friendly voice assistant. Answer briefly and naturally, as in a spoken conversation."
)
SIMULATOR_PREFIX = "/simulator"  # where the backend mounts the simulator when there is no key
TURN_DETECTION_MODES = ("server_vad", "semantic_vad", "push_to_talk")


class SettingsError(ValueError):
    """A setting a user chose that the API would refuse; the message says which and why."""


@dataclass(frozen=True)
class ApiSettings:
    """The server's side: the key (never sent to a browser) and the API it belongs to."""

    api_key: str = field(default="", repr=False)
    base_url: str = catalog.DEFAULT_BASE_URL

    @property
    def simulated(self) -> bool:
        return not self.api_key

    @classmethod
    def from_environment(cls, environ=os.environ) -> "ApiSettings":
        key = environ.get("OPENAI_API_KEY", "").strip()
        base = environ.get("OPENAI_BASE_URL", "").strip().rstrip("/") or catalog.DEFAULT_BASE_URL
        return cls(api_key=key, base_url=base)


@dataclass(frozen=True)
class SessionSettings:
    """What the user can choose about a conversation."""

    model: str = catalog.DEFAULT_MODEL
    voice: str = catalog.DEFAULT_VOICE
    instructions: str = DEFAULT_INSTRUCTIONS
    transcription_model: str = catalog.DEFAULT_TRANSCRIPTION_MODEL
    turn_detection: str = "server_vad"
    secret_seconds: int = catalog.SECRET_SECONDS_DEFAULT

    def checked(self) -> "SessionSettings":
        choices = {
            "model": catalog.MODELS,
            "voice": catalog.VOICES,
            "transcription_model": catalog.TRANSCRIPTION_MODELS,
            "turn_detection": TURN_DETECTION_MODES,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise SettingsError(f"Unknown {name.replace('_', ' ')} '{getattr(self, name)}': choose one of {', '.join(allowed)}.")
        if not catalog.SECRET_SECONDS_MIN <= self.secret_seconds <= catalog.SECRET_SECONDS_MAX:
            raise SettingsError(f"The client secret must live {catalog.SECRET_SECONDS_MIN} to {catalog.SECRET_SECONDS_MAX} seconds.")
        if len(self.instructions) > 20_000:
            raise SettingsError("The instructions are too long: keep them under 20,000 characters.")
        return self

    def with_changes(self, **changes) -> "SessionSettings":
        return replace(self, **changes).checked()

    def _turn_detection(self) -> dict | None:
        if self.turn_detection == "push_to_talk":
            return None
        if self.turn_detection == "semantic_vad":
            return {"type": "semantic_vad", "eagerness": "auto", "create_response": True, "interrupt_response": True}
        return {
            "type": "server_vad",
            "threshold": 0.5,
            "prefix_padding_ms": 300,
            "silence_duration_ms": 500,
            "create_response": True,
            "interrupt_response": True,
        }

    def _input_audio(self) -> dict:
        return {"transcription": {"model": self.transcription_model}, "turn_detection": self._turn_detection()}

    def session(self) -> dict:
        """The GA session object, as `client_secrets` takes it."""
        return {
            "type": "realtime",
            "model": self.model,
            "instructions": self.instructions,
            "audio": {"input": self._input_audio(), "output": {"voice": self.voice}},
        }

    def client_secret_request(self) -> dict:
        return {"expires_after": {"anchor": "created_at", "seconds": self.secret_seconds}, "session": self.session()}

    def session_update(self) -> dict:
        """Sent when the data channel opens: re-asserts transcription and turn detection."""
        return {"type": "session.update", "session": {"type": "realtime", "audio": {"input": self._input_audio()}}}
