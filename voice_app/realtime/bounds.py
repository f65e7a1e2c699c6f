"""How much a page may make the server hold. Pure.

What a page reports can be made up, and a client on Reflex's event socket need not be our page:
each report is cut to a size a real call never reaches, so a hostile one cannot grow the worker's
memory, Redis or the database without end. A real call meets none of these.
"""

MAX_BATCH_EVENTS = 500  # a batch of server events (a busy page merges deltas: a few dozen at most)
MAX_TEXT_CHARS = 20_000  # one entry's words (about 5,000 tokens; an answer is a few hundred)
MAX_ENTRIES = 2_000  # entries of one conversation
MAX_LIVE_ITEMS = 16  # items streaming at once (a response has a few)
MAX_LOG_CHARS = 4_000  # one event log entry's JSON, as the page shows it
MAX_MESSAGE_CHARS = 500  # a status or error message the page reports
MAX_MICROPHONES, MAX_LABEL_CHARS = 32, 200
MAX_SDP_CHARS = 64 * 1024  # a browser's offer (a few kilobytes)
MAX_ID_CHARS = 128  # an id the page reports (the API's are a few dozen characters)
MAX_GIVEN = 2 * MAX_ENTRIES  # ids of items that are not shown as turns (transcript.py)
_ID_FIELDS = ("event_id", "item_id", "response_id", "call_id", "previous_item_id")
LOG_KEYS = ("direction", "type", "ms", "json")  # what an event log entry holds (assets/realtime/event_log.js)
MAX_CONVERSATIONS_PER_BROWSER = 500
MAX_CONVERSATIONS = 100_000  # the whole app's
# A call's recording, in the browser and when kept: Opus at RECORDING_BITS_PER_SECOND fills it in
# about 80 minutes, longer than a session lives (catalog.SESSION_MAX_SECONDS), so only a recorder ignoring the rate meets it.
MAX_RECORDING_BYTES = 20 * 1024 * 1024
RECORDING_BITS_PER_SECOND = 32_000
MAX_RECORDINGS_PER_BROWSER = 50  # kept with conversations: at most a gigabyte of one browser's

CUT = " …"
FULL_CONVERSATION = (
    f"This conversation has reached {MAX_ENTRIES:,} entries, so later turns are not added: press New conversation to go on."
)
FULL_HISTORY = (
    f"Your History holds {MAX_CONVERSATIONS_PER_BROWSER:,} conversations, the most one browser may keep: "
    "delete some there to save this one."
)
RECORDING_FULL = (
    f"The recording stopped at its size limit ({MAX_RECORDING_BYTES // (1024 * 1024)} MB); "
    "the call goes on, and what was recorded until then can be downloaded after it."
)
RECORDINGS_FULL = (
    f"Your History keeps at most {MAX_RECORDINGS_PER_BROWSER} recordings: delete a conversation that has one to keep this one."
)
FULL_APP = "This app's storage of conversations is full, so this one is not saved: ask whoever runs it."


def batch(events) -> list:
    """The batch, as a list, cut to MAX_BATCH_EVENTS, without events whose ids no API would send."""
    return [event for event in events[:MAX_BATCH_EVENTS] if _sized(event)] if isinstance(events, list) else []


def _sized(event) -> bool:
    if not isinstance(event, dict):
        return False
    item = event.get("item")
    ids = [event.get(name) for name in _ID_FIELDS] + ([item.get("id"), item.get("call_id")] if isinstance(item, dict) else [])
    return all(value is None or (isinstance(value, str) and len(value) <= MAX_ID_CHARS) for value in ids)


def text(value: str, limit: int = MAX_TEXT_CHARS) -> str:
    return value if len(value) <= limit else value[: limit - len(CUT)] + CUT


def microphones(devices) -> list[dict]:
    listed = devices if isinstance(devices, list) else []
    return [
        {"id": text(str(d.get("id", "")), MAX_LABEL_CHARS), "label": text(str(d.get("label", "")), MAX_LABEL_CHARS)}
        for d in listed[:MAX_MICROPHONES]
        if isinstance(d, dict) and d.get("id")
    ]


def log_entries(entries) -> list[dict]:
    listed = entries if isinstance(entries, list) else []
    return [
        {key: text(str(entry.get(key, "")), MAX_LOG_CHARS) for key in LOG_KEYS}
        for entry in listed[-MAX_BATCH_EVENTS:]
        if isinstance(entry, dict)
    ]


def history_full(saved_by_browser: int, saved_in_all: int) -> str:
    """Why a new conversation cannot be saved, or "" when it can."""
    if saved_by_browser >= MAX_CONVERSATIONS_PER_BROWSER:
        return FULL_HISTORY
    if saved_in_all >= MAX_CONVERSATIONS:
        return FULL_APP
    return ""
