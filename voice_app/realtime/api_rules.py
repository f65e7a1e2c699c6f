"""What the Realtime API accepts mid-call, as rules the state follows. Pure: no I/O.

- Tools run only for a response whose `response.done` says `completed`: the API also sends
  `function_call_arguments.done` for cancelled, incomplete and interrupted responses.
- A push-to-talk commit needs at least `catalog.MIN_COMMIT_MS` of audio; a shorter tap is cleared.
- Some `error` events are known races, not failures: they are logged, not shown in red.
"""

from voice_app.realtime import bounds, catalog
from voice_app.realtime.heard import TRUNCATE_EVENT

# A hold is timed on the server, between the press and the release reaching it; they travel the
# same way as the clear and the commit they cause, so the buffer holds about as much audio.
# Twice the API's minimum leaves room for jitter between the two.
PUSH_TO_TALK_MIN_MS = 2 * catalog.MIN_COMMIT_MS
TOO_SHORT = "That was too short to hear: hold the button (or Space) while you speak."

# Races between the page and the API: the outcome the page wanted happened anyway.
ACTIVE_RESPONSE = "conversation_already_has_active_response"  # asked for one while one was active
HARMLESS_ERRORS = frozenset({"response_cancel_not_active", ACTIVE_RESPONSE})
COMMIT_EMPTY = "input_audio_buffer_commit_empty"
# The client event ids of the earlier turns a new session is given (realtime/memory.py).
MEMORY_EVENT = "memory_"
# The client event ids of the server's retrievals of what a call said unheard (realtime/gap_filling.py).
RETRIEVE_EVENT = "retrieve_"
NOT_REMEMBERED = "The model could not be given the earlier conversation ({message}); the call goes on without it."


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def function_calls(response: dict) -> list[dict]:
    """The function calls a `response.done` carries, as {call_id, name, arguments, response_id}."""
    response = _dict(response)
    output = response.get("output") if isinstance(response.get("output"), list) else []
    return [
        {
            "call_id": str(item.get("call_id", "")),
            "name": str(item.get("name", "")),
            "arguments": str(item.get("arguments", "")),
            "response_id": str(response.get("id", "")),
        }
        for item in map(_dict, output)
        if item.get("type") == "function_call" and item.get("call_id")
    ]


def calls_to_run(response: dict) -> list[dict]:
    """Run these now: a completed response's calls; any other status runs nothing."""
    return function_calls(response) if _dict(response).get("status") == "completed" else []


def held_long_enough(held_ms: float) -> bool:
    return held_ms >= PUSH_TO_TALK_MIN_MS


def error_shown(error: dict) -> tuple[str, str]:
    """How an `error` event reaches the user: ("error" | "notice" | "", message)."""
    error = _dict(error)
    code, message = str(error.get("code") or ""), str(error.get("message") or "")
    if code in HARMLESS_ERRORS:
        return "", message
    if code == COMMIT_EMPTY:
        return "notice", TOO_SHORT
    if str(error.get("event_id") or "").startswith(TRUNCATE_EVENT):
        return "", message  # the voice had ended as the page cut it: nothing was left to cut
    if str(error.get("event_id") or "").startswith(RETRIEVE_EVENT):
        return "", message  # the server's own look-up: the call goes on as it was
    if str(error.get("event_id") or "").startswith(MEMORY_EVENT):
        return "error", NOT_REMEMBERED.format(message=message.rstrip(".") or code or "refused")
    return "error", message or "The Realtime API reported an error."


def error_logged(error) -> tuple[bool, str]:
    """How the server logs an `error` event: (a known race?, its codes, cut to size); never its
    message, which may quote what was sent."""
    error = _dict(error)
    codes = " ".join(f"{key}={bounds.text(str(error.get(key)), 64)!r}" for key in ("type", "code", "param", "event_id"))
    return str(error.get("code")) in HARMLESS_ERRORS, codes
