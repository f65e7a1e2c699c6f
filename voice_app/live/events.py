"""GPT-Live's event type names, written once, for the app and the simulator alike.

They are the `openai` package's live types' `type` literals (ServerEvent, ConnectServerEvent,
ClientEvent, ConnectClientEvent), and the Responses stream's (ResponseStreamEvent) for what a
delegation streams inside `response.event`; tests/test_event_names.py checks each against them.
"""

from enum import StrEnum


class ServerEvent(StrEnum):
    """Events a GPT-Live session sends (to the page's data channel and the server's connection)."""

    STARTED = "session.started"
    UPDATED = "session.updated"
    INFO = "info"
    ERROR = "error"
    INPUT_DELTA = "session.input_transcript.delta"
    OUTPUT_DELTA = "session.output_transcript.delta"
    OUTPUT_AUDIO_DELTA = "session.output_audio.delta"
    INPUT_AUDIO_APPEND = "session.input_audio.append"  # the user's audio, echoed to the server's connection
    DELEGATION_CREATED = "session.delegation.created"
    RESPONSE = "response.event"  # a delegated Responses stream event, nested (ResponseEvent)
    USAGE = "session.usage.updated"
    CLOSED = "session.closed"
    PAUSED = "session.paused"
    RESUMED = "session.resumed"


class ClientEvent(StrEnum):
    """Events a client sends to a GPT-Live session."""

    UPDATE = "session.update"
    ITEM_CREATE = "response.item.create"
    RESPONSE_CREATE = "response.create"
    CLOSE = "session.close"


class ResponseEvent(StrEnum):
    """The delegated Responses model's stream events, carried in `response.event`."""

    CREATED = "response.created"
    COMPLETED = "response.completed"
    INCOMPLETE = "response.incomplete"
    FAILED = "response.failed"
    OUTPUT_ITEM_ADDED = "response.output_item.added"
    OUTPUT_ITEM_DONE = "response.output_item.done"
    CONTENT_PART_ADDED = "response.content_part.added"
    CONTENT_PART_DONE = "response.content_part.done"
    TEXT_DELTA = "response.output_text.delta"
    TEXT_DONE = "response.output_text.done"
    FUNCTION_CALL_ARGUMENTS_DELTA = "response.function_call_arguments.delta"
    FUNCTION_CALL_ARGUMENTS_DONE = "response.function_call_arguments.done"
    MCP_LIST_IN_PROGRESS = "response.mcp_list_tools.in_progress"
    MCP_LIST_COMPLETED = "response.mcp_list_tools.completed"
    MCP_LIST_FAILED = "response.mcp_list_tools.failed"
    MCP_ARGUMENTS_DELTA = "response.mcp_call_arguments.delta"
    MCP_ARGUMENTS_DONE = "response.mcp_call_arguments.done"
    MCP_CALL_IN_PROGRESS = "response.mcp_call.in_progress"
    MCP_CALL_COMPLETED = "response.mcp_call.completed"
    MCP_CALL_FAILED = "response.mcp_call.failed"
