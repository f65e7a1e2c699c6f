"""Tools as typed Python functions: schemas, validation, timeouts, failures, parallel calls."""

import asyncio
import json
import time
from typing import Annotated, Literal

import pytest
from pydantic import Field

from voice_app.realtime.example_tools import example_tools
from voice_app.realtime.tools import ToolContext, ToolRegistry


@pytest.fixture
def tools():
    tools = ToolRegistry()

    @tools.register(isolated=False)  # defined in here, so a tool process could not find it
    def weather(city: Annotated[str, Field(description="A city name")], unit: Literal["C", "F"] = "C", days: int = 1) -> dict:
        """Tomorrow's weather.

        Longer text that the model does not need."""
        return {"city": city, "unit": unit, "days": days}

    @tools.register(name="sleepy", timeout_s=0.2)
    async def slow(seconds: float) -> str:
        """Sleeps."""
        await asyncio.sleep(seconds)
        return "awake"

    @tools.register(isolated=False)
    def broken() -> str:
        """Always fails."""
        raise RuntimeError("the disk is on fire")

    @tools.register(isolated=False)
    def blocking(seconds: float) -> str:
        """Blocks a thread, not the event loop."""
        time.sleep(seconds)
        return "done"

    return tools


def test_schema_comes_from_the_signature_and_docstring(tools):
    weather = {tool["name"]: tool for tool in tools.schemas()}["weather"]
    assert weather["type"] == "function" and weather["description"] == "Tomorrow's weather."
    params = weather["parameters"]
    assert params["required"] == ["city"]
    assert params["properties"]["city"] == {"type": "string", "description": "A city name"}
    assert params["properties"]["unit"] == {"enum": ["C", "F"], "type": "string", "default": "C"}
    assert params["properties"]["days"] == {"type": "integer", "default": 1}
    assert params["additionalProperties"] is False


def test_context_parameters_are_not_in_the_schema():
    schemas = {tool["name"]: tool for tool in example_tools.schemas()}
    assert set(schemas) == {"current_time", "calculate", "remember", "recall"}
    assert "context" not in schemas["remember"]["parameters"]["properties"]
    assert schemas["recall"]["parameters"]["properties"] == {}


def test_a_function_without_annotations_is_refused():
    with pytest.raises(TypeError, match="needs a type annotation"):
        ToolRegistry().register(lambda x: x)


async def test_valid_arguments_run_the_tool_and_return_json(tools):
    result = await tools.call("weather", json.dumps({"city": "Oslo", "days": 3}))
    assert not result.failed and json.loads(result.output) == {"city": "Oslo", "unit": "C", "days": 3}


@pytest.mark.parametrize(
    "arguments, words",
    [
        ('{"unit": "C"}', "city: Field required"),
        ('{"city": "Oslo", "unit": "K"}', "unit: Input should be 'C' or 'F'"),
        ('{"city": "Oslo", "extra": 1}', "extra: Extra inputs are not permitted"),
        ("{not json", "Invalid JSON"),
    ],
)
async def test_bad_arguments_become_an_error_the_model_can_read(tools, arguments, words):
    result = await tools.call("weather", arguments)
    assert result.failed and result.output.startswith("Error: invalid arguments for weather") and words in result.output


async def test_timeout_exception_and_unknown_tool_are_reported_not_raised(tools):
    slow = await tools.call("sleepy", '{"seconds": 5}')
    assert slow.failed and "did not finish within 0.2 s" in slow.output and slow.duration_ms < 2000
    broken = await tools.call("broken", "")
    assert broken.failed and "RuntimeError: the disk is on fire" in broken.output
    assert (await tools.call("nope", "{}")).output == "Error: there is no tool named 'nope'."


async def test_parallel_calls_overlap_and_a_blocking_tool_does_not_block_the_loop(tools):
    began = time.monotonic()
    results = await asyncio.gather(
        *(tools.call("blocking", '{"seconds": 0.5}') for _ in range(3)), tools.call("sleepy", '{"seconds": 0.1}')
    )
    assert [r.output for r in results] == ["done", "done", "done", "awake"]
    assert time.monotonic() - began < 1.4  # run one after another they would take 1.6 s at least


@pytest.mark.parametrize(
    "expression, value",
    [("2 + 3 * 4", "14"), ("(2 + 3) * 4 / 8", "2.5"), ("2 ^ 10", "1024"), ("-7 // 2", "-4"), ("10 % 4", "2")],
)
async def test_calculate_does_arithmetic(expression, value):
    assert (await example_tools.call("calculate", json.dumps({"expression": expression}))).output == value


@pytest.mark.parametrize("expression", ["__import__('os').system('true')", "9 ** 9 ** 9", "open('x')", "1/0", "a + 1"])
async def test_calculate_refuses_anything_but_arithmetic(expression):
    result = await example_tools.call("calculate", json.dumps({"expression": expression}))
    assert result.failed and result.output.startswith("Error: calculate failed")


async def test_current_time_knows_time_zones_and_says_so_when_not():
    ok = await example_tools.call("current_time", '{"timezone": "Asia/Tokyo"}')
    assert not ok.failed and "JST" in ok.output
    bad = await example_tools.call("current_time", '{"timezone": "Mars/Olympus"}')
    assert bad.failed and "unknown time zone 'Mars/Olympus'" in bad.output


async def test_note_pad_is_per_conversation():
    mine, yours = ToolContext(), ToolContext()
    await example_tools.call("remember", '{"note": "buy milk"}', mine)
    assert (await example_tools.call("recall", "{}", mine)).output == "1. buy milk"
    assert (await example_tools.call("recall", "{}", yours)).output == "The note pad is empty."
