"""The GPT-Live API's names, read from the official `openai` package's types so that each is
written once, and a new SDK release shows up here by itself."""

from typing import get_args, get_type_hints

from openai.types.live import ClientEventParam, ConnectClientEventParam

from voice_app.live.catalog import MODELS, SESSION_MAX_SECONDS, SESSIONS_PATH, VOICES  # noqa: F401  (written once, in the app's catalog)
from voice_app.realtime.catalog import DATA_CHANNEL, DEFAULT_VOICE  # noqa: F401  (the same in both APIs: the browser's channel; marin)

ATTACH_PATH = SESSIONS_PATH + "/{session_id:path}/attach"  # an opaque id may hold a (percent-encoded) '/'
SESSION_PREFIX = "live_"
# Responses tools the delegation accepts but the simulator never calls: functions and MCP servers run here.
OTHER_RESPONSES_TOOLS = (
    "web_search",
    "file_search",
    "code_interpreter",
    "shell",
    "image_generation",
    "custom",
    "namespace",
    "tool_search",
    "programmatic_tool_calling",
    "computer",
    "apply_patch",
)


def _types_of(union) -> tuple[str, ...]:
    """The `type` literal of each TypedDict in a union of client events."""
    return tuple(get_args(get_args(get_type_hints(member, include_extras=True)["type"])[0])[0] for member in get_args(union))


CLIENT_EVENTS = _types_of(ClientEventParam)  # what a browser's data channel may send
SIDEBAND_EVENTS = _types_of(ConnectClientEventParam)  # what the server's own connection may send
