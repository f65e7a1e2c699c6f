"""The session's audio, as `RealtimeAudioConfigParam` has it: formats, voice, turn detection,
noise reduction and transcription."""

from typing import Literal

from pydantic import Field, model_validator, with_config
from typing_extensions import TypedDict

from voice_app.realtime import catalog
from voice_app.simulator.errors import broken_rule
from voice_app.simulator.schema_kit import STRICT, Strict, absent, object_or, typed_objects

UNSUPPORTED = "Unsupported parameter: '{param}' is not supported with this model."


class Pcm(Strict):
    type: Literal["audio/pcm"] = "audio/pcm"
    rate: Literal[24000] = 24000


class Pcmu(Strict):
    type: Literal["audio/pcmu"] = "audio/pcmu"


class Pcma(Strict):
    type: Literal["audio/pcma"] = "audio/pcma"


AudioFormat = typed_objects({"audio/pcm": Pcm, "audio/pcmu": Pcmu, "audio/pcma": Pcma}, default="audio/pcm")


class ServerVad(Strict):
    type: Literal["server_vad"]
    threshold: float = Field(0.5, ge=catalog.VAD_THRESHOLD_RANGE[0], le=catalog.VAD_THRESHOLD_RANGE[1])
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


TurnDetection = typed_objects({"server_vad": ServerVad, "semantic_vad": SemanticVad})


class NoiseReduction(Strict):
    type: Literal["near_field", "far_field"] = absent()
    strength: float = 1.0  # "Defaults to 1 when noise reduction is first enabled."


class Transcription(Strict):
    model: Literal[catalog.KNOWN_TRANSCRIPTION_MODELS] = catalog.DEFAULT_TRANSCRIPTION_MODEL
    language: str = absent()
    prompt: str = absent()
    delay: Literal["minimal", "low", "medium", "high", "xhigh"] = absent()
    keywords: list[str] = absent()
    languages: list[str] = absent()

    @model_validator(mode="after")
    def _supported_by_the_model(self):
        promptless = self.model in catalog.PROMPTLESS_TRANSCRIPTION_MODELS
        keywords = self.model in catalog.KEYWORD_TRANSCRIPTION_MODELS
        for field, allowed in (
            ("prompt", not promptless),
            ("delay", promptless),
            ("keywords", keywords),
            ("languages", keywords),
        ):
            if getattr(self, field) is not None and not allowed:
                raise broken_rule("unsupported_parameter", field, UNSUPPORTED)
        return self


@with_config(STRICT)
class CustomVoice(TypedDict):
    """A voice made from audio samples: a plain dict, so events carry it as it is."""

    id: str


Voice = object_or(Literal[catalog.VOICES], CustomVoice)


class AudioInput(Strict):
    format: AudioFormat = Pcm()
    # Transcription and noise reduction take null ("set to null to turn off"), as their docstrings say.
    transcription: Transcription | None = None
    noise_reduction: NoiseReduction | None = None
    turn_detection: TurnDetection | None = ServerVad(type="server_vad")


class AudioOutput(Strict):
    format: AudioFormat = Pcm()
    voice: Voice = catalog.DEFAULT_VOICE
    speed: float = Field(1.0, ge=catalog.SPEED_RANGE[0], le=catalog.SPEED_RANGE[1])


class Audio(Strict):
    input: AudioInput = AudioInput()
    output: AudioOutput = AudioOutput()
