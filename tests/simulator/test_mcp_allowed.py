"""MCP servers outside `create_app(mcp_allowed=...)` are never contacted: a page's session naming
an address inside the host's network (a counting listener here) gets the API's error and that
address gets nothing. Without the list (the standalone default, as the real API) it is reached,
which shows each test can fail."""

import contextlib

import pytest

from tests.conftest import standalone_simulator
from tests.simulator.listeners import listening
from tests.simulator.servers import serve
from tests.simulator.sessions import close_checked, connect, type_turn
from tests.simulator.test_mcp import mcp_session
from voice_app.simulator.app import create_app
from voice_app.simulator.mcp_client import NOT_ALLOWED


def refused(label: str = "calc") -> str:
    return f"Error retrieving tool list from MCP server: '{label}'. {NOT_ALLOWED['message']}"


GUARDED, OPEN = "allow list", "no allow list"


@contextlib.asynccontextmanager
async def simulator(allowed: list[str] | None):
    async with serve(create_app(mcp_allowed=allowed)) as url:
        yield url + "/v1"


@pytest.mark.parametrize("guard", [GUARDED, OPEN])
@pytest.mark.parametrize("named_in", ["mint", "session.update"])
async def test_a_server_outside_the_list_is_never_reached(mcp_server, guard, named_in):
    with listening() as internal:
        async with simulator([mcp_server[0]] if guard == GUARDED else None) as api:
            outside = mcp_session(mcp_server, url=internal.url)
            call = await connect(api, session=outside if named_in == "mint" else None)
            try:
                if named_in == "session.update":
                    call.send("session.update", session={"type": "realtime", **outside})
                failed = await call.wait_for("mcp_list_tools.failed")
                error = (await call.wait_for("error"))["error"]
                assert (await call.wait_for("conversation.item.done"))["item"]["id"] == failed["item_id"]
            finally:
                await close_checked(call)
    if guard == GUARDED:
        assert internal.requests == [] and error["message"] == refused() and error["code"] == "http_error"
    else:
        assert internal.requests and error["message"] != refused()  # reached: it answered 404


@pytest.mark.parametrize("guard", [GUARDED, OPEN])
async def test_a_listed_server_moved_elsewhere_is_not_called(mcp_server, guard):
    """The allowed server lists its tools; a session.update then points its label elsewhere,
    and a turn names one of its tools: the call fails without reaching the new address."""
    with listening() as internal:
        async with simulator([mcp_server[0]] if guard == GUARDED else None) as api:
            call = await connect(api, session=mcp_session(mcp_server))
            try:
                await call.wait_for("mcp_list_tools.completed")
                call.send("session.update", session={"type": "realtime", **mcp_session(mcp_server, url=internal.url)})
                await call.wait_for("session.updated")
                type_turn(call, 'add {"a": 2, "b": 3}')
                await call.wait_for("response.mcp_call.failed")
                made = (await call.wait_for("response.output_item.done"))["item"]
            finally:
                await close_checked(call)
    assert made["type"] == "mcp_call" and made["output"] is None
    if guard == GUARDED:
        assert internal.requests == [] and made["error"] == NOT_ALLOWED
    else:
        assert internal.requests and made["error"] != NOT_ALLOWED


async def test_an_allowed_server_cannot_redirect_the_simulator_elsewhere():
    with listening() as internal, listening(redirect_to=internal.url) as redirector:
        async with simulator([redirector.url]) as api:
            call = await connect(api, session=mcp_session((redirector.url, "token")))
            try:
                await call.wait_for("mcp_list_tools.failed")
                error = (await call.wait_for("error"))["error"]
            finally:
                await close_checked(call)
    assert redirector.requests and internal.requests == [] and "not followed" in error["message"]


@pytest.mark.slow  # starts a simulator of its own
async def test_the_standalone_simulator_takes_the_allow_list_on_its_command_line(mcp_server):
    with listening() as internal, standalone_simulator(options=("--mcp-allow", mcp_server[0])) as (url, _, _log):
        inside = {**mcp_session(mcp_server, url=internal.url)["tools"][0], "server_label": "inside"}
        call = await connect(url + "/v1", session={"tools": [*mcp_session(mcp_server)["tools"], inside]})
        try:
            await call.wait_for("mcp_list_tools.completed")  # the allowed one
            await call.wait_for("mcp_list_tools.failed")
            assert (await call.wait_for("error"))["error"]["message"] == refused("inside")
        finally:
            await close_checked(call)
    assert internal.requests == []
