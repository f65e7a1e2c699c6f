"""Reading the API's MCP items (`openai.types.realtime`: RealtimeMcpListTools,
RealtimeMcpToolCall, RealtimeMcpApprovalRequest) as the user reads them. Pure."""

MCP_SHOWN = ("mcp_list_tools", "mcp_call", "mcp_approval_request")  # each a tool entry
ASKS = "asks for your approval"


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _call(item: dict) -> str:
    return f"{_text(item.get('server_label')) or 'mcp'}.{_text(item.get('name')) or 'tool'}({_text(item.get('arguments'))})"


def mcp_words(item: dict) -> str:
    kind = item.get("type")
    if kind == "mcp_list_tools":
        tools = item.get("tools") if isinstance(item.get("tools"), list) else []
        names = [_text(tool.get("name")) for tool in tools if isinstance(tool, dict)]
        return f"{_text(item.get('server_label'))} tools: {', '.join(names) or 'none'}"
    if kind == "mcp_approval_request":
        return f"{_call(item)} · {ASKS}"
    error = item.get("error") if isinstance(item.get("error"), dict) else None
    if error:
        return f"{_call(item)} → error: {_text(error.get('message')) or 'the call failed'}"
    output = _text(item.get("output"))
    return f"{_call(item)} → {output}" if output else _call(item)


def mcp_failed(item: dict) -> bool:
    return item.get("type") == "mcp_call" and isinstance(item.get("error"), dict)


def answered(text: str, approve: bool) -> str:
    """An approval request's words once the user has answered it."""
    return text.replace(ASKS, "approved" if approve else "declined")
