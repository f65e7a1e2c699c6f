"""Tools the model can call, written as typed Python functions and run on the backend.

    tools = ToolRegistry()

    @tools.register
    def current_time(timezone: Annotated[str, Field(description="IANA zone")] = "UTC") -> str:
        "The current date and time in a time zone."
        ...

The JSON schema the model sees comes from the signature (pydantic) and the docstring. A
parameter annotated `ToolContext` is filled in by the app (per-conversation data) and is not
part of the schema. Every call has a timeout. Sync functions run in a tool process, killed when
the time is up (tool_processes), unless registered with isolated=False: then in a worker thread,
which a timeout stops waiting for but cannot stop. Async functions run on the event loop.
"""

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from voice_app.realtime import tool_processes

DEFAULT_TIMEOUT_S = 10.0


@dataclass
class ToolContext:
    """What a tool may keep per conversation: a small note pad."""

    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolResult:
    output: str  # what the model reads: the result, or an error it can act on
    failed: bool
    duration_ms: int


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    function: Callable
    arguments: type[BaseModel]
    context_parameter: str | None
    timeout_s: float
    isolated: bool  # run in a tool process

    def schema(self) -> dict:
        parameters = self.arguments.model_json_schema()
        parameters.pop("title", None)
        for prop in parameters.get("properties", {}).values():
            prop.pop("title", None)
        return {"type": "function", "name": self.name, "description": self.description, "parameters": parameters}


def _describe(function: Callable) -> str:
    doc = inspect.getdoc(function) or ""
    return doc.split("\n\n")[0].replace("\n", " ").strip() or function.__name__.replace("_", " ")


def make_tool(function: Callable, name: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S, isolated: bool = True) -> Tool:
    fields: dict[str, Any] = {}
    context_parameter = None
    for parameter in inspect.signature(function).parameters.values():
        if parameter.annotation is ToolContext:
            context_parameter = parameter.name
            continue
        if parameter.annotation is inspect.Parameter.empty:
            raise TypeError(f"Tool {function.__name__}: parameter '{parameter.name}' needs a type annotation.")
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (parameter.annotation, default)
    isolated = isolated and not inspect.iscoroutinefunction(function)
    if isolated and "<locals>" in function.__qualname__:  # a tool process finds it by module and name
        raise TypeError(
            f"Tool {function.__name__}: a function defined inside another cannot run in a tool process: "
            "define it at module level, or register it with isolated=False."
        )
    model = create_model(f"{function.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
    return Tool(name or function.__name__, _describe(function), function, model, context_parameter, timeout_s, isolated)


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "arguments"
    return f"{where}: {first['msg']}"


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}

    def register(
        self,
        function: Callable | None = None,
        *,
        name: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        isolated: bool = True,
    ):
        """Register a function as a tool; usable bare (`@tools.register`) or with options.
        isolated=False runs a sync tool in a worker thread, not a tool process (see the module's notes)."""

        def add(fn: Callable) -> Callable:
            tool = make_tool(fn, name, timeout_s, isolated)
            self._tools[tool.name] = tool
            return fn

        return add(function) if function is not None else add

    def names(self) -> list[str]:
        return list(self._tools)

    def schemas(self) -> list[dict]:
        """The session's `tools`."""
        return [tool.schema() for tool in self._tools.values()]

    async def call(self, name: str, arguments: str, context: ToolContext | None = None) -> ToolResult:
        """Validate, run with a timeout, and report; never raises."""
        began = time.monotonic()

        def result(output: str, failed: bool) -> ToolResult:
            return ToolResult(output, failed, round((time.monotonic() - began) * 1000))

        tool = self._tools.get(name)
        if tool is None:
            return result(f"Error: there is no tool named '{name}'.", True)
        try:
            parsed = tool.arguments.model_validate_json(arguments or "{}")
        except ValidationError as error:
            return result(f"Error: invalid arguments for {name}: {_problem(error)}.", True)
        kwargs = {key: getattr(parsed, key) for key in type(parsed).model_fields}
        if tool.context_parameter:
            kwargs[tool.context_parameter] = context or ToolContext()
        try:
            if inspect.iscoroutinefunction(tool.function):
                value = await asyncio.wait_for(tool.function(**kwargs), tool.timeout_s)
            elif tool.isolated:
                value, kwargs = await tool_processes.run(tool.function, kwargs, tool.timeout_s)
                if context is not None and tool.context_parameter:  # the note pad as the tool left it
                    vars(context).update(vars(kwargs[tool.context_parameter]))
            else:
                value = await asyncio.wait_for(asyncio.to_thread(tool.function, **kwargs), tool.timeout_s)
        except TimeoutError:
            return result(f"Error: {name} did not finish within {tool.timeout_s:g} s.", True)
        except tool_processes.ToolFailed as error:
            return result(f"Error: {name} failed: {error}", True)
        except Exception as error:  # a tool's failure is news for the model, not a crash
            return result(f"Error: {name} failed: {type(error).__name__}: {error}", True)
        return result(value if isinstance(value, str) else json.dumps(value, default=str), False)
