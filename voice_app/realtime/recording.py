"""A call's recording, kept with its conversation: who may send or play it, and what counts as
one. Pure: the storage is service/recordings.py (in the database), the routes service/recording_routes.py.

The page never names an owner: the server hands it a pass (signed with the server's secret,
naming the owner's hash, the conversation, what it allows and until when), made only for the
owner of that conversation. The page's upload and History's <audio> carry it, so a pass is the
only way to a recording, and one made for one conversation opens no other.
"""

import hashlib
import hmac
import re
from typing import NamedTuple

from voice_app.realtime import bounds
from voice_app.realtime.catalog import SESSION_MAX_SECONDS
from voice_app.realtime.history import conversation_number

UPLOAD, PLAY = "upload", "play"
UPLOAD_SECONDS = 10 * 60  # the page sends the recording at once when the user asks to keep it
PLAY_SECONDS = SESSION_MAX_SECONDS  # History's player, from opening the conversation: a session's length
OWNER = re.compile(r"[0-9a-f]{64}")  # history.owner_id's hash
_PASS = re.compile(
    r"(upload|play)\.([0-9a-f]{64})\.([0-9]+)\.([1-9][0-9]{0,10})\.([0-9a-f]{64})"
)  # conversation_number reads the third

EBML = b"\x1a\x45\xdf\xa3"  # WebM is Matroska: an EBML header naming its DocType "webm"
OGG = b"OggS"
MEDIA_TYPES = {"webm": "audio/webm", "ogg": "audio/ogg"}

NOT_A_RECORDING = "That is not a WebM or Ogg recording."
TOO_LARGE = f"The recording is larger than {bounds.MAX_RECORDING_BYTES // (1024 * 1024)} MB."


class Pass(NamedTuple):
    purpose: str
    owner: str
    conversation_id: int
    expires_at: int
    signature: str  # tells this pass from any other (an upload pass opens one upload)


def _signature(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def make_pass(secret: bytes, purpose: str, owner: str, conversation_id: int, now: float) -> str:
    lifetime = UPLOAD_SECONDS if purpose == UPLOAD else PLAY_SECONDS
    text = f"{purpose}.{owner}.{conversation_id}.{int(now) + lifetime}"
    return f"{text}.{_signature(secret, text)}"


def read_pass(secret: bytes, token: str, purpose: str, now: float) -> Pass | None:
    """The pass `token` is, if this server made it for `purpose` and it has not expired."""
    found = _PASS.fullmatch(token or "")
    if not found:
        return None
    text, signature = token.rsplit(".", 1)
    if not hmac.compare_digest(_signature(secret, text), signature):
        return None
    kind, owner, conversation, expires = found.groups()[:4]
    if kind != purpose or int(expires) < now or conversation_number(conversation) is None:
        return None
    return Pass(kind, owner, conversation_number(conversation), int(expires), signature)


def kind_of(head: bytes) -> str | None:
    """ "webm" or "ogg" when `head` (a file's first bytes) starts as one; else None."""
    if head.startswith(OGG):
        return "ogg"
    if head.startswith(EBML) and b"webm" in head[:64]:
        return "webm"
    return None


def refusal(size: int, head: bytes) -> str:
    """Why an upload of `size` bytes starting with `head` is refused, or "" when it is not."""
    if size <= 0 or kind_of(head) is None:
        return NOT_A_RECORDING
    if size > bounds.MAX_RECORDING_BYTES:
        return TOO_LARGE
    return ""


KEPT = "Kept with the conversation: play it from History."
FAILED = "This call could not be recorded: the browser's recorder refused."


class Offered(NamedTuple):
    """What the page reports of its recording, as the page shows it."""

    recording: bool  # a call is being recorded now
    url: str  # the finished recording, an object URL of this page; "" for none
    extension: str  # the download's file name ends so
    message: str


def offered(report: dict) -> Offered | None:
    """A report of recorder.js, read; None for one that is not (it changes nothing)."""
    state = report.get("state") if isinstance(report, dict) else None
    if state == "recording":
        return Offered(True, "", "", "")
    if state == "done":
        url = str(report.get("url") or "")
        url = url if url.startswith("blob:") and len(url) <= 200 else ""  # only ever this page's own Blob
        extension = "ogg" if "ogg" in str(report.get("type") or "") else "webm"
        return Offered(False, url, extension, bounds.RECORDING_FULL if report.get("full") is True else "")
    if state == "failed":
        return Offered(False, "", "", FAILED)
    return None
