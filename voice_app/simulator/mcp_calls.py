"""MCP servers in a simulated session, streamed as the API streams them: listing a server's
tools when the session gets it (`mcp_list_tools` item, `mcp_list_tools.*` events), and a
response's MCP call (`mcp_call` item, `response.mcp_call*` events) or, when the server's
`require_approval` says so, an `mcp_approval_request` item that waits for the client's
`mcp_approval_response` (then a `response.create` runs or declines it: replies.py)."""

from dataclasses import dataclass

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events, mcp_client
from voice_app.simulator.config import new_id
from voice_app.simulator.errors import ApiError

DECLINED = "I did not make that call: it was declined."  # what the simulated model says to a declined call


@dataclass
class McpRequest:
    server_label: str
    name: str
    arguments: str
    approval_request_id: str | None = None  # the approved request this call carries out
    needs_approval: bool = False


def _matches(rule, name: str) -> bool:
    """By tool name; a `read_only` filter the simulator does not apply (it reads no annotations)."""
    return rule is not None and name in (rule.tool_names or [])


def needs_approval(tool, name: str) -> bool:
    """As `require_approval` says: "never", a `never` filter naming the tool, else ask."""
    rule = tool.require_approval
    if rule == "never":
        return False
    if rule is None or isinstance(rule, str):
        return True
    return not _matches(rule.never, name) or _matches(rule.always, name)


def allowed(tool, name: str) -> bool:
    rule = tool.allowed_tools
    if rule is None:
        return True
    return name in rule if isinstance(rule, list) else rule.tool_names is None or name in rule.tool_names


async def list_server(c, tool) -> None:
    """List one server's tools into the conversation; its names become callable by a typed turn."""
    item_id = new_id("item")
    item = {"id": item_id, "type": "mcp_list_tools", "server_label": tool.server_label, "tools": []}
    c.add_item(item_id, dict(item))
    c.emit(events.event(E.MCP_LIST_IN_PROGRESS, item_id=item_id))
    failure = None
    try:
        listed = [t for t in await mcp_client.list_tools(tool, c.mcp_allowed) if allowed(tool, t["name"])]
    except mcp_client.McpFailure as failed:
        c.emit(events.event(E.MCP_LIST_FAILED, item_id=item_id))
        listed, failure = [], failed.error
    else:
        c.mcp_tools[tool.server_label] = [t["name"] for t in listed]
        c.emit(events.event(E.MCP_LIST_COMPLETED, item_id=item_id))
    item["tools"] = listed
    c.set_item(item_id, item)
    c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(item_id)))
    if failure:  # the failed event says nothing of why: the error does, as the API words it
        c.error(
            ApiError(
                400,
                f"Error retrieving tool list from MCP server: '{tool.server_label}'. {failure['message']}",
                type="external_connector_error",
                code=failure["type"],
            )
        )


def _added(c, response_id: str, index: int, item: dict) -> None:
    c.emit(events.event(E.OUTPUT_ITEM_ADDED, response_id=response_id, output_index=index, item=item))
    c.add_item(item["id"], dict(item))


def _done(c, response_id: str, index: int, item: dict) -> dict:
    c.set_item(item["id"], item)
    c.emit(events.event(E.OUTPUT_ITEM_DONE, response_id=response_id, output_index=index, item=item))
    c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(item["id"])))
    return item


def ask_approval(c, response_id: str, index: int, request: McpRequest) -> dict:
    item = {
        "id": new_id("mcpr"),
        "type": "mcp_approval_request",
        "server_label": request.server_label,
        "name": request.name,
        "arguments": request.arguments,
    }
    _added(c, response_id, index, item)
    return _done(c, response_id, index, item)


async def stream_call(c, response_id: str, index: int, request: McpRequest) -> dict:
    """One MCP call of a response: its arguments, then the server's output or error."""
    item = {
        "id": new_id("mcp"),
        "type": "mcp_call",
        "server_label": request.server_label,
        "name": request.name,
        "arguments": "",
        "approval_request_id": request.approval_request_id,
        "output": None,
        "error": None,
    }
    where = {"item_id": item["id"], "output_index": index}
    _added(c, response_id, index, item)
    c.emit(events.event(E.MCP_ARGUMENTS_DELTA, **where, response_id=response_id, delta=request.arguments))
    c.emit(events.event(E.MCP_ARGUMENTS_DONE, **where, response_id=response_id, arguments=request.arguments))
    c.emit(events.event(E.MCP_CALL_IN_PROGRESS, **where))
    tool = c.session.mcp_server(request.server_label)
    output, error = (
        await mcp_client.call_tool(tool, request.name, request.arguments, c.mcp_allowed)
        if tool
        else (None, {"type": "protocol_error", "code": -32601, "message": f"No MCP server '{request.server_label}'."})
    )
    c.emit(events.event(E.MCP_CALL_FAILED if error else E.MCP_CALL_COMPLETED, **where))
    return _done(c, response_id, index, {**item, "arguments": request.arguments, "output": output, "error": error})


def requests_in(c, words: str, requested) -> list[McpRequest]:
    """The MCP tools a typed turn names (`requested` is tool_calls.requested_calls)."""
    servers = {name: c.session.mcp_server(label) for label, names in c.mcp_tools.items() for name in names}
    servers = {name: tool for name, tool in servers.items() if tool}
    return [
        McpRequest(servers[name].server_label, name, arguments, needs_approval=needs_approval(servers[name], name))
        for name, arguments in requested(words, list(servers))
    ]


def answered(c, response: dict) -> McpRequest | None:
    """The call an approval answers, to make now; None when it was declined."""
    asked = c.items.get(response.get("approval_request_id", ""), {})
    if not response.get("approve") or asked.get("type") != "mcp_approval_request":
        return None
    return McpRequest(asked["server_label"], asked["name"], asked["arguments"], approval_request_id=asked["id"])
