"""A Live session's MCP servers, as its Responses backend reaches them (for real: mcp_client.py):
each server's tools listed once the session runs, and shown in the first delegated response;
a call made at once, or an `mcp_approval_request` that waits for the client's
`mcp_approval_response` (approved: made in the next response; declined: not made)."""

import asyncio
from typing import Literal

from pydantic import ValidationError

from voice_app.simulator import mcp_client
from voice_app.simulator.errors import ApiError, from_validation
from voice_app.simulator.mcp_calls import McpRequest, allowed, needs_approval
from voice_app.simulator.schema_kit import Strict


class ApprovalResponse(Strict):
    """`McpApprovalResponse` (openai.types.responses.response_input_item_param)."""

    type: Literal["mcp_approval_response"]
    approval_request_id: str
    approve: bool
    id: str | None = None
    reason: str | None = None


def _responses_error(error: dict) -> dict:
    """The simulator's MCP error (the Realtime API's shape) as `McpToolCallError` has it."""
    if error["type"] == "tool_execution_error":
        return {"type": "mcp_tool_execution_error", "content": [{"type": "text", "text": error["message"]}]}
    kind = "mcp_protocol_error" if error["type"] == "protocol_error" else "http_error"
    return {"type": kind, "code": error.get("code", 0), "message": error["message"]}


class LiveMcp:
    def __init__(self, session, allowed_urls: frozenset[str] | None) -> None:
        self.session, self.allowed_urls = session, allowed_urls
        self.servers = {tool.server_label: tool for tool in session.config.mcp_servers}
        self.listed: dict[str, list[dict]] = {}  # server label -> its tools
        self.failed: dict[str, str] = {}  # server label -> why its tools could not be listed
        self.ready = asyncio.Event()  # set once every server was listed (or failed to be)
        if not self.servers:
            self.ready.set()
        self._shown = False  # the first delegated response lists the tools
        self.asked: dict[str, McpRequest] = {}  # approval request id -> its call, until answered
        self.answers: list[tuple[McpRequest, bool]] = []  # answered, waiting for response.create

    def start(self) -> None:
        self.session.spawn(self._list_all())

    async def _list_all(self) -> None:
        for label, tool in self.servers.items():
            try:
                self.listed[label] = [t for t in await mcp_client.list_tools(tool, self.allowed_urls) if allowed(tool, t["name"])]
            except mcp_client.McpFailure as failure:
                self.failed[label] = f"Error retrieving tool list from MCP server: '{label}'. {failure.error['message']}"
        self.ready.set()

    def names(self) -> list[str]:
        return [t["name"] for tools in self.listed.values() for t in tools]

    def request(self, name: str, arguments: str) -> McpRequest | None:
        label = next((label for label, tools in self.listed.items() if name in [t["name"] for t in tools]), None)
        return McpRequest(label, name, arguments, needs_approval=needs_approval(self.servers[label], name)) if label else None

    def list_into(self, stream) -> None:
        if not self._shown:
            self._shown = True
            for label in self.servers:
                stream.mcp_list_tools(label, self.listed.get(label, []), self.failed.get(label))

    async def call(self, stream, request: McpRequest) -> str:
        """Make the call within `stream`'s response; returns what it gave, in words."""
        started = stream.mcp_call_started(request.server_label, request.name, request.arguments, request.approval_request_id)
        output, error = await mcp_client.call_tool(
            self.servers[request.server_label], request.name, request.arguments, self.allowed_urls
        )
        stream.mcp_call_done(started, output, _responses_error(error) if error else None)
        return output if error is None else f"error: {error['message']}"

    def answer(self, item: dict) -> None:
        """An `mcp_approval_response` input item; only for a request asked and not yet answered."""
        try:
            answer = ApprovalResponse.model_validate(item)
        except ValidationError as error:
            raise from_validation(error, prefix="item") from None
        request = self.asked.pop(answer.approval_request_id, None)
        if request is None:
            raise ApiError(
                400,
                f"Invalid 'item.approval_request_id': no MCP approval request "
                f"'{answer.approval_request_id}' is waiting for an answer.",
                code="invalid_value",
                param="item.approval_request_id",
            )
        request.approval_request_id = answer.approval_request_id
        self.answers.append((request, answer.approve))
