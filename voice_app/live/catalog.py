"""What GPT-Live offers, written once: models, voices, prices, paths, and what a page may do.

Names follow the `openai` package's live types (3.57): `MediaSessionConfigParam`,
`BuiltInVoice`, the client and server event unions. Prices are the model pages' (checked
2026-11-24): billed per second of the session, at the active rate, or the standby rate while
inference is paused (gpt-live-1.1 only).
"""

from dataclasses import dataclass
from typing import get_args

from openai.types.live import BuiltInVoice

from voice_app.live.events import ClientEvent, ResponseEvent, ServerEvent
from voice_app.realtime.catalog import SESSION_MAX_SECONDS  # a GPT-Live session's too: the page warns by it

SESSIONS_PATH = "/live/sessions"  # POST: the browser's offer in, the answer and the session's id out
MAX_SESSION_ID_CHARS = 256  # the id is opaque, kept exactly as returned: only its length is bounded

MODELS = ("gpt-live-1.1", "gpt-live-1")
DEFAULT_MODEL = MODELS[0]

VOICES = get_args(BuiltInVoice)  # the Realtime API's ten and thirteen more, as the package lists them

# The Responses model the session hands tasks to: our choice, the least costly text model whose
# page lists the Live endpoint with function calling (model pages, 2026-12-02); priced in pricing.py.
DELEGATE_MODEL = "gpt-6-luna"

# Startup history (`input`): text only, one part per message, at most this many messages.
MAX_INPUT_ITEMS = 128
MEMORY_TOKENS = 8192  # its default rendered-token limit

STANDBY_SECONDS = (5, SESSION_MAX_SECONDS)  # idle_timeout_s: whole seconds of silence before inference pauses


@dataclass(frozen=True)
class MinutePrices:
    """US dollars per minute."""

    active: float
    standby: float  # while inference is paused


# Creating a WebRTC session bills this many seconds while it starts, credited against the running
# session's seconds: a session created and abandoned costs them (the cost guide, checked 2026-12-02).
STARTUP_BILLED_SECONDS = 15

PRICES = {"gpt-live-1.1": MinutePrices(0.05, 0.02), "gpt-live-1": MinutePrices(0.05, 0.05)}
PRICES_SOURCE = "https://developers.openai.com/api/docs/models/"  # + the model's name

# What the page's data channel may do: hang up, nothing else (the server answers tools on its
# own connection). And what it hears: the transcript, the figures and the end, and of the
# delegated work only the tool calls, so it can show them (their results come from the server).
PAGE_CLIENT_EVENTS = (ClientEvent.CLOSE,)
PAGE_SERVER_EVENTS = (
    ServerEvent.STARTED,
    ServerEvent.CLOSED,
    ServerEvent.USAGE,
    ServerEvent.PAUSED,
    ServerEvent.RESUMED,
    ServerEvent.INPUT_DELTA,
    ServerEvent.OUTPUT_DELTA,
    ServerEvent.DELEGATION_CREATED,
    ServerEvent.ERROR,
    ServerEvent.INFO,
)
PAGE_RESPONSE_EVENTS = (
    ResponseEvent.OUTPUT_ITEM_ADDED,
    ResponseEvent.OUTPUT_ITEM_DONE,
    ResponseEvent.COMPLETED,
    ResponseEvent.INCOMPLETE,
    ResponseEvent.FAILED,
)
# What the page sends on to Python (translate.py puts them in the app's words).
FORWARDED = (
    ServerEvent.STARTED,
    ServerEvent.CLOSED,
    ServerEvent.USAGE,
    ServerEvent.INPUT_DELTA,
    ServerEvent.OUTPUT_DELTA,
    ServerEvent.RESPONSE,
    ServerEvent.PAUSED,
    ServerEvent.RESUMED,
    ServerEvent.ERROR,
)
