"""Three example tools, enabled by the "Example tools" setting. Adding one is one function."""

import ast
import operator
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field

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


_OPERATORS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.USub: operator.neg, ast.UAdd: operator.pos,
}
_MAX_EXPONENT = 100  # 10 ** 100 is fine; 9 ** 9 ** 9 would hang the server


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > _MAX_EXPONENT:
            raise ValueError(f"exponent {right} is too large (at most {_MAX_EXPONENT})")
        return _OPERATORS[type(node.op)](left, right)
    raise ValueError("only numbers, + - * / // % ** and parentheses are allowed")


@example_tools.register
def calculate(expression: Annotated[str, Field(description="Arithmetic, e.g. (2 + 3) * 4 / 7", max_length=200)]) -> str:
    """Evaluate an arithmetic expression exactly, without running any code."""
    try:
        tree = ast.parse(expression.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ValueError(f"'{expression}' is not an arithmetic expression") from None
    value = _evaluate(tree.body)
    return str(int(value) if isinstance(value, float) and value.is_integer() else value)


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
