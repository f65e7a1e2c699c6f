"""The session's tools and tool choice, as `RealtimeToolsConfigParam` and
`RealtimeToolChoiceConfigParam` have them: functions, and MCP servers."""

from typing import Any, Literal

from pydantic import Field, model_validator

from voice_app.simulator.errors import broken_rule
from voice_app.simulator.schema_kit import Strict, absent, object_or, typed_objects

MCP_SERVER_FIELDS = ("server_url", "connector_id", "tunnel_id")  # one of them names the server
CONNECTORS = (
    "connector_dropbox",
    "connector_gmail",
    "connector_googlecalendar",
    "connector_googledrive",
    "connector_microsoftteams",
    "connector_outlookcalendar",
    "connector_outlookemail",
    "connector_sharepoint",
)


class FunctionTool(Strict):
    type: Literal["function"] = "function"
    name: str = Field(min_length=1, max_length=64)
    description: str = absent()
    parameters: dict[str, Any] = absent()


class McpToolFilter(Strict):
    read_only: bool = absent()
    tool_names: list[str] = absent()


class McpApprovalFilter(Strict):
    always: McpToolFilter = absent()
    never: McpToolFilter = absent()


AllowedTools = object_or(list[str], McpToolFilter)
RequireApproval = object_or(Literal["always", "never"], McpApprovalFilter)


class McpTool(Strict):
    type: Literal["mcp"]
    server_label: str
    server_url: str = absent()
    connector_id: Literal[CONNECTORS] = absent()
    tunnel_id: str = absent()
    server_description: str = absent()
    authorization: str = absent()
    headers: dict[str, str] | None = None
    allowed_tools: AllowedTools | None = None
    allowed_callers: list[Literal["direct", "programmatic"]] | None = None
    require_approval: RequireApproval | None = None
    defer_loading: bool = absent()

    @model_validator(mode="after")
    def _names_one_server(self):
        named = [field for field in MCP_SERVER_FIELDS if getattr(self, field) is not None]
        if len(named) != 1:
            raise broken_rule(
                "missing_required_parameter" if not named else "invalid_value",
                MCP_SERVER_FIELDS[0],
                "One of 'server_url', 'connector_id', or 'tunnel_id' must be provided.",
            )
        return self


Tool = typed_objects({"function": FunctionTool, "mcp": McpTool}, default="function")


class ToolChoiceFunction(Strict):
    type: Literal["function"]
    name: str


class ToolChoiceMcp(Strict):
    type: Literal["mcp"]
    server_label: str
    name: str | None = None


ToolChoice = typed_objects({"function": ToolChoiceFunction, "mcp": ToolChoiceMcp}, value=Literal["none", "auto", "required"])
