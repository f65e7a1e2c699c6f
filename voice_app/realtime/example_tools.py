"""Three example tools, enabled by the "Example tools" setting. Adding one is one function.

All are sync, so each runs in a tool process (the default), killed if it overstays its timeout;
the calculator is also bounded itself (calculator.py).
"""

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

from voice_app.realtime import calculator
from voice_app.realtime.tools import ToolContext, ToolRegistry

example_tools = ToolRegistry()


@example_tools.register
def current_time(timezone: Annotated[str, Field(description="An IANA time zone, e.g. Europe/Paris")] = "UTC") -> str:
    """The current date and time in a time zone."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{timezone}': use an IANA name such as Europe/Paris") from None
    return datetime.now(zone).strftime("%A %d %B %Y, %H:%M %Z")


@example_tools.register
def calculate(expression: Annotated[str, Field(description="Arithmetic, e.g. (2 + 3) * 4 / 7", max_length=200)]) -> str:
    """Evaluate an arithmetic expression exactly, without running any code."""
    return calculator.evaluate(expression)


@example_tools.register
def remember(note: Annotated[str, Field(description="What to remember", max_length=500)], context: ToolContext) -> str:
    """Write a note on this conversation's note pad."""
    context.notes[str(len(context.notes) + 1)] = note
    return f"Noted ({len(context.notes)} on the pad)."


@example_tools.register
def recall(context: ToolContext) -> str:
    """Read back every note on this conversation's note pad."""
    if not context.notes:
        return "The note pad is empty."
    return "; ".join(f"{key}. {note}" for key, note in context.notes.items())
