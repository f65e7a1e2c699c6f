"""What the user heard of an interrupted answer. Pure: no I/O.

The model's text runs ahead of its voice, so an answer cut while it plays shows words the user
never heard. The API says where the voice stopped (`conversation.item.truncated`, `audio_end_ms`)
but not which word that was: it deletes its own transcript past the cut, and gives no word
timings. So the cut in the text is an estimate: speech runs at about `CHARS_PER_SECOND` (150
words a minute of about 6 characters with their space), and the cut goes back to the last whole
word, so a word half said counts as not heard.

Where the voice stopped when the user interrupts (the Interrupt button, a typed message,
push-to-talk) is the page's to say: playing.py knows which answer was heard, and since when. Over
WebRTC audio plays as it arrives, so that time is the audio played; the API refuses a cut past the
audio it has, a race `api_rules` does not show.
"""

from voice_app.realtime import bounds
from voice_app.realtime.catalog import SESSION_MAX_SECONDS
from voice_app.realtime.numbers import whole_number

CHARS_PER_SECOND = 15.0
MAX_AUDIO_MS = SESSION_MAX_SECONDS * 1000  # no answer's audio is longer than its session
TRUNCATE_EVENT = "truncate_"  # the client event ids of our truncations (their errors are races)


def heard_chars(text: str, audio_end_ms: int) -> int:
    """How many characters of `text` were heard when its audio stopped at `audio_end_ms`."""
    reach = int(max(0, audio_end_ms) * CHARS_PER_SECOND / 1000)
    if reach >= len(text.rstrip()):
        return len(text)
    if not text[reach].isspace():  # mid-word: a word half said is not heard
        while reach > 0 and not text[reach - 1].isspace():
            reach -= 1
    return len(text[:reach].rstrip())


def heard_count(entry: dict) -> int | None:
    """An entry's `heard_chars` (kept as text, as all of an entry is), if it has a sound one."""
    return whole_number(str(entry.get("heard_chars", "")), bounds.MAX_TEXT_CHARS)  # a longer one: all heard


def split(entry: dict) -> tuple[str, str]:
    """An entry's text as (heard, not heard); all heard unless it says where hearing ended."""
    text, heard = str(entry.get("text") or ""), heard_count(entry)
    at = len(text) if heard is None else heard
    return text[:at], text[at:]


def as_shown(entry: dict) -> dict:
    """The page's copy of an entry: its heard and unheard words apart, when some were not heard."""
    heard, unheard = split(entry)
    return {**entry, "heard": heard, "unheard": unheard} if unheard.strip() else dict(entry)


def played_ms(value) -> int:
    """A played time as the API takes it: whole milliseconds, in bounds (whatever sent it)."""
    try:
        return max(0, min(MAX_AUDIO_MS, int(float(value))))
    except (TypeError, ValueError, OverflowError):
        return 0
