"""The simulator's REST surface over real HTTP: successes, and every refusal the real API makes."""

import time

import httpx
import pytest
from openai.types.realtime import ClientSecretCreateResponse

from tests.simulator.client import mint

KEY = {"Authorization": "Bearer sk-test"}
OFFER_HEADERS = {"Content-Type": "application/sdp"}


def post_secret(api_url, body, headers=KEY):
    return httpx.post(f"{api_url}/realtime/client_secrets", json=body, headers=headers)


def assert_openai_error(reply, status, code=None, param=None):
    assert reply.status_code == status, reply.text
    error = reply.json()["error"]
    assert set(error) == {"message", "type", "code", "param"}
    assert error["message"]
    assert error["code"] == code
    if param:
        assert error["param"] == param
    return error


def test_mint_echoes_the_session_with_defaults(api_url):
    asked = {
        "type": "realtime",
        "model": "gpt-realtime-2.1-mini",
        "instructions": "Be brief.",
        "audio": {"output": {"voice": "cedar"}, "input": {"turn_detection": {"type": "semantic_vad"}}},
    }
    reply = post_secret(api_url, {"expires_after": {"anchor": "created_at", "seconds": 60}, "session": asked})
    assert reply.status_code == 200, reply.text
    minted = reply.json()
    ClientSecretCreateResponse.model_validate(minted)
    assert minted["value"].startswith("ek_")
    assert abs(minted["expires_at"] - (time.time() + 60)) < 5
    session = minted["session"]
    assert session["model"] == "gpt-realtime-2.1-mini" and session["instructions"] == "Be brief."
    assert session["audio"]["output"]["voice"] == "cedar"
    assert session["audio"]["input"]["turn_detection"]["type"] == "semantic_vad"
    assert session["output_modalities"] == ["audio"]  # a default the request left out


def test_mint_defaults_to_the_default_model_and_voice(api_url):
    session = post_secret(api_url, {"session": {"type": "realtime"}}).json()["session"]
    assert session["model"] == "gpt-realtime-2.1" and session["audio"]["output"]["voice"] == "marin"


@pytest.mark.parametrize(
    "body, code, param",
    [
        ({}, "missing_required_parameter", "session"),
        ({"session": {}}, "missing_required_parameter", "session.type"),
        ({"session": {"type": "transcription_only"}}, "invalid_value", "session.type"),
        ({"session": {"type": "realtime", "model": "gpt-5-realtime"}}, "invalid_value", "session.model"),
        (
            {"session": {"type": "realtime", "audio": {"output": {"voice": "robot"}}}},
            "invalid_value",
            "session.audio.output.voice",
        ),
        ({"session": {"type": "realtime", "temperature": 0.8}}, "unknown_parameter", "session.temperature"),
        ({"session": {"type": "realtime"}, "expires_after": {"seconds": 9}}, "integer_below_min_value", "expires_after.seconds"),
        (
            {"session": {"type": "realtime"}, "expires_after": {"seconds": 7201}},
            "integer_above_max_value",
            "expires_after.seconds",
        ),
        ({"session": {"type": "realtime", "instructions": 3}}, "invalid_type", "session.instructions"),
        (
            {"session": {"type": "realtime", "tools": [{"type": "mcp", "server_label": "x", "url": "u"}]}},
            "unknown_parameter",
            "session.tools[0].url",
        ),
        ({"session": {"type": "realtime", "max_output_tokens": 4097}}, "integer_above_max_value", "session.max_output_tokens"),
    ],
)
def test_mint_rejects_what_the_real_api_rejects(api_url, body, code, param):
    error = assert_openai_error(post_secret(api_url, body), 400, code, param)
    assert param in error["message"] or "Supported values" in error["message"]


def test_mint_of_a_shut_down_model_is_not_found(api_url):
    error = assert_openai_error(
        post_secret(api_url, {"session": {"type": "realtime", "model": "gpt-4o-realtime-preview"}}), 404, "model_not_found"
    )
    assert error["message"].startswith("The model `gpt-4o-realtime-preview` has been deprecated")


def test_mint_rejects_a_body_that_is_not_json(api_url):
    reply = httpx.post(f"{api_url}/realtime/client_secrets", content=b"{nope", headers=KEY)
    assert_openai_error(reply, 400, "invalid_json")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"}])
def test_mint_needs_a_bearer_key(api_url, headers):
    assert_openai_error(post_secret(api_url, {"session": {"type": "realtime"}}, headers), 401)


def test_beta_header_and_beta_paths_are_refused(api_url):
    reply = post_secret(api_url, {"session": {"type": "realtime"}}, {**KEY, "OpenAI-Beta": "realtime=v1"})
    assert_openai_error(reply, 400, "beta_api_shape_disabled")
    for path in ("/realtime/sessions", "/realtime?model=gpt-realtime", "/realtime/transcription_sessions"):
        assert_openai_error(httpx.post(f"{api_url}{path}", headers=KEY, json={}), 400, "beta_api_shape_disabled")


def test_unknown_path_is_an_openai_shaped_404(api_url):
    assert_openai_error(httpx.post(f"{api_url}/realtime/nothing", headers=KEY), 404)


def call_with(api_url, secret, offer, content_type="application/sdp"):
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {secret}"}
    return httpx.post(f"{api_url}/realtime/calls", content=offer, headers=headers)


def test_call_refuses_a_client_secret_never_minted(api_url):
    assert_openai_error(call_with(api_url, "ek_never_minted", "v=0"), 401, "invalid_api_key")


def test_call_takes_the_api_key_as_the_sdk_sends_it(api_url):
    """`calls.create(sdp=...)` with no session posts the bare SDP with the server's key."""
    assert_openai_error(call_with(api_url, "sk-test", "v=0"), 400, "invalid_offer", "sdp")  # past the key


def test_hang_up_of_an_unknown_call_is_call_id_not_found(api_url):
    assert_openai_error(httpx.post(f"{api_url}/realtime/calls/rtc_nothing/hangup", headers=KEY), 404, "call_id_not_found")


@pytest.mark.slow  # its secret lives the shortest time the API allows: 10 s
async def test_call_refuses_an_expired_secret(api_url):
    minted = post_secret(api_url, {"expires_after": {"seconds": 10}, "session": {"type": "realtime"}}).json()
    secret = minted["value"]
    assert_openai_error(call_with(api_url, secret, "v=0"), 400, "invalid_offer")  # still a good secret
    assert minted["expires_at"] <= time.time() + 10
    while time.time() <= minted["expires_at"]:  # (each offer spends it: ask again once it has expired)
        time.sleep(0.1)
    error = assert_openai_error(call_with(api_url, secret, "v=0"), 401, "invalid_api_key")
    assert "expired" in error["message"]


@pytest.mark.parametrize(
    "offer",
    [
        "not an sdp at all",
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",  # no media at all
        "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n",  # no ICE, no DTLS
    ],
)
async def test_call_answers_a_malformed_offer_with_400_and_keeps_serving(api_url, simulator_url, offer):
    secret = await mint(api_url)
    assert_openai_error(call_with(api_url, secret, offer), 400, "invalid_offer", "sdp")
    assert httpx.get(f"{simulator_url}/control/stats").json()["calls"] == 0
    assert post_secret(api_url, {"session": {"type": "realtime"}}).status_code == 200


async def test_call_needs_the_sdp_content_type(api_url):
    secret = await mint(api_url)
    assert_openai_error(call_with(api_url, secret, "v=0", "application/json"), 400, "invalid_content_type")
