"""The GPT-Live session a Connect asks for (`MediaSessionConfigParam`), built once. Pure.

All of it is fixed at creation: the model, the voice, the instructions and the conversation so
far (`input`, text only). Tools are the app's functions and the MCP servers the user turned on,
handed to a Responses model by delegation; the server runs each function call on its own
connection (sideband) and answers it there; the Responses model calls the MCP servers itself.
"""

from voice_app.live import catalog
from voice_app.live.events import ServerEvent
from voice_app.realtime.memory import Memory

DELEGATE_INSTRUCTIONS = (
    "You carry out the tasks a voice assistant hands you, with the tools you have. "
    "Answer in one or two short sentences it can say aloud."
)


def page_permissions() -> dict:
    """What the page's data channel may send and hear (see catalog.PAGE_*)."""
    heard = [{"type": kind.value} for kind in catalog.PAGE_SERVER_EVENTS]
    heard += [{"type": ServerEvent.RESPONSE.value, "response_event": kind.value} for kind in catalog.PAGE_RESPONSE_EVENTS]
    sent = [kind.value for kind in catalog.PAGE_CLIENT_EVENTS]
    return {"data_channel": {"allowed_client_events": sent, "allowed_server_events": heard}}


MCP_KEYS = ("type", "server_label", "server_url", "allowed_tools", "require_approval", "server_description")


def mcp_tool(tool: dict) -> dict:
    """An MCP server's session tool as the delegation takes it (`ToolMcp`). Its bearer token goes as
    `authorization`, which the API leaves out of the session it shows (`session.started` reaches
    the page); a server with any other header is never given to GPT-Live (McpServer.kept_from_gpt_live)."""
    bearer = [
        value
        for name, value in (tool.get("headers") or {}).items()
        if name.lower() == "authorization" and value.startswith("Bearer ")
    ]
    kept = {name: tool[name] for name in MCP_KEYS if tool.get(name) is not None}
    return {**kept, **({"authorization": bearer[0].removeprefix("Bearer ")} if bearer else {})}


def delegation(tools: list[dict]) -> dict:
    """The app's function tools and MCP servers, as the delegated Responses model takes them.
    Always to a Responses model, tools or none: null (or nothing) would hand tasks to the app
    itself, as `session.delegation.created` events this app does not answer."""
    taken = [
        {key: tool[key] for key in ("type", "name", "description", "parameters") if key in tool}
        if tool.get("type") == "function"
        else mcp_tool(tool)
        for tool in tools
        if tool.get("type") in ("function", "mcp")
    ]
    return {
        "type": "responses",
        "responses": {"model": catalog.DELEGATE_MODEL, "instructions": DELEGATE_INSTRUCTIONS, "tools": taken},
    }


def history(memory: Memory) -> list[dict]:
    """The conversation so far as startup `input`: one text part per message, no ids (a new
    session's timeline starts again)."""
    items = []
    for event in memory.events:  # at most MAX_INPUT_ITEMS: remembered(..., max_items) keeps to it
        item = event["item"]
        text = item["content"][0]["text"]
        if item["role"] == "assistant":
            items.append({"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]})
        else:  # a tool's line goes as the developer's note it is
            role = "user" if item["role"] == "user" else "developer"
            items.append({"type": "message", "role": role, "content": [{"type": "input_text", "text": text}]})
    return items


def standby(seconds: int) -> dict:
    """After this much silence, inference pauses (billed at the standby rate) until speech wakes it."""
    return {"idle_timeout_s": seconds, "wake_policy": {"type": "speech"}} if seconds else {}


def config(
    model: str, voice: str, instructions: str, tools: list[dict], memory: Memory, safety_identifier: str, standby_s: int = 0
) -> dict:
    return {
        **standby(standby_s),
        "model": model,
        "instructions": instructions,
        "audio": {"output": {"voice": voice}},
        "input": history(memory),
        "delegation": delegation(tools),
        "client": page_permissions(),
        "safety_identifier": safety_identifier,
    }
