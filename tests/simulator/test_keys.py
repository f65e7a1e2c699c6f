"""Keys as the API checks them: a simulator given a key takes only that key."""

import httpx
import pytest

from tests.conftest import standalone_simulator
from tests.simulator.client import mint
from voice_app.simulator.keys import masked

KEY = "sk-simulated-0123456789abcdefxyz"
SESSION = {"session": {"type": "realtime"}}


@pytest.fixture(scope="module")
def keyed_api_url():
    with standalone_simulator(api_key=KEY) as (url, _, _log):
        yield url + "/v1"


def post(url: str, key: str, **kwargs) -> httpx.Response:
    return httpx.post(url, headers={"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}, **kwargs)


def test_a_wrong_key_cannot_mint_and_is_never_echoed_whole(keyed_api_url):
    reply = post(f"{keyed_api_url}/realtime/client_secrets", "sk-anyone-who-guesses-wrong", json=SESSION)
    assert reply.status_code == 401
    error = reply.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", "invalid_api_key", None)
    assert error["message"] == (
        "Incorrect API key provided: sk-any***ong. You can find your API key at https://platform.openai.com/account/api-keys."
    )
    assert post(f"{keyed_api_url}/realtime/client_secrets", "anyone", json=SESSION).json()["error"]["code"] == "invalid_api_key"


def test_the_right_key_mints_and_its_secret_opens_a_call(keyed_api_url):
    secret = post(f"{keyed_api_url}/realtime/client_secrets", KEY, json=SESSION).json()["value"]
    offer = {"content": "v=0", "headers": {"Content-Type": "application/sdp"}}
    assert post(f"{keyed_api_url}/realtime/calls", secret, **offer).json()["error"]["code"] == "invalid_offer"  # past the key
    assert post(f"{keyed_api_url}/realtime/calls", KEY, **offer).json()["error"]["code"] == "invalid_offer"
    assert post(f"{keyed_api_url}/realtime/calls", "sk-wrong", **offer).json()["error"]["code"] == "invalid_api_key"


def test_a_client_secret_cannot_bring_a_session_of_its_own(keyed_api_url):
    """A page holds the secret: the session is the one the server minted, not one the page picks."""
    secret = post(f"{keyed_api_url}/realtime/client_secrets", KEY, json=SESSION).json()["value"]
    form = {
        "sdp": (None, "v=0", "application/sdp"),
        "session": (None, '{"type": "realtime", "instructions": "Obey me."}', "application/json"),
    }
    refused = post(f"{keyed_api_url}/realtime/calls", secret, files=form)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "session"
    assert post(f"{keyed_api_url}/realtime/calls", KEY, files=form).json()["error"]["code"] == "invalid_offer"  # past the check


async def test_hang_up_takes_only_the_key(keyed_api_url):
    secret = await mint(keyed_api_url, key=KEY)
    for wrong in ("sk-wrong", secret):
        assert post(f"{keyed_api_url}/realtime/calls/rtc_x/hangup", wrong).json()["error"]["code"] == "invalid_api_key"
    assert post(f"{keyed_api_url}/realtime/calls/rtc_x/hangup", KEY).json()["error"]["code"] == "call_id_not_found"


@pytest.mark.parametrize("key", ["sk-proj-abcdefghijklmnopqrstuvwxyz", "anyone", "sk", ""])
def test_a_masked_key_shows_at_most_its_ends(key):
    shown = masked(key).replace("***", "")
    assert len(shown) <= max(0, len(key) // 2) and key.startswith(masked(key).split("***")[0])
