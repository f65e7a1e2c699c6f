"""Event type names of the Realtime API data channel, written once, and what the page forwards."""

from enum import StrEnum

from voice_app.realtime import images


class ServerEvent(StrEnum):
    """Events the API sends to the client."""

    ERROR = "error"
    SESSION_CREATED = "session.created"
    SESSION_UPDATED = "session.updated"
    SPEECH_STARTED = "input_audio_buffer.speech_started"
    SPEECH_STOPPED = "input_audio_buffer.speech_stopped"
    INPUT_COMMITTED = "input_audio_buffer.committed"
    INPUT_CLEARED = "input_audio_buffer.cleared"
    IDLE_TIMEOUT = "input_audio_buffer.timeout_triggered"  # an idle nudge: the model speaks up
    ITEM_ADDED = "conversation.item.added"
    ITEM_DONE = "conversation.item.done"
    TRANSCRIPTION_DELTA = "conversation.item.input_audio_transcription.delta"
    TRANSCRIPTION_COMPLETED = "conversation.item.input_audio_transcription.completed"
    TRANSCRIPTION_FAILED = "conversation.item.input_audio_transcription.failed"
    RESPONSE_CREATED = "response.created"
    RESPONSE_DONE = "response.done"
    OUTPUT_ITEM_ADDED = "response.output_item.added"
    OUTPUT_ITEM_DONE = "response.output_item.done"
    CONTENT_PART_ADDED = "response.content_part.added"
    CONTENT_PART_DONE = "response.content_part.done"
    AUDIO_TRANSCRIPT_DELTA = "response.output_audio_transcript.delta"
    AUDIO_TRANSCRIPT_DONE = "response.output_audio_transcript.done"
    AUDIO_DONE = "response.output_audio.done"
    TEXT_DELTA = "response.output_text.delta"
    TEXT_DONE = "response.output_text.done"
    FUNCTION_CALL_ARGUMENTS_DELTA = "response.function_call_arguments.delta"
    FUNCTION_CALL_ARGUMENTS_DONE = "response.function_call_arguments.done"
    OUTPUT_AUDIO_STARTED = "output_audio_buffer.started"
    OUTPUT_AUDIO_STOPPED = "output_audio_buffer.stopped"
    OUTPUT_AUDIO_CLEARED = "output_audio_buffer.cleared"
    ITEM_TRUNCATED = "conversation.item.truncated"
    ITEM_RETRIEVED = "conversation.item.retrieved"
    RATE_LIMITS_UPDATED = "rate_limits.updated"
    MCP_LIST_IN_PROGRESS = "mcp_list_tools.in_progress"
    MCP_LIST_COMPLETED = "mcp_list_tools.completed"
    MCP_LIST_FAILED = "mcp_list_tools.failed"
    MCP_ARGUMENTS_DELTA = "response.mcp_call_arguments.delta"
    MCP_ARGUMENTS_DONE = "response.mcp_call_arguments.done"
    MCP_CALL_IN_PROGRESS = "response.mcp_call.in_progress"
    MCP_CALL_COMPLETED = "response.mcp_call.completed"
    MCP_CALL_FAILED = "response.mcp_call.failed"


class ClientEvent(StrEnum):
    """Events the client sends to the API."""

    SESSION_UPDATE = "session.update"
    ITEM_CREATE = "conversation.item.create"
    RESPONSE_CREATE = "response.create"
    RESPONSE_CANCEL = "response.cancel"
    INPUT_COMMIT = "input_audio_buffer.commit"
    INPUT_CLEAR = "input_audio_buffer.clear"
    OUTPUT_AUDIO_CLEAR = "output_audio_buffer.clear"
    ITEM_TRUNCATE = "conversation.item.truncate"
    ITEM_RETRIEVE = "conversation.item.retrieve"


# What the page sends on to Python (assets/realtime/ receives this list): what the transcript,
# the figures, turn-taking and the status need. Audio deltas and the like stay in the browser.
FORWARDED = (
    ServerEvent.ERROR,
    ServerEvent.SESSION_CREATED,
    ServerEvent.SESSION_UPDATED,
    ServerEvent.SPEECH_STARTED,
    ServerEvent.SPEECH_STOPPED,
    ServerEvent.INPUT_COMMITTED,
    ServerEvent.IDLE_TIMEOUT,
    ServerEvent.ITEM_ADDED,
    ServerEvent.ITEM_DONE,
    ServerEvent.TRANSCRIPTION_DELTA,
    ServerEvent.TRANSCRIPTION_COMPLETED,
    ServerEvent.TRANSCRIPTION_FAILED,
    ServerEvent.RESPONSE_CREATED,
    ServerEvent.AUDIO_TRANSCRIPT_DELTA,
    ServerEvent.AUDIO_TRANSCRIPT_DONE,
    ServerEvent.TEXT_DELTA,
    ServerEvent.TEXT_DONE,
    ServerEvent.FUNCTION_CALL_ARGUMENTS_DONE,
    ServerEvent.RESPONSE_DONE,
    ServerEvent.OUTPUT_AUDIO_STARTED,
    ServerEvent.OUTPUT_AUDIO_STOPPED,
    ServerEvent.OUTPUT_AUDIO_CLEARED,
    ServerEvent.ITEM_TRUNCATED,
    ServerEvent.RATE_LIMITS_UPDATED,
    ServerEvent.MCP_LIST_FAILED,  # the list's item ends like an empty list: this says it failed
)
# Text deltas the page merges when adjacent and of one item: fewer, larger updates for Python.
MERGED_DELTAS = (ServerEvent.TRANSCRIPTION_DELTA, ServerEvent.AUDIO_TRANSCRIPT_DELTA, ServerEvent.TEXT_DELTA)
# Text as it streams: the bulk of a call's events, which change only the words on screen.
STREAMING = frozenset(MERGED_DELTAS)
# The page sends Python at most one batch per frame's time, and one at a time: the next waits for
# Python's word that it handled the last, or this long when no word comes (a lost update).
BATCH_MS = 16
UNANSWERED_MS = 1000
# The page drops larger data-channel messages unread: its memory stays bounded.
MAX_EVENT_CHARS = images.MAX_IMAGE_CHARS + 32 * 1024  # the echo of an image the user showed, with room
# Event log entries kept, in the page and in the state.
LOG_KEPT = 200
