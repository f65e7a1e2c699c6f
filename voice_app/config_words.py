"""The configuration in words (config.py): what a setting accepts, what was wrong with a start's
values, and the table of every variable in docs/configuration.md."""

from pathlib import Path

from pydantic import ValidationError
from pydantic.fields import FieldInfo


def accepts(info: FieldInfo) -> str:
    """What a field accepts, in words, from its type and bounds."""
    kind = next(kind for kind in (bool, int, float, Path, str) if kind in _types(info.annotation))
    words = {bool: "1 or 0", int: "a whole number", float: "a number", Path: "a folder", str: "text"}[kind]
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    if low is not None and high is not None:
        return f"{words} from {low:g} to {high:g}"
    return f"{words}, at least {low:g}" if low is not None else words


def _types(annotation) -> tuple:
    return getattr(annotation, "__args__", (annotation,))


def problems(error: ValidationError, fields: dict[str, FieldInfo]) -> str:
    """One line: each variable that is wrong, and what it accepts."""
    lines = []
    for problem in error.errors(include_url=False):
        if not problem["loc"]:  # the MCP configuration: its own message says where
            lines.append(problem["msg"].removeprefix("Value error, "))
            continue
        name = str(problem["loc"][0])
        info = fields[name]
        shown = f"={problem['input']!r}" if info.repr else " (value not shown)"
        wanted = problem["msg"].removeprefix("Value error, ") if problem["type"] == "value_error" else accepts(info)
        lines.append(f"{name.upper()}{shown} is not accepted: it takes {wanted}")
    return "; ".join(lines)


def _default(info: FieldInfo) -> str:
    value = info.default
    if value in (None, "") or value is False:
        return "unset"
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def table(fields: dict[str, FieldInfo]) -> str:
    """docs/configuration.md's table, one row per variable."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in fields.items():
        told = "" if {str, Path} & set(_types(info.annotation)) else f" ({accepts(info)})"  # numbers and switches
        rows.append(f"| `{name.upper()}` | {_default(info)} | {info.description}{told} |")
    return "\n".join(rows)
