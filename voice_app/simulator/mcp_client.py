"""The simulator reaching a real MCP server, as the API does for a session's `mcp` tools: the
`mcp` package's client over streamable HTTP, with the operator's headers. Failures come back
as the API's error objects (`RealtimeMcphttpError`, `RealtimeMcpProtocolError`,
`RealtimeMcpToolExecutionError`), never as exceptions.

`allowed` (the server URLs create_app was given, or None for any) is checked before anything
is sent: a page must not make the simulator a request forger for its host's network. The
transport follows a redirect only within the server's origin (`mcp.shared._httpx_utils`), so
an allowed server cannot send the client elsewhere either."""

import asyncio
import json

import httpx2
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

TIMEOUT_S = 10.0
NOT_ALLOWED = {
    "type": "http_error",
    "code": 403,
    "message": "The MCP server could not be reached: its URL is not among the MCP servers allowed here.",
}


class McpFailure(Exception):
    def __init__(self, error: dict):
        super().__init__(error["message"])
        self.error = error


def _failure(error: BaseException) -> dict:
    """The API's error object for what went wrong reaching the server."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    if isinstance(error, httpx2.HTTPStatusError):
        return {
            "type": "http_error",
            "code": error.response.status_code,
            "message": f"The MCP server answered {error.response.status_code}.",
        }
    if isinstance(error, MCPError):
        return {"type": "protocol_error", "code": getattr(error, "code", -32603) or -32603, "message": str(error)}
    if isinstance(error, TimeoutError):
        return {"type": "http_error", "code": 504, "message": "The MCP server did not answer in time."}
    return {"type": "http_error", "code": 502, "message": "The MCP server could not be reached."}


async def _session(tool, work, allowed: frozenset[str] | None):
    if allowed is not None and tool.server_url not in allowed:
        raise McpFailure(dict(NOT_ALLOWED))
    token = {"Authorization": f"Bearer {tool.authorization}"} if tool.authorization else {}  # an OAuth token
    http = create_mcp_http_client(headers={**(tool.headers or {}), **token})
    try:
        async with asyncio.timeout(TIMEOUT_S):
            async with Client(streamable_http_client(tool.server_url, http_client=http)) as client:
                return await work(client)
    except asyncio.CancelledError:
        raise
    except BaseException as error:  # the client's task group wraps what went wrong
        raise McpFailure(_failure(error)) from None


async def list_tools(tool, allowed: frozenset[str] | None) -> list[dict]:
    """The server's tools as `RealtimeMcpListTools.tools` has them; raises McpFailure."""
    listed = await _session(tool, lambda client: client.list_tools(), allowed)
    return [
        {
            "name": t.name,
            "input_schema": t.input_schema,
            "description": t.description,
            "annotations": t.annotations.model_dump(exclude_none=True) if t.annotations else None,
        }
        for t in listed.tools
    ]


async def call_tool(tool, name: str, arguments: str, allowed: frozenset[str] | None) -> tuple[str | None, dict | None]:
    """(output, None) or (None, the API's error object)."""
    try:
        parsed = json.loads(arguments or "{}")
        result = await _session(tool, lambda client: client.call_tool(name, parsed if isinstance(parsed, dict) else {}), allowed)
    except McpFailure as failure:
        return None, failure.error
    except ValueError:
        return None, {"type": "protocol_error", "code": -32602, "message": "The arguments are not valid JSON."}
    text = "".join(getattr(part, "text", "") for part in result.content)
    if result.is_error:
        return None, {"type": "tool_execution_error", "message": text or "The tool failed."}
    return text, None
