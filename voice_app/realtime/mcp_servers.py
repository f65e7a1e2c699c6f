"""The remote MCP servers the operator lets the app use, read from the environment at start,
and the session `tools` entries for the ones a user turned on (`type: "mcp"`, as
`openai.types.realtime.realtime_tools_config_union_param.Mcp` has them). Pure.

The operator writes them (config.py reads them) as JSON, in APP_MCP_SERVERS or in the file APP_MCP_SERVERS_FILE
names (JSON, or TOML with a `[[servers]]` table per server). A browser only ever names a
server by its label: the URL and the headers (tokens) stay on the server.
"""

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
APPROVALS = ("always", "never")
FILTER_KEYS = {"read_only", "tool_names"}


class McpConfigError(ValueError):
    """The operator's MCP configuration is wrong; the message says where and how to fix it."""


@dataclass(frozen=True)
class McpServer:
    label: str
    url: str
    headers: dict = field(default_factory=dict, repr=False)  # tokens: never logged, never sent to a page
    allowed_tools: list | dict | None = None
    require_approval: str | dict = "always"  # the API's own default: ask before each call
    description: str = ""
    gpt_live: bool = False  # the operator lets GPT-Live use it: its page can read the server's address

    def tool(self) -> dict:
        """The session's `tools` entry for this server."""
        tool = {
            "type": "mcp",
            "server_label": self.label,
            "server_url": self.url,
            "headers": dict(self.headers),
            "allowed_tools": self.allowed_tools,
            "require_approval": self.require_approval,
        }
        return {**tool, "server_description": self.description} if self.description else tool

    @property
    def kept_from_gpt_live(self) -> str:
        """Why a GPT-Live session may not use this server ("": it may). GPT-Live shows the page its
        session, MCP tools included, leaving out only a tool's `authorization` (a bearer token): no
        rule can tell a secret in an address's path, so the operator says which servers may go."""
        if not self.gpt_live:
            return 'the operator has not allowed it there ("gpt_live": true), as its page can read the address'
        if any(not (name.lower() == "authorization" and value.startswith("Bearer ")) for name, value in self.headers.items()):
            return "its headers would reach the browser"
        address = urlsplit(self.url)
        if address.username or address.password or address.query:
            return "its address holds what would reach the browser"
        return ""


def _tool_filter(value, where: str) -> dict:
    if not isinstance(value, dict) or not set(value) <= FILTER_KEYS:
        raise McpConfigError(f"{where} must be an object with only {' and '.join(sorted(FILTER_KEYS))}.")
    if "read_only" in value and not isinstance(value["read_only"], bool):
        raise McpConfigError(f"{where}.read_only must be true or false.")
    if "tool_names" in value and not _names(value["tool_names"]):
        raise McpConfigError(f"{where}.tool_names must be a list of tool names.")
    return value


def _names(value) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) and name for name in value)


def _approval(value, where: str) -> str | dict:
    if value in APPROVALS:
        return value
    if isinstance(value, dict) and value and set(value) <= set(APPROVALS):
        return {kind: _tool_filter(rule, f"{where}.{kind}") for kind, rule in value.items()}
    raise McpConfigError(f'{where} must be "always", "never", or an object with "always" and/or "never" filters.')


def _server(raw, index: int) -> McpServer:
    where = f"MCP server {index + 1}"
    if not isinstance(raw, dict):
        raise McpConfigError(f"{where} must be an object with label and url.")
    unknown = set(raw) - {"label", "url", "headers", "allowed_tools", "require_approval", "description", "gpt_live"}
    if unknown:
        raise McpConfigError(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
    label = raw.get("label")
    if not isinstance(label, str) or not LABEL.match(label):
        raise McpConfigError(f"{where}: label must start with a letter and hold only letters, digits, _ or - (64 at most).")
    where = f"MCP server '{label}'"
    url = raw.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise McpConfigError(f"{where}: url must be an http(s) address.")
    headers = raw.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise McpConfigError(f"{where}: headers must be an object of strings.")
    allowed = raw.get("allowed_tools")
    if allowed is not None and not _names(allowed):
        allowed = _tool_filter(allowed, f"{where}: allowed_tools")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise McpConfigError(f"{where}: description must be text.")
    gpt_live = raw.get("gpt_live", False)
    if not isinstance(gpt_live, bool):
        raise McpConfigError(f"{where}: gpt_live must be true or false.")
    return McpServer(
        label,
        url,
        headers,
        allowed,
        _approval(raw.get("require_approval", "always"), f"{where}: require_approval"),
        description,
        gpt_live,
    )


def parse_servers(data) -> tuple[McpServer, ...]:
    """The servers of a parsed configuration: a list, or `{"servers": [...]}` (TOML's shape)."""
    servers = data.get("servers") if isinstance(data, dict) else data
    if not isinstance(servers, list):
        raise McpConfigError('The MCP configuration must be a list of servers (or {"servers": [...]}).')
    parsed = tuple(_server(raw, index) for index, raw in enumerate(servers))
    labels = [server.label for server in parsed]
    if len(set(labels)) != len(labels):
        raise McpConfigError("Each MCP server needs a label of its own: two share one.")
    return parsed


def configured(text: str, path: str) -> tuple[McpServer, ...]:
    """APP_MCP_SERVERS (JSON `text`) or APP_MCP_SERVERS_FILE (a .json or .toml file at `path`); none: no servers."""
    text, path = text.strip(), path.strip()
    if text and path:
        raise McpConfigError("Set APP_MCP_SERVERS or APP_MCP_SERVERS_FILE, not both.")
    if not (text or path):
        return ()
    try:
        content = Path(path).read_text() if path else text
        data = tomllib.loads(content) if path.endswith(".toml") else json.loads(content)
    except OSError as error:
        raise McpConfigError(f"APP_MCP_SERVERS_FILE cannot be read ({error.strerror}): {path}") from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        source = "APP_MCP_SERVERS_FILE" if path else "APP_MCP_SERVERS"
        raise McpConfigError(f"{source} is not valid {'TOML' if path.endswith('.toml') else 'JSON'}: {error}") from None
    return parse_servers(data)


def tools_for(servers: tuple[McpServer, ...], enabled: list[str] | tuple[str, ...], live: bool = False) -> list[dict]:
    """The `tools` entries of the servers a user turned on; a label no longer configured is skipped,
    and for GPT-Live, a server whose secrets would reach the browser."""
    return [server.tool() for server in servers if server.label in enabled and not (live and server.kept_from_gpt_live)]


def kept_from_gpt_live(servers: tuple[McpServer, ...], enabled: list[str] | tuple[str, ...]) -> str:
    """What the page says of the servers a user turned on that GPT-Live may not use ("": none)."""
    return " ".join(
        f"The MCP server '{server.label}' is not used with GPT-Live: {server.kept_from_gpt_live}."
        for server in servers
        if server.label in enabled and server.kept_from_gpt_live
    )
