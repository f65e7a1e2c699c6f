"""The delegated Responses model's MCP items (`openai.types.responses`: McpListTools,
McpApprovalRequest, McpCall) in the Realtime API's words (RealtimeMcpListTools,
RealtimeMcpApprovalRequest, RealtimeMcpToolCall), so the transcript, the approvals and the record
read them as a Realtime call's. Pure."""

import json

from voice_app.realtime.events import ServerEvent as E
from voice_app.realtime.items import text_or_none
from voice_app.realtime.mcp_items import MCP_SHOWN

# Responses' error types -> the Realtime API's (tool_execution_error carries `content`, not a message)
_ERRORS = {"mcp_protocol_error": "protocol_error", "http_error": "http_error", "mcp_tool_execution_error": "tool_execution_error"}
_KEPT = {
    "mcp_list_tools": ("id", "type", "server_label", "tools"),
    "mcp_approval_request": ("id", "type", "server_label", "name", "arguments"),
    "mcp_call": ("id", "type", "server_label", "name", "arguments", "approval_request_id", "output"),
}


def is_mcp(item: dict) -> bool:
    return item.get("type") in MCP_SHOWN and bool(text_or_none(item.get("id")))


def _said(content) -> str:
    """A tool execution error's content (MCP content parts, most often) as words."""
    if isinstance(content, str):
        return content
    parts = content if isinstance(content, list) else []
    text = "".join(part["text"] for part in parts if isinstance(part, dict) and isinstance(part.get("text"), str))
    return text or json.dumps(content)[:500]


def _error(error) -> dict | None:
    if not isinstance(error, dict) or error.get("type") not in _ERRORS:
        return None
    kind = _ERRORS[error["type"]]
    if kind == "tool_execution_error":
        return {"type": kind, "message": _said(error.get("content"))}
    return {
        "type": kind,
        "code": error.get("code") if isinstance(error.get("code"), int) else 0,
        "message": str(error.get("message") or ""),
    }


def realtime_item(item: dict) -> dict:
    """The item as the Realtime API has it (only the fields its type declares)."""
    kept = {key: item[key] for key in _KEPT[item["type"]] if key in item}
    if item["type"] == "mcp_call":
        kept["error"] = _error(item.get("error"))
    if item["type"] == "mcp_list_tools" and not isinstance(kept.get("tools"), list):
        kept["tools"] = []
    return kept


def done(item: dict) -> list[dict]:
    """An MCP item is done: a list that failed says so first (as `mcp_list_tools.failed` does)."""
    failed = item["type"] == "mcp_list_tools" and item.get("error")
    shown = {"type": E.ITEM_DONE.value, "item": realtime_item(item)}
    return [{"type": E.MCP_LIST_FAILED.value, "item_id": item["id"]}, shown] if failed else [shown]


def answered(request_id: str, approve: bool) -> dict:
    """The user's answer to an approval request, as the Realtime API echoes an added item. GPT-Live
    echoes no item a client adds, so the server's record and the page each fold this in."""
    return {
        "type": E.ITEM_ADDED.value,
        "item": {"type": "mcp_approval_response", "approval_request_id": request_id, "approve": approve},
    }
