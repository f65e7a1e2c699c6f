"""How the model runs, beyond its instructions: a prompt template, reasoning, truncation of the
context, tracing (`ResponsePromptParam`, `RealtimeReasoningParam`, `RealtimeTruncationParam`,
`RealtimeTracingConfigParam`)."""

from typing import Any, Literal

from pydantic import Field

from voice_app.simulator.schema_kit import Strict, absent, object_or, typed_objects


class CacheBreakpoint(Strict):
    mode: Literal["explicit"]
    ttl: Literal["30m", "12h"] = absent()


class InputText(Strict):
    type: Literal["input_text"]
    text: str
    prompt_cache_breakpoint: CacheBreakpoint = absent()


class InputImage(Strict):
    type: Literal["input_image"]
    detail: Literal["low", "high", "auto", "original"]
    file_id: str | None = None
    image_url: str | None = None
    prompt_cache_breakpoint: CacheBreakpoint = absent()


class InputFile(Strict):
    type: Literal["input_file"]
    detail: Literal["auto", "low", "high"] = absent()
    file_data: str = absent()
    file_id: str | None = None
    file_url: str = absent()
    filename: str = absent()
    prompt_cache_breakpoint: CacheBreakpoint = absent()


PromptVariable = typed_objects({"input_text": InputText, "input_image": InputImage, "input_file": InputFile}, value=str)


class Prompt(Strict):
    id: str
    variables: dict[str, PromptVariable] | None = None
    version: str | None = None


class Reasoning(Strict):
    effort: Literal["minimal", "low", "medium", "high", "xhigh"] = absent()


class TokenLimits(Strict):
    post_instructions: int = absent()


class RetentionRatio(Strict):
    type: Literal["retention_ratio"]
    retention_ratio: float = Field(ge=0.0, le=1.0)
    token_limits: TokenLimits = absent()


Truncation = typed_objects({"retention_ratio": RetentionRatio}, value=Literal["auto", "disabled"])


class TracingConfiguration(Strict):
    group_id: str = absent()
    metadata: Any = None
    workflow_name: str = absent()


Tracing = object_or(Literal["auto"], TracingConfiguration)
