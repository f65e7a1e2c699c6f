"""Errors shaped as the OpenAI API shapes them, for REST bodies and `error` events."""

from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from voice_app.simulator.schema_kit import OBJECT, UNION_TAGS, VALUE


@dataclass
class ApiError(Exception):
    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.type, "code": self.code, "param": self.param}}


def broken_rule(code: str, field: str, message: str) -> PydanticCustomError:
    """A rule the types cannot state, raised by a model validator about its `field`.

    `{param}` in `message` becomes the field's full path when `from_validation` words it.
    """
    return PydanticCustomError(code, "{message}", {"field": field, "message": message})


# What the API calls a JSON value's type in "expected a string, but got an integer instead".
_EXPECTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a decimal",
    "bool_type": "a boolean",
    "model_type": "an object",
    "dict_type": "an object",
    "list_type": "an array",
}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    for python, name in ((bool, "a boolean"), (int, "an integer"), (float, "a decimal"), (str, "a string"), (list, "an array")):
        if isinstance(value, python):
            return name
    return "an object"


def _path(loc: tuple, prefix: str) -> str:
    path, after_tag = prefix, False
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in UNION_TAGS and not after_tag:  # right after a tag, it is a field (retention_ratio)
            after_tag = True
            continue
        else:
            path = f"{path}.{part}" if path else str(part)
        after_tag = False
    return path


def _either(quoted: list[str]) -> str:
    return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)


def _bound(param: str, given: object, side: str, sign: str, bound: object) -> ApiError:
    number = "decimal" if isinstance(given, float) or isinstance(bound, float) else "integer"
    above = side == "above"
    return ApiError(
        400,
        f"Invalid '{param}': {number} {side} {'maximum' if above else 'minimum'} value. "
        f"Expected a value {sign} {bound}, but got {given} instead.",
        code=f"{number}_{side}_{'max' if above else 'min'}_value",
        param=param,
    )


def from_validation(error: ValidationError, prefix: str = "") -> ApiError:
    """The first problem of a pydantic error, worded the way the real API words it."""
    first = error.errors()[0]
    param = _path(first["loc"], prefix)
    kind, given, ctx = first["type"], first.get("input"), first.get("ctx") or {}
    if "field" in ctx:  # a broken_rule
        param = f"{param}.{ctx['field']}" if param else ctx["field"]
        return ApiError(400, ctx["message"].replace("{param}", param), code=kind, param=param)
    if kind == "extra_forbidden":
        return ApiError(400, f"Unknown parameter: '{param}'.", code="unknown_parameter", param=param)
    if kind in ("missing", "union_tag_not_found"):
        param += ".type" if kind == "union_tag_not_found" else ""
        return ApiError(400, f"Missing required parameter: '{param}'.", code="missing_required_parameter", param=param)
    if kind in ("literal_error", "enum", "union_tag_invalid"):
        if kind == "union_tag_invalid":
            param, given = f"{param}.type", ctx["tag"]
            tags = [tag.strip() for tag in ctx["expected_tags"].split(",")]
            expected = _either([tag for tag in tags if tag.strip("'") not in (OBJECT, VALUE)])
        else:
            expected = ctx.get("expected", "")
        return ApiError(400, f"Invalid value: '{given}'. Supported values are: {expected}.", code="invalid_value", param=param)
    if kind in ("greater_than_equal", "greater_than"):
        return _bound(param, given, "below", ">=" if "ge" in ctx else ">", ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _bound(param, given, "above", "<=" if "le" in ctx else "<", ctx.get("le", ctx.get("lt")))
    if kind == "string_too_long":
        return ApiError(
            400,
            f"Invalid '{param}': string too long. Expected a string with maximum length "
            f"{ctx['max_length']}, but got a string with length {len(given)} instead.",
            code="string_above_max_length",
            param=param,
        )
    if kind == "string_too_short":
        return ApiError(
            400,
            f"Invalid '{param}': empty string. Expected a string with minimum length "
            f"{ctx['min_length']}, but got an empty string instead.",
            code="empty_string",
            param=param,
        )
    if kind in _EXPECTED:
        return ApiError(
            400,
            f"Invalid type for '{param}': expected {_EXPECTED[kind]}, but got {_kind(given)} instead.",
            code="invalid_type",
            param=param,
        )
    return ApiError(400, f"Invalid '{param}': {first['msg']}.", code="invalid_type", param=param)


def bad_json(param: str | None = None) -> ApiError:
    return ApiError(400, "We could not parse the JSON body of your request.", code="invalid_json", param=param)
