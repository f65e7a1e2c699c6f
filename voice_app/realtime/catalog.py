"""What the Realtime API offers, written once: models, voices, retirements, limits, paths.

Model names and dates follow the `openai` package's realtime types (3.57) and OpenAI's
deprecations page; a shut-down model fails at the API, so the app offers only current ones and
moves a saved retiring choice to its successor.
"""

from dataclasses import dataclass
from datetime import date

API_ROOT = "/v1"  # the paths below are under it, at OpenAI and in the simulator
DEFAULT_BASE_URL = "https://api.openai.com" + API_ROOT
CLIENT_SECRETS_PATH = "/realtime/client_secrets"
CALLS_PATH = "/realtime/calls"
REALTIME_PATH = "/realtime"  # the WebSocket; `?call_id=` attaches the server to a WebRTC call
DATA_CHANNEL = "oai-events"
CLIENT_SECRET_PREFIX = "ek_"  # how a client secret's value starts
CALL_ID_PREFIX = "rtc"  # a call's id is rtc_ and then letters, digits, - and _

MODELS = ("gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2", "gpt-realtime-1.5")
DEFAULT_MODEL = MODELS[0]

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")
DEFAULT_VOICE = "marin"  # both APIs' (the live types' docstrings: "Defaults to `marin`")
# audio.output.speed and turn_detection.threshold, as RealtimeAudioConfigOutputParam and
# RealtimeAudioInputTurnDetectionParam say: (lowest, highest).
SPEED_RANGE = (0.25, 1.5)
VAD_THRESHOLD_RANGE = (0.0, 1.0)

# Reasoning: the gpt-realtime-2 family takes `reasoning.effort` (RealtimeReasoningEffort);
# gpt-realtime-1.5 does not reason, and the API refuses the parameter for it.
REASONING_MODELS = ("gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime-2")
REASONING_EFFORTS = ("minimal", "low", "medium", "high", "xhigh")
DEFAULT_REASONING_EFFORT = "low"

# Streaming transcription, billed by the minute; neither is retiring.
TRANSCRIPTION_MODELS = ("gpt-realtime-whisper", "gpt-live-transcribe")
DEFAULT_TRANSCRIPTION_MODEL = TRANSCRIPTION_MODELS[0]
# Transcription options only some models take, as AudioTranscriptionParam's docstrings say.
PROMPTLESS_TRANSCRIPTION_MODELS = ("gpt-realtime-whisper",)  # no `prompt`; the only ones with `delay`
KEYWORD_TRANSCRIPTION_MODELS = ("gpt-transcribe", "gpt-live-transcribe")  # the only ones with `keywords`, `languages`


@dataclass(frozen=True)
class Retirement:
    shutdown: date | None  # None: shut down already, on a date not listed here
    successor: str


_REALTIME_2027 = date(2027, 1, 20)
_TRANSCRIBE_2027 = date(2027, 2, 26)
MODEL_RETIREMENTS = {
    "gpt-realtime": Retirement(_REALTIME_2027, "gpt-realtime-2.1"),
    "gpt-realtime-2025-08-28": Retirement(_REALTIME_2027, "gpt-realtime-2.1"),
    "gpt-realtime-mini": Retirement(_REALTIME_2027, "gpt-realtime-2.1-mini"),
    "gpt-realtime-mini-2025-12-15": Retirement(_REALTIME_2027, "gpt-realtime-2.1-mini"),
    "gpt-audio-mini": Retirement(_REALTIME_2027, "gpt-realtime-2.1-mini"),
    "gpt-audio-mini-2025-12-15": Retirement(_REALTIME_2027, "gpt-realtime-2.1-mini"),
    # Their model pages say "Shut down".
    "gpt-4o-realtime-preview": Retirement(None, "gpt-realtime-2.1"),
    "gpt-4o-realtime-preview-2024-10-01": Retirement(None, "gpt-realtime-2.1"),
    "gpt-4o-realtime-preview-2024-12-17": Retirement(None, "gpt-realtime-2.1"),
    "gpt-4o-realtime-preview-2025-06-03": Retirement(None, "gpt-realtime-2.1"),
    "gpt-4o-mini-realtime-preview": Retirement(None, "gpt-realtime-2.1-mini"),
    "gpt-4o-mini-realtime-preview-2024-12-17": Retirement(None, "gpt-realtime-2.1-mini"),
}
TRANSCRIPTION_RETIREMENTS = {
    "whisper-1": Retirement(_TRANSCRIBE_2027, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-transcribe": Retirement(_TRANSCRIBE_2027, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-mini-transcribe": Retirement(_TRANSCRIBE_2027, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-mini-transcribe-2025-12-15": Retirement(_TRANSCRIBE_2027, DEFAULT_TRANSCRIPTION_MODEL),
    "gpt-4o-transcribe-diarize": Retirement(_TRANSCRIBE_2027, DEFAULT_TRANSCRIPTION_MODEL),
}
RETIREMENTS = {**MODEL_RETIREMENTS, **TRANSCRIPTION_RETIREMENTS}

# Every name the API takes (the package's literals): the offered ones, the retiring ones, and
# those the app does not offer but a session may name.
KNOWN_MODELS = (*MODELS, "gpt-audio-1.5", "gpt-realtime-mini-2025-10-06", "gpt-audio-mini-2025-10-06", *MODEL_RETIREMENTS)
KNOWN_TRANSCRIPTION_MODELS = (*TRANSCRIPTION_MODELS, "gpt-transcribe", *TRANSCRIPTION_RETIREMENTS)


def shut_down(model: str, today: date) -> bool:
    """Whether the API no longer serves `model` on `today`."""
    retirement = RETIREMENTS.get(model)
    return retirement is not None and (retirement.shutdown is None or today >= retirement.shutdown)


def retirement_notice(model: str) -> str:
    """Why a saved model was replaced, in the user's words."""
    retirement = RETIREMENTS[model]
    when = f"shuts down on {retirement.shutdown.isoformat()}" if retirement.shutdown else "has been shut down"
    return f"{model} {when}: now using {retirement.successor}."


# max_output_tokens: 1..4096, or "inf" (the model's maximum), per answer.
MAX_OUTPUT_TOKENS_LIMIT = 4096


@dataclass(frozen=True)
class Window:
    """A model's context window and its most output, in tokens (its model page)."""

    context: int
    max_output: int

    @property
    def conversation(self) -> int:
        """The most a retention ratio's `token_limits.post_instructions` may be (its docstring:
        no higher than the context window minus the maximum output tokens)."""
        return self.context - self.max_output


_WINDOW_2 = Window(128_000, 32_000)
WINDOWS = {
    "gpt-realtime-2.1": _WINDOW_2,
    "gpt-realtime-2.1-mini": _WINDOW_2,
    "gpt-realtime-2": _WINDOW_2,
    "gpt-realtime-1.5": Window(32_000, 4_096),
}  # the offered MODELS'; others' are not written here

# A client secret lives 10 s to 2 h (10 min unless asked); a session at most 60 min, of either API
# (GPT-Live's package does not say; its simulator and the page's warning take this one).
SECRET_SECONDS_MIN = 10
SECRET_SECONDS_MAX = 7200
SECRET_SECONDS_DEFAULT = 600
SESSION_MAX_SECONDS = 3600
# The API refuses to commit less input audio than this (input_audio_buffer_commit_empty).
MIN_COMMIT_MS = 100
