"""The simulator mounted under a prefix of another app, as the Reflex backend mounts it."""

import httpx

from tests.simulator.client import Call, mint
from tests.simulator.servers import serve
from voice_app.simulator.app import create_app, mounted


async def test_mounted_simulator_serves_a_call_under_its_prefix():
    async with serve(mounted(create_app(allow_faults=False))) as url:
        api = url + "/simulator/v1"
        call = Call(api)
        await call.start(await mint(api))
        try:
            assert (await call.wait_for("session.created"))["session"]["model"] == "gpt-realtime-2.1"
            assert call.location.startswith("/v1/realtime/calls/rtc_")
        finally:
            await call.close()


async def test_mounted_simulator_hides_the_fault_endpoint_unless_asked():
    async with serve(mounted(create_app(allow_faults=False))) as url:
        async with httpx.AsyncClient() as http:
            assert (await http.post(f"{url}/simulator/control/faults", json={})).status_code == 404
    async with serve(mounted(create_app(allow_faults=True))) as url:
        async with httpx.AsyncClient() as http:
            assert (await http.post(f"{url}/simulator/control/faults", json={})).status_code == 200


async def test_mounted_simulator_with_a_key_takes_only_that_key():
    async with serve(mounted(create_app(allow_faults=False, api_key="sk-in-process"))) as url:
        api = url + "/simulator/v1"
        async with httpx.AsyncClient() as http:
            refused = await http.post(
                f"{api}/realtime/client_secrets",
                json={"session": {"type": "realtime"}},
                headers={"Authorization": "Bearer sk-other"},
            )
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
        assert (await mint(api, key="sk-in-process")).startswith("ek_")
