"""Starting a GPT-Live session from the server: its failures in words a user can act on, and the
key in one header of one request only. (The real request, against the simulator over HTTP, is in
tests/simulator/test_live_app.py.)"""

import httpx
import pytest
from openai import AsyncOpenAI

from voice_app.live import sessions
from voice_app.realtime import rest
from voice_app.realtime.rest import RequestRefused, ServiceUnavailable
from voice_app.realtime.settings import ApiSettings

API = ApiSettings(api_key="sk-secret-key", base_url="http://api.test/v1")
OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"


def answering(status: int, body) -> tuple[AsyncOpenAI, list]:
    seen = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    return rest.client(API, httpx.AsyncClient(transport=httpx.MockTransport(handle))), seen


async def test_an_unavailable_api_and_an_answer_without_sdp_say_what_happened_without_the_key():
    api, seen = answering(503, {"error": {"message": "overloaded"}})
    with pytest.raises(ServiceUnavailable, match=r"GPT-Live API is unavailable right now \(503\)") as failed:
        await sessions.create(api, {"model": "gpt-live-1.1"}, OFFER)
    assert "sk-secret" not in failed.value.message
    assert seen[0].url.path == "/v1/live/sessions" and seen[0].headers["authorization"] == "Bearer sk-secret-key"
    api, _ = answering(201, {"session": {"id": "live_1"}, "transport": {"type": "webrtc", "sdp": ""}})
    with pytest.raises(ServiceUnavailable, match="does not understand"):
        await sessions.create(api, {"model": "gpt-live-1.1"}, OFFER)


@pytest.mark.parametrize("offer", ["", "not sdp", "v=0" + "x" * sessions.MAX_OFFER_CHARS, None])
async def test_an_offer_that_is_not_one_is_refused_before_anything_is_sent(offer):
    api, seen = answering(201, {})
    with pytest.raises(RequestRefused, match="offer was not usable"):
        await sessions.create(api, {"model": "gpt-live-1.1"}, offer)
    assert seen == []
