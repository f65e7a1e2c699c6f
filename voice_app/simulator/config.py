"""The session configuration the simulator accepts, validated as the GA API validates it.

The whole of `RealtimeSessionCreateRequestParam`: unknown fields are rejected, known fields get
the API's defaults, a retired model is not found, and every rejection becomes an `ApiError`
worded like the real one. Audio, tools and the model's settings have their own modules.
"""

import secrets
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from voice_app.realtime import catalog
from voice_app.simulator.audio_schema import UNSUPPORTED, Audio
from voice_app.simulator.errors import ApiError, broken_rule, from_validation
from voice_app.simulator.model_schema import Prompt, Reasoning, Tracing, Truncation
from voice_app.simulator.schema_kit import VALUE, Strict, absent, one_of
from voice_app.simulator.tools_schema import Tool, ToolChoice

DEFAULT_INSTRUCTIONS = "You are a helpful, concise voice assistant."
DEPRECATIONS_URL = "https://platform.openai.com/docs/deprecations"
Clock = Callable[[], date]

MaxOutputTokens = one_of(
    {VALUE: Literal["inf"], "count": Annotated[int, Field(ge=1, le=catalog.MAX_OUTPUT_TOKENS_LIMIT)]},
    lambda value: VALUE if isinstance(value, str) else "count",
)


class Session(Strict):
    type: Literal["realtime"]
    model: Literal[catalog.KNOWN_MODELS] = catalog.DEFAULT_MODEL
    instructions: str = DEFAULT_INSTRUCTIONS
    output_modalities: list[Literal["text", "audio"]] = ["audio"]
    audio: Audio = Audio()
    tools: list[Tool] = []
    tool_choice: ToolChoice = "auto"
    parallel_tool_calls: bool = absent()
    max_output_tokens: MaxOutputTokens = "inf"
    prompt: Prompt | None = None
    reasoning: Reasoning = absent()
    tracing: Tracing | None = None
    truncation: Truncation = "auto"
    include: list[Literal["item.input_audio_transcription.logprobs"]] = absent()
    _today: Clock = PrivateAttr(default=date.today)  # the calendar that retires models

    @model_validator(mode="after")
    def _one_modality(self):
        if len(set(self.output_modalities)) != 1:
            raise broken_rule(
                "invalid_value",
                "output_modalities",
                f"Invalid modalities: {self.output_modalities}. Supported combinations are: ['text'] and ['audio'].",
            )
        return self

    @model_validator(mode="after")
    def _reasoning_only_for_models_that_reason(self):
        if self.reasoning is not None and self.model not in catalog.REASONING_MODELS:
            raise broken_rule("unsupported_parameter", "reasoning", UNSUPPORTED)
        return self

    @model_validator(mode="after")
    def _truncation_within_window(self):
        # "cannot be higher than the model's context window size minus the maximum output tokens"
        limits = getattr(self.truncation, "token_limits", None)
        window = catalog.WINDOWS.get(self.model)
        if (
            limits is not None
            and limits.post_instructions is not None
            and window is not None
            and limits.post_instructions > window.conversation
        ):
            raise broken_rule(
                "integer_above_max_value",
                "truncation.token_limits.post_instructions",
                f"Invalid '{{param}}': integer above maximum value. Expected a value <= {window.conversation} "
                f"for {self.model}, but got {limits.post_instructions} instead.",
            )
        return self

    def event_payload(self) -> dict:
        """The session as `session.created` / `session.updated` carry it. An MCP server's headers
        and token are taken, not shown back (as the Responses API returns them: null)."""
        payload = self.model_dump(mode="json")
        for tool in payload["tools"]:
            if tool["type"] == "mcp":
                tool["headers"] = None
                tool.pop("authorization", None)
        return payload

    def mint_payload(self) -> dict:
        """The session as a mint's response carries it."""
        payload = self.event_payload()
        payload["audio"]["output"]["voice"] = self.voice_name
        return payload

    @property
    def voice_name(self) -> str:
        """The voice as a mint's response and a response's `audio` name it: a custom one by its id."""
        voice = self.audio.output.voice
        return voice["id"] if isinstance(voice, dict) else voice

    @property
    def speaks(self) -> bool:
        return "audio" in self.output_modalities

    @property
    def function_names(self) -> list[str]:
        """The functions the model may call (the app runs them)."""
        return [tool.name for tool in self.tools if tool.type == "function"]

    @property
    def mcp_servers(self) -> list:
        """The MCP servers the simulator reaches itself (by URL: it has no connectors or tunnels)."""
        return [tool for tool in self.tools if tool.type == "mcp" and tool.server_url]

    def mcp_server(self, label: str):
        return next((tool for tool in self.mcp_servers if tool.server_label == label), None)


class ExpiresAfter(Strict):
    anchor: Literal["created_at"] = "created_at"
    seconds: int = Field(catalog.SECRET_SECONDS_DEFAULT, ge=catalog.SECRET_SECONDS_MIN, le=catalog.SECRET_SECONDS_MAX)


class ClientSecretRequest(Strict):
    expires_after: ExpiresAfter = ExpiresAfter()
    session: Session


def _served(session: Session, today: Clock) -> Session:
    """The session, dated by `today`, if the API still serves its models."""
    transcription = session.audio.input.transcription
    for model in (session.model, transcription.model if transcription else None):
        if model is not None and catalog.shut_down(model, today()):
            raise ApiError(
                404, f"The model `{model}` has been deprecated, learn more here: {DEPRECATIONS_URL}", code="model_not_found"
            )
    session._today = today
    return session


def parse_client_secret_request(body: Any, today: Clock = date.today) -> ClientSecretRequest:
    if not isinstance(body, dict):
        raise ApiError(400, "The body of your request must be a JSON object.", code="invalid_json")
    try:
        asked = ClientSecretRequest.model_validate(body)
    except ValidationError as error:
        raise from_validation(error) from None
    _served(asked.session, today)
    return asked


def parse_session(session: Any, today: Clock = date.today) -> Session:
    """A session sent on its own (the `session` part of a call's form), checked as a mint checks it."""
    try:
        return _served(Session.model_validate(session), today)
    except ValidationError as error:
        raise from_validation(error, prefix="session") from None


def _merge(current: dict, change: dict) -> dict:
    """A partial update: nested objects merge, except a tagged object switching its type."""
    merged = dict(current)
    for key, value in change.items():
        old = merged.get(key)
        same_kind = isinstance(old, dict) and isinstance(value, dict) and value.get("type", old.get("type")) == old.get("type")
        merged[key] = _merge(old, value) if same_kind else value
    return merged


def update_session(current: Session, change: Any, voice_locked: bool) -> Session:
    """Apply `session.update`; the current session stays as it was when this raises."""
    if not isinstance(change, dict):
        raise ApiError(400, "Missing required parameter: 'session'.", code="missing_required_parameter", param="session")
    if "type" not in change:
        raise ApiError(
            400, "Missing required parameter: 'session.type'.", code="missing_required_parameter", param="session.type"
        )
    if "model" in change and change["model"] != current.model:
        raise ApiError(400, "The model of a session cannot be changed.", code="invalid_value", param="session.model")
    # What the client never set is left out, so that defaults apply again after the merge.
    updated = parse_session(_merge(current.model_dump(mode="json", exclude_unset=True), change), current._today)
    if voice_locked and updated.audio.output.voice != current.audio.output.voice:
        raise ApiError(
            400,
            "Cannot update a conversation's voice if assistant audio is present.",
            code="cannot_update_voice",
            param="session.audio.output.voice",
        )
    if current.tracing is not None and updated.tracing != current.tracing:
        raise ApiError(
            400, "Tracing cannot be modified once it is enabled for a session.", code="invalid_value", param="session.tracing"
        )
    return updated


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(16).replace('-', 'A').replace('_', 'b')}"
