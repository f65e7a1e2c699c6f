"""The client-secret call against the simulator's real HTTP server, for success and each failure."""

import httpx
import pytest

from tests.conftest import free_port
from voice_app.realtime import rest
from voice_app.realtime.client_secrets import hang_up, mint_client_secret
from voice_app.realtime.rest import KeyRejected, NoNetwork, RateLimited, RequestRefused, ServiceUnavailable
from voice_app.realtime.settings import ApiSettings, SessionSettings

KEY = "sk-very-secret-key-123"


@pytest.fixture
def api(api_url):
    return rest.client(ApiSettings(api_key=KEY, base_url=api_url))


async def test_mint_returns_a_short_lived_secret(api):
    secret = await mint_client_secret(api, SessionSettings(secret_seconds=60))
    assert secret.value.startswith("ek_") and secret.expires_at > 0


@pytest.mark.parametrize(
    "fault, error, words",
    [
        ({"status": 401}, KeyRejected, "API key was rejected (401): check OPENAI_API_KEY"),
        ({"status": 403}, RequestRefused, "refused access (403): Country, region, or territory not supported."),
        (
            {"status": 403, "message": "You do not have access to the model gpt-realtime-2.1."},
            RequestRefused,
            "(403): You do not have access to the model gpt-realtime-2.1.",
        ),
        ({"status": 429, "retry_after": 7}, RateLimited, "try again in 7 s"),
        ({"status": 400, "message": "Invalid value: 'x'."}, RequestRefused, "refused the session (400): Invalid value: 'x'."),
        ({"status": 500}, ServiceUnavailable, "unavailable right now (500)"),
        ({"status": 503}, ServiceUnavailable, "unavailable right now (503)"),
    ],
)
async def test_each_refusal_becomes_a_typed_error_a_user_can_act_on(api, control, fault, error, words):
    control.post("/faults", json={"mint": fault}).raise_for_status()
    with pytest.raises(error) as raised:
        await mint_client_secret(api, SessionSettings())
    assert words in raised.value.message
    assert KEY not in raised.value.message and KEY not in repr(raised.value)
    if error is RateLimited:
        assert raised.value.retry_after == 7


async def test_a_slow_api_is_reported_as_unavailable(api_url, control):
    control.post("/faults", json={"mint": {"delay": 3}}).raise_for_status()
    impatient = rest.client(ApiSettings(api_key=KEY, base_url=api_url, timeout_s=0.5))
    with pytest.raises(ServiceUnavailable, match="did not answer in time"):
        await mint_client_secret(impatient, SessionSettings())


async def test_no_network_names_the_address_to_check():
    nowhere = ApiSettings(api_key=KEY, base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(NoNetwork, match="OPENAI_BASE_URL") as raised:
        await mint_client_secret(rest.client(nowhere), SessionSettings())
    assert KEY not in raised.value.message


async def test_an_answer_that_is_not_a_secret_is_unavailable_not_a_crash():
    garbled = httpx.MockTransport(lambda request: httpx.Response(200, json={"nope": 1}))
    async with httpx.AsyncClient(transport=garbled) as http:
        with pytest.raises(ServiceUnavailable, match="does not understand"):
            await mint_client_secret(rest.client(ApiSettings(api_key=KEY), http), SessionSettings())


@pytest.mark.parametrize(
    "choice",
    [
        {"turn_detection": "semantic_vad", "eagerness": "high"},
        {"turn_detection": "push_to_talk"},
        {"noise_reduction": "near_field", "speed": 1.25, "voice": "cedar", "model": "gpt-realtime-2.1-mini"},
        {"transcription_model": "gpt-live-transcribe", "vad_threshold": 0.8, "silence_ms": 1200, "prefix_padding_ms": 100},
    ],
)
async def test_every_choice_the_settings_offer_is_a_session_the_api_accepts(api, choice):
    from voice_app.simulator.config import parse_client_secret_request, update_session

    settings = SessionSettings().with_changes(**choice)
    assert (await mint_client_secret(api, settings)).value
    session = parse_client_secret_request(settings.client_secret_request()).session
    update_session(session, settings.session_update(voice=True)["session"], voice_locked=False)


async def test_the_example_tools_are_a_tools_list_the_api_accepts(api):
    from voice_app.realtime.example_tools import example_tools

    assert (await mint_client_secret(api, SessionSettings(), tools=example_tools.schemas())).value


async def test_the_safety_identifier_header_carries_the_hash_it_is_given(api, simulator_url):
    await mint_client_secret(api, SessionSettings(), safety_identifier="ab" * 32)
    assert httpx.get(f"{simulator_url}/control/stats").json()["last_safety_identifier"] == "ab" * 32


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(404, json={"error": {"code": "call_not_found"}}),
        httpx.Response(400, json={"error": {"message": "Call not found.", "code": "call_id_not_found"}}),
    ],
)
async def test_hanging_up_a_call_that_already_ended_is_not_an_error(answer):
    ended = httpx.MockTransport(lambda request: answer)
    async with httpx.AsyncClient(transport=ended) as http:
        assert await hang_up(rest.client(ApiSettings(api_key=KEY, base_url="http://api.test/v1"), http), "rtc_gone") is False


async def test_hanging_up_an_open_call_on_the_simulator_ends_it(api, simulator_url):
    from tests.simulator.client import Call, mint

    call = Call(simulator_url + "/v1")
    await call.start(await mint(simulator_url + "/v1"))
    try:
        call_id = call.location.rsplit("/", 1)[-1]
        assert await hang_up(api, call_id) is True
        assert await hang_up(api, call_id) is False  # the second time: already ended
    finally:
        await call.close()
