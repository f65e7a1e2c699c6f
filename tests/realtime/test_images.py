"""Reading an image's size from its bytes, and what a page may report of an image it showed."""

import base64

from tests.pictures import png
from voice_app.realtime import images
from voice_app.realtime.items import words_of


def uri(kind: str, data: bytes) -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


# A 3×2 baseline JPEG's first segments: SOI, an APP0 (JFIF) segment, then SOF0 with its size.
JPEG = (
    b"\xff\xd8"
    + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xc0\x00\x11\x08\x00\x02\x00\x03\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
)


def test_the_size_is_read_from_png_and_jpeg_headers_and_nothing_else_passes():
    assert images.image_size(uri("png", png(7, 5))) == (7, 5)
    assert images.image_size(uri("jpeg", JPEG)) == (3, 2)
    assert images.image_size(uri("png", JPEG)) is None  # the bytes must be what the URI says
    assert images.image_size(uri("jpeg", b"\xff\xd8\x00")) is None
    assert images.image_size("data:image/gif;base64,R0lGODlh") is None
    assert images.image_size("data:image/png;base64,not base64!") is None
    assert images.image_size(None) is None


def test_a_reported_image_needs_a_valid_item_id_and_a_small_real_thumbnail():
    small = uri("png", png(160, 90))
    assert images.shown({"item_id": "item_img_1", "thumbnail": small}) == ("item_img_1", small)
    assert images.shown({"item_id": "x" * 33, "thumbnail": small}) is None
    assert images.shown({"item_id": "item 1", "thumbnail": small}) is None
    assert images.shown({"item_id": "item_1", "thumbnail": uri("png", png(800, 600))}) is None  # not a thumbnail
    assert images.shown({"item_id": "item_1", "thumbnail": "javascript:alert(1)"}) is None
    assert images.shown("nonsense") is None


def test_an_image_reads_as_its_size_in_the_transcript():
    item = {"type": "message", "role": "user", "content": [{"type": "input_image", "image_url": uri("png", png(4, 3))}]}
    assert words_of(item) == "[image 4×3]"
    item["content"][0]["image_url"] = ""  # the page's copy: the bytes stayed in the browser
    assert words_of(item) == "[image]"
