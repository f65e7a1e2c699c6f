"""Images in the conversation, as the API takes them: PNG or JPEG bytes in a data URI, answered
(the simulator says the size it saw) and counted as image tokens in the response's usage."""

import base64

from tests.pictures import png
from tests.simulator.sessions import close_checked, connect
from voice_app.simulator.events import image_tokens


def shown(width: int, height: int, detail: str | None = None) -> dict:
    part = {"type": "input_image", "image_url": "data:image/png;base64," + base64.b64encode(png(width, height)).decode()}
    return {"type": "message", "role": "user", "content": [{**part, "detail": detail} if detail else part]}


async def test_an_image_is_answered_with_its_size_and_counted_in_the_usage(api_url):
    call = await connect(api_url)
    try:
        call.send("conversation.item.create", item=shown(640, 480))
        call.send("response.create")
        answer = await call.wait_for("response.output_audio_transcript.done")
        assert "I see an image of 640×480 pixels" in answer["transcript"]
        usage = (await call.wait_for("response.done"))["response"]["usage"]
        assert usage["input_token_details"]["image_tokens"] == image_tokens(640, 480) == 85 + 170 * 2  # 2×1 tiles of 512
        assert usage["input_tokens"] >= usage["input_token_details"]["image_tokens"]
    finally:
        await close_checked(call)  # every event checked against the openai types


async def test_an_image_that_does_not_decode_is_refused(api_url):
    call = await connect(api_url)
    try:
        item = shown(2, 2)
        item["content"][0]["image_url"] = "data:image/png;base64,aGVsbG8="  # "hello": not a PNG
        call.send("conversation.item.create", item=item)
        error = (await call.wait_for("error"))["error"]
        assert "could not be decoded" in error["message"] and error["param"].endswith("image_url")
    finally:
        await close_checked(call)


def test_image_tokens_follow_the_tiling_rule():
    assert image_tokens(4000, 3000, "low") == 85
    assert image_tokens(512, 512) == 85 + 170  # one tile
    assert image_tokens(2048, 4096) == 85 + 170 * 6  # fitted in 2048, short side to 768: 768×1536
