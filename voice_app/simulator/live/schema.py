"""What `POST /v1/live/sessions` accepts, checked as strictly as the Realtime mode's config.py:
the whole of `openai.types.live.LiveCreateParams`; an unknown field is refused with its path."""

from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from voice_app.live.catalog import MAX_INPUT_ITEMS
from voice_app.live.catalog import MEMORY_TOKENS as INPUT_TOKENS
from voice_app.simulator.errors import broken_rule, from_validation
from voice_app.simulator.events import tokens_of
from voice_app.simulator.live import names
from voice_app.simulator.live.permissions import ClientConfig
from voice_app.simulator.schema_kit import Strict, object_or, one_of, typed_objects
from voice_app.simulator.tools_schema import McpTool  # the delegation's ToolMcp has the Realtime tool's fields

RENDERED_PER_MESSAGE = 3  # the stand-in's role and delimiters around each startup message


class CustomVoice(Strict):
    id: str


class AudioOutput(Strict):
    voice: object_or(Literal[names.VOICES], CustomVoice) = names.DEFAULT_VOICE


class Audio(Strict):
    output: AudioOutput = AudioOutput()


class InputText(Strict):
    text: str
    type: Literal["input_text"] = "input_text"


class OutputText(Strict):
    text: str
    type: Literal["text", "output_text"] = "text"


class _Message(Strict):
    id: str | None = None
    status: Literal["incomplete", "completed"] | None = None
    type: Literal["message"] = "message"

    @model_validator(mode="after")
    def _exactly_one_part(self):
        if len(self.content) != 1:
            raise broken_rule("invalid_value", "content", "Invalid '{param}': supply exactly one text part.")
        return self


class DeveloperMessage(_Message):
    role: Literal["developer"]
    content: list[InputText]


class UserMessage(_Message):
    role: Literal["user"]
    content: list[InputText]


class AssistantMessage(_Message):
    role: Literal["assistant"]
    content: list[OutputText]


def _by_role(value: Any) -> str | None:
    return value.get("role") if isinstance(value, dict) else getattr(value, "role", None)


InitialItem = one_of({"developer": DeveloperMessage, "user": UserMessage, "assistant": AssistantMessage}, _by_role)


class FunctionTool(Strict):
    type: Literal["function"]
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class OtherTool(Strict):
    """A Responses tool the simulator does not run (web search, ...): taken, never called."""

    model_config = {**Strict.model_config, "extra": "allow"}
    type: Literal[names.OTHER_RESPONSES_TOOLS]


Tool = typed_objects({"function": FunctionTool, "mcp": McpTool, **{kind: OtherTool for kind in names.OTHER_RESPONSES_TOOLS}})


class ResponsesConfig(Strict):
    model: str
    instructions: str | None = None
    max_output_tokens: int | None = Field(None, ge=1)
    parallel_tool_calls: bool | None = None
    reasoning: dict[str, Any] | None = None
    service_tier: Literal["auto", "default", "fast_tier_temp_pilot", "flex", "priority", "ultrafast"] | None = None
    text: dict[str, Any] | None = None
    tool_choice: str | dict[str, Any] | None = None
    tools: list[Tool] = []

    @property
    def function_names(self) -> list[str]:
        return [tool.name for tool in self.tools if isinstance(tool, FunctionTool)]

    @property
    def mcp_servers(self) -> list[McpTool]:
        return [tool for tool in self.tools if isinstance(tool, McpTool) and tool.server_url]


class Delegation(Strict):
    """Who handles delegated tasks: the application (`client`) or a Responses backend (`responses`).
    One model for both, so that a type is never a union tag hiding a field's name in error paths."""

    type: Literal["client", "responses"]
    responses: ResponsesConfig | None = None
    acknowledgement_delay_ms: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _responses_iff_type_responses(self):
        if (self.type == "responses") != (self.responses is not None):
            if self.responses is None:
                raise broken_rule("missing_required_parameter", "responses", "Missing required parameter: '{param}'.")
            raise broken_rule("unknown_parameter", "responses", "Unknown parameter: '{param}'.")
        return self


class WakePolicy(Strict):
    type: Literal["speech"]
    vad_threshold: float | None = Field(None, ge=0.0, le=1.0)


class LiveSession(Strict):
    """`MediaSessionConfigParam`: the session as the server starts it."""

    model: Literal[names.MODELS]
    audio: Audio = Audio()
    client: ClientConfig | None = None
    delegation: Delegation | None = None
    idle_timeout_s: int | None = Field(None, ge=1)
    input: list[InitialItem] = []
    instructions: str | None = None
    safety_identifier: str | None = None
    store: bool = False
    triggers: list[dict[str, Any]] | None = None
    wake_policy: WakePolicy | None = None

    @model_validator(mode="after")
    def _input_within_limit(self):
        if len(self.input) > MAX_INPUT_ITEMS:
            raise broken_rule(
                "array_above_max_length",
                "input",
                f"Invalid '{{param}}': array too long. Expected an array "
                f"with maximum length {MAX_INPUT_ITEMS}, but got an array with length {len(self.input)} instead.",
            )
        rendered = sum(tokens_of(item.content[0].text) + RENDERED_PER_MESSAGE for item in self.input)
        if rendered > INPUT_TOKENS:
            raise broken_rule(
                "context_length_exceeded",
                "input",
                f"Invalid '{{param}}': the startup history renders to "
                f"{rendered} tokens, above the limit of {INPUT_TOKENS}. Send fewer or shorter messages.",
            )
        return self

    @property
    def function_names(self) -> list[str]:
        return self.delegation.responses.function_names if self.delegates_to_responses else []

    @property
    def mcp_servers(self) -> list[McpTool]:
        return self.delegation.responses.mcp_servers if self.delegates_to_responses else []

    @property
    def delegates_to_responses(self) -> bool:
        return self.delegation is not None and self.delegation.type == "responses"


class Transport(Strict):
    type: Literal["webrtc"]
    sdp: str


class LiveCreate(Strict):
    session: LiveSession
    transport: Transport


def parse_create(body: object) -> LiveCreate:
    try:
        return LiveCreate.model_validate(body)
    except ValidationError as error:
        raise from_validation(error) from None
