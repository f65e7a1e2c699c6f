"""The server's REST calls to OpenAI share one client, so one connection: counted at a real HTTP
server (the simulator under uvicorn on loopback), by the client address of each request."""

import pytest

from tests.simulator.servers import serve
from voice_app.realtime.settings import ApiSettings, SessionSettings
from voice_app.service import backend
from voice_app.simulator.app import create_app

KEY = "sk-server-key-for-reuse"


def counting(app, peers: list):
    """`app`, noting the client (address, port) of each HTTP request: one per TCP connection."""

    async def counted(scope, receive, send):
        if scope["type"] == "http":
            peers.append(tuple(scope["client"]))
        await app(scope, receive, send)

    return counted


@pytest.fixture
async def api_with_a_key(monkeypatch):
    """The backend as with OPENAI_API_KEY and OPENAI_BASE_URL set: an API reached over real HTTP."""
    peers: list = []
    async with serve(counting(create_app(api_key=KEY), peers)) as url:
        monkeypatch.setattr(backend, "SIMULATED", False)
        monkeypatch.setattr(backend, "API", ApiSettings(api_key=KEY, base_url=url + "/v1"))
        yield peers


async def test_mints_and_hang_ups_ride_one_connection(api_with_a_key):
    peers = api_with_a_key
    for n in range(3):
        assert (await backend.mint(SessionSettings(), client=f"user-{n}")).value.startswith("ek_")
    assert await backend.hang_up("rtc_already_gone") is False
    assert len(peers) == 4  # every request reached the server...
    assert len(set(peers)) == 1  # ...over the one connection the first one opened


async def test_without_a_key_the_simulator_in_this_process_answers_without_a_socket(monkeypatch):
    """No server listens here: the mint can only have reached the simulator mounted in this process."""
    if not backend.SIMULATED:
        pytest.skip("OPENAI_API_KEY is set in this environment")
    assert (await backend.mint(SessionSettings(), client="someone")).value.startswith("ek_")
    assert backend.rest_client() is backend.rest_client()
