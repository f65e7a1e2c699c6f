"""What the Realtime API offers, written once: models, voices, limits, paths."""

DEFAULT_BASE_URL = "https://api.openai.com/v1"
CLIENT_SECRETS_PATH = "/realtime/client_secrets"
CALLS_PATH = "/realtime/calls"
DATA_CHANNEL = "oai-events"

MODELS = ("gpt-realtime-2.1", "gpt-realtime-2.1-mini", "gpt-realtime", "gpt-realtime-mini")
DEFAULT_MODEL = MODELS[0]

VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")
DEFAULT_VOICE = "marin"

TRANSCRIPTION_MODELS = (
    "gpt-4o-mini-transcribe",
    "gpt-4o-transcribe",
    "gpt-realtime-whisper",
    "whisper-1",
)
DEFAULT_TRANSCRIPTION_MODEL = TRANSCRIPTION_MODELS[0]

# A client secret lives 10 s to 2 h (10 min unless asked); a session at most 60 min.
SECRET_SECONDS_MIN = 10
SECRET_SECONDS_MAX = 7200
SECRET_SECONDS_DEFAULT = 600
SESSION_MAX_SECONDS = 3600
