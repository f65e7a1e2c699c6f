"""The simulator served in this process over real HTTP, built with the options a test needs."""

import asyncio
import contextlib

import uvicorn

from tests.conftest import free_port


@contextlib.asynccontextmanager
async def serve(app):
    """`app` on a free loopback port; yields its base URL."""
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
