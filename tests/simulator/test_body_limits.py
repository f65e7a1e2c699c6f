"""Every POST's body is read as a stream and refused with 413 as soon as it passes its limit:
a body four times as long, never ended, gets its answer after no more than the limit and one chunk."""

import itertools

import httpx
import pytest

from tests.simulator.servers import serve
from tests.simulator.streamed import post_streamed
from tests.simulator.test_rest import assert_openai_error
from voice_app.simulator.app import create_app
from voice_app.simulator.bodies import MAX_OFFER_BYTES, MAX_SDP_BYTES, MAX_SESSION_BYTES, MAX_SMALL_BYTES

CHUNK = b"x" * 8192
KEY = {"authorization": "Bearer sk-test"}
POSTS = [
    ("/v1/realtime/client_secrets", "application/json", MAX_SESSION_BYTES),
    ("/v1/realtime/calls", "application/sdp", MAX_SDP_BYTES),
    ("/v1/realtime/calls", "multipart/form-data; boundary=x", MAX_OFFER_BYTES),
    ("/v1/live/sessions", "application/json", MAX_OFFER_BYTES),
    ("/v1/realtime/calls/rtc_none/hangup", "application/json", MAX_SMALL_BYTES),
    ("/control/faults", "application/json", MAX_SMALL_BYTES),
    ("/control/latency", "application/json", MAX_SMALL_BYTES),
]


def assert_too_large(status: int, body: dict) -> None:
    assert_openai_error(httpx.Response(status, json=body), 413, "request_too_large")


@pytest.mark.parametrize("path, content_type, limit", POSTS)
async def test_a_long_body_is_refused_once_it_passes_the_limit(path, content_type, limit):
    chunks = itertools.repeat(CHUNK, 4 * limit // len(CHUNK))
    async with serve(create_app()) as url:
        status, body, sent = await post_streamed(url + path, {**KEY, "content-type": content_type}, chunks)
        assert_too_large(status, body)
        assert sent * len(CHUNK) <= limit + len(CHUNK)  # it stopped reading at the chunk that passed the limit
        async with httpx.AsyncClient(base_url=url) as http:  # and serves on
            assert (
                await http.post("/v1/realtime/client_secrets", headers=KEY, json={"session": {"type": "realtime"}})
            ).status_code == 200


async def test_a_declared_length_past_the_limit_is_refused_before_any_of_it_is_read():
    async with serve(create_app()) as url:
        status, body, sent = await post_streamed(
            url + "/v1/realtime/calls", {**KEY, "content-type": "application/sdp"}, [], length=10**9
        )
        assert_too_large(status, body)
        assert sent == 0
