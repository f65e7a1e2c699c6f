"""The operator's MCP servers: read and checked at start, and the session tools they become."""

import json

import pytest
from openai.types.realtime.realtime_tools_config_union_param import Mcp

from voice_app.realtime.mcp_servers import McpConfigError, configured, parse_servers, tools_for
from voice_app.realtime.settings import SessionSettings
from voice_app.realtime.settings_store import saved_settings, settings_from_form, settings_to_json

DOCS = {
    "label": "docs",
    "url": "https://mcp.example.com/mcp",
    "headers": {"Authorization": "Bearer secret-token"},
    "allowed_tools": ["search"],
    "require_approval": {"never": {"tool_names": ["search"]}},
}


def test_a_server_becomes_the_session_tool_the_types_describe():
    (server,) = parse_servers([DOCS])
    tool = server.tool()
    assert tool == {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://mcp.example.com/mcp",
        "headers": {"Authorization": "Bearer secret-token"},
        "allowed_tools": ["search"],
        "require_approval": {"never": {"tool_names": ["search"]}},
    }
    assert set(tool) <= set(Mcp.__annotations__)


def test_approval_is_asked_for_unless_the_operator_says_otherwise():
    (server,) = parse_servers([{"label": "docs", "url": "http://127.0.0.1:9/mcp"}])
    assert server.tool()["require_approval"] == "always"


def test_the_token_stays_out_of_the_servers_repr():
    assert "secret-token" not in repr(parse_servers([DOCS]))


def test_only_the_servers_a_user_turned_on_go_into_the_session():
    servers = parse_servers([DOCS, {**DOCS, "label": "files"}])
    assert [t["server_label"] for t in tools_for(servers, ("files", "gone"))] == ["files"]
    assert tools_for(servers, ()) == []


@pytest.mark.parametrize(
    "config, says",
    [
        ({"label": "1bad", "url": "https://x"}, "label must start with a letter"),
        ({"label": "docs", "url": "ftp://x"}, "url must be an http"),
        ({"label": "docs", "url": "https://x", "headers": {"a": 1}}, "headers must be an object of strings"),
        ({"label": "docs", "url": "https://x", "require_approval": "sometimes"}, "require_approval must be"),
        ({"label": "docs", "url": "https://x", "allowed_tools": {"names": []}}, "allowed_tools must be an object"),
        ({"label": "docs", "url": "https://x", "token": "t"}, "unknown fields: token"),
        ({"label": "docs", "url": "https://x", "gpt_live": "yes"}, "gpt_live must be true or false"),
    ],
)
def test_a_mistake_is_named_with_the_server_and_the_fix(config, says):
    with pytest.raises(McpConfigError, match=says):
        parse_servers([config])


def test_two_servers_may_not_share_a_label():
    with pytest.raises(McpConfigError, match="label of its own"):
        parse_servers([DOCS, DOCS])


def test_servers_come_from_json_in_the_environment_or_a_toml_file(tmp_path):
    assert configured("", " ") == ()
    assert configured(json.dumps([DOCS]), "")[0].label == "docs"
    path = tmp_path / "mcp.toml"
    path.write_text(
        '[[servers]]\nlabel = "docs"\nurl = "http://127.0.0.1:9/mcp"\nrequire_approval = "never"\n'
        '[servers.headers]\nAuthorization = "Bearer t"\n'
    )
    (server,) = configured("", str(path))
    assert (server.require_approval, server.headers) == ("never", {"Authorization": "Bearer t"})


def test_unreadable_configuration_says_which_variable():
    with pytest.raises(McpConfigError, match="APP_MCP_SERVERS is not valid JSON"):
        configured("[{", "")
    with pytest.raises(McpConfigError, match="MCP server 'x': url must be"):
        configured('[{"label": "x", "url": "nope"}]', "")
    with pytest.raises(McpConfigError, match="cannot be read"):
        configured("", "/nonexistent/mcp.json")
    with pytest.raises(McpConfigError, match="not both"):
        configured("[]", "/nonexistent/mcp.json")


def test_the_users_choice_of_servers_is_kept_and_read_back():
    chosen = settings_from_form({"mcp_servers": ["docs"]}, SessionSettings())
    assert chosen.mcp_servers == ("docs",)
    assert saved_settings(settings_to_json(chosen))[0].mcp_servers == ("docs",)


def test_a_page_update_can_leave_the_minted_tools_alone():
    assert "tools" not in SessionSettings().session_update(None)["session"]
    assert SessionSettings().session_update([])["session"]["tools"] == []


def test_gpt_live_uses_only_servers_whose_secrets_stay_on_the_server():
    """GPT-Live shows the page its session, MCP tools included, leaving out only `authorization`."""
    from voice_app.realtime.mcp_servers import McpServer, kept_from_gpt_live, tools_for

    allowed = {"gpt_live": True}
    servers = (
        McpServer("bearer", "https://mcp.example/a", {"Authorization": "Bearer t0ken"}, **allowed),
        McpServer("keyed", "https://mcp.example/b", {"X-Api-Key": "k3y"}, **allowed),
        McpServer("query", "https://mcp.example/c?key=k3y", **allowed),
        McpServer("userinfo", "https://me:pw@mcp.example/d", **allowed),
        McpServer("path", "https://mcp.example/s/k3y/mcp"),
    )  # not allowed there: no rule finds a secret in a path
    labels = [server.label for server in servers]
    assert [tool["server_label"] for tool in tools_for(servers, labels)] == labels  # the Realtime API's stay on the server
    assert [tool["server_label"] for tool in tools_for(servers, labels, live=True)] == ["bearer"]
    said = kept_from_gpt_live(servers, labels)
    assert "'keyed' is not used with GPT-Live: its headers" in said and "'query'" in said and "'userinfo'" in said
    assert "'path' is not used with GPT-Live: the operator has not allowed it" in said
    assert "bearer" not in said and "k3y" not in said
    assert kept_from_gpt_live(servers, ["bearer"]) == ""
