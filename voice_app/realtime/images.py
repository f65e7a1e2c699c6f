"""Images the user shows the model mid-call: the limits the browser scales to, and reading an
image's size from its bytes. Pure.

The API takes an image as a `data:` URI of PNG or JPEG bytes in an `input_image` part of a user
message. The page decodes whatever the user picks (a file, a camera snapshot, a frame of a shared
screen), scales it so its long side is at most MAX_SIDE, and encodes it as JPEG, lowering the
quality until it fits MAX_IMAGE_CHARS: its echo must fit one data channel message (Chromium's
limit is 256 KiB) and the page's own limit on an event (events.MAX_EVENT_CHARS).
"""

import base64
import binascii
import re
import struct

MAX_SIDE = 1024  # px, the long side: detail enough to read a page, small enough to send at once
MAX_IMAGE_CHARS = 150_000  # the whole data URI
THUMBNAIL_SIDE = 160  # px, what the transcript shows
MAX_THUMBNAIL_CHARS = 24_000
MAX_IMAGES_SHOWN = 50  # thumbnails a page keeps per conversation
ACCEPTED = ("image/png", "image/jpeg")  # what the API decodes; the page converts anything else
DATA_URI = re.compile(r"^data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/=]+)$")
ITEM_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")  # the API's limit on a client's item id
UNREADABLE = "That file is not an image this browser can read: choose a PNG, JPEG, GIF or WebP."
PROBLEMS = {  # what the page reports went wrong, in the user's words
    "unreadable": UNREADABLE,
    "too_big": "That image is too large to send, even scaled down: try a smaller one.",
    "camera": "The camera could not be used: allow it for this site (or plug one in), then try again.",
    "screen": "No screen was shared, so there is no frame to show: choose a screen or window when asked.",
    "no_call": "Connect first: images go to the model during a call.",
}


def image_size(data_uri: str) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG data URI, read from its header; None if it is not one."""
    match = DATA_URI.match(data_uri) if isinstance(data_uri, str) and len(data_uri) <= MAX_IMAGE_CHARS * 2 else None
    if not match:
        return None
    try:
        data = base64.b64decode(match.group(2), validate=True)
    except (binascii.Error, ValueError):
        return None
    return _png_size(data) if match.group(1) == "image/png" else _jpeg_size(data)


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # frame headers


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None


def thumbnail(value) -> str | None:
    """A thumbnail the page reports, if it is one: a small JPEG or PNG data URI."""
    if not isinstance(value, str) or len(value) > MAX_THUMBNAIL_CHARS:
        return None
    size = image_size(value)
    return value if size and max(size) <= THUMBNAIL_SIDE * 2 else None


def shown(report) -> tuple[str, str] | None:
    """The item id and thumbnail of an image the page says it sent, if the report holds up."""
    report = report if isinstance(report, dict) else {}
    item_id, small = report.get("item_id"), thumbnail(report.get("thumbnail"))
    return (item_id, small) if isinstance(item_id, str) and ITEM_ID.match(item_id) and small else None


def described(width: int, height: int) -> str:
    """How an image stands in the transcript's text (and in a saved or exported one)."""
    return f"[image {width}×{height}]"
