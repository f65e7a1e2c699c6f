"""The simulator mounted under a prefix of another app, as the Reflex backend mounts it."""

import asyncio
import contextlib

import httpx
import uvicorn

from tests.conftest import free_port
from tests.simulator.client import Call, mint
from voice_app.simulator.app import create_app, mounted


@contextlib.asynccontextmanager
async def serve(app):
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


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
