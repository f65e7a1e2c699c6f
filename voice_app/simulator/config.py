"""The session configuration the simulator accepts, validated as the GA API validates it.

Unknown fields are rejected, known fields get the API's defaults, and every
rejection becomes an `ApiError` worded like the real one.
"""

import secrets
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from voice_app.realtime import catalog
from voice_app.simulator.errors import ApiError, from_validation

DEFAULT_INSTRUCTIONS = "You are a helpful, concise voice assistant."


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Transcription(Strict):
    model: Literal[catalog.TRANSCRIPTION_MODELS] = catalog.DEFAULT_TRANSCRIPTION_MODEL
    language: str | None = None
    prompt: str | None = None


class ServerVad(Strict):
    type: Literal["server_vad"]
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    prefix_padding_ms: int = Field(300, ge=0, le=2000)
    silence_duration_ms: int = Field(500, ge=100, le=5000)
    idle_timeout_ms: int | None = None
    create_response: bool = True
    interrupt_response: bool = True


class SemanticVad(Strict):
    type: Literal["semantic_vad"]
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    create_response: bool = True
    interrupt_response: bool = True


TurnDetection = Annotated[ServerVad | SemanticVad, Field(discriminator="type")]


class NoiseReduction(Strict):
    type: Literal["near_field", "far_field"]


class AudioFormat(Strict):
    type: Literal["audio/pcm", "audio/pcmu", "audio/pcma"] = "audio/pcm"
    rate: Literal[24000] | None = 24000


class AudioInput(Strict):
    format: AudioFormat = AudioFormat()
    transcription: Transcription | None = None
    noise_reduction: NoiseReduction | None = None
    turn_detection: TurnDetection | None = ServerVad(type="server_vad")


class AudioOutput(Strict):
    format: AudioFormat = AudioFormat()
    voice: Literal[catalog.VOICES] = catalog.DEFAULT_VOICE
    speed: float = Field(1.0, ge=0.25, le=1.5)


class Audio(Strict):
    input: AudioInput = AudioInput()
    output: AudioOutput = AudioOutput()


class FunctionTool(Strict):
    type: Literal["function"]
    name: str = Field(min_length=1, max_length=64)
    description: str | None = None
    parameters: dict[str, Any] | None = None


class Session(Strict):
    type: Literal["realtime"]
    model: Literal[catalog.MODELS] = catalog.DEFAULT_MODEL
    instructions: str = DEFAULT_INSTRUCTIONS
    output_modalities: list[Literal["text", "audio"]] = ["audio"]
    audio: Audio = Audio()
    tools: list[Annotated[FunctionTool, Field(discriminator="type")]] = []
    tool_choice: Literal["auto", "none", "required"] = "auto"
    max_output_tokens: int | Literal["inf"] = "inf"
    tracing: Literal["auto"] | None = None
    truncation: Literal["auto", "disabled"] = "auto"
    include: list[Literal["item.input_audio_transcription.logprobs"]] | None = None

    def event_payload(self) -> dict:
        """The session as `session.created` / `session.updated` carry it."""
        return self.model_dump(mode="json")

    @property
    def speaks(self) -> bool:
        return "audio" in self.output_modalities


class ExpiresAfter(Strict):
    anchor: Literal["created_at"] = "created_at"
    seconds: int = Field(catalog.SECRET_SECONDS_DEFAULT, ge=catalog.SECRET_SECONDS_MIN, le=catalog.SECRET_SECONDS_MAX)


class ClientSecretRequest(Strict):
    expires_after: ExpiresAfter = ExpiresAfter()
    session: Session


def parse_client_secret_request(body: Any) -> ClientSecretRequest:
    if not isinstance(body, dict):
        raise ApiError(400, "The body of your request must be a JSON object.", code="invalid_json")
    try:
        return ClientSecretRequest.model_validate(body)
    except ValidationError as error:
        raise from_validation(error) from None


def _merge(current: dict, change: dict) -> dict:
    """A partial update: nested objects merge, except a tagged object switching its type."""
    merged = dict(current)
    for key, value in change.items():
        old = merged.get(key)
        same_kind = isinstance(old, dict) and isinstance(value, dict) and value.get("type", old.get("type")) == old.get("type")
        merged[key] = _merge(old, value) if same_kind else value
    return merged


def update_session(current: Session, change: Any, voice_locked: bool) -> Session:
    """Apply `session.update`; the current session stays as it was when this raises."""
    if not isinstance(change, dict):
        raise ApiError(400, "Missing required parameter: 'session'.", code="missing_required_parameter", param="session")
    if "type" not in change:
        raise ApiError(400, "Missing required parameter: 'session.type'.", code="missing_required_parameter", param="session.type")
    if "model" in change and change["model"] != current.model:
        raise ApiError(400, "The model of a session cannot be changed.", code="invalid_value", param="session.model")
    try:
        updated = Session.model_validate(_merge(current.model_dump(mode="json"), change))
    except ValidationError as error:
        raise from_validation(error, prefix="session") from None
    if voice_locked and updated.audio.output.voice != current.audio.output.voice:
        raise ApiError(
            400,
            "Cannot update a conversation's voice if assistant audio is present.",
            code="cannot_update_voice",
            param="session.audio.output.voice",
        )
    return updated


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(16).replace('-', 'A').replace('_', 'b')}"
