"""Errors shaped as the OpenAI API shapes them, for REST bodies and `error` events."""

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass
class ApiError(Exception):
    status: int
    message: str
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.type, "code": self.code, "param": self.param}}


# pydantic puts a tagged union member's tag in an error's location; the API never shows it.
UNION_TAGS = {"server_vad", "semantic_vad", "function"}


def _path(loc: tuple, prefix: str) -> str:
    parts = [str(p) for p in loc if p not in UNION_TAGS]
    return ".".join([prefix, *parts] if prefix else parts)


def from_validation(error: ValidationError, prefix: str = "") -> ApiError:
    """The first problem of a pydantic error, worded the way the real API words it."""
    first = error.errors()[0]
    param = _path(first["loc"], prefix)
    kind, given, ctx = first["type"], first.get("input"), first.get("ctx") or {}
    if kind == "extra_forbidden":
        return ApiError(400, f"Unknown parameter: '{param}'.", code="unknown_parameter", param=param)
    if kind == "missing":
        return ApiError(400, f"Missing required parameter: '{param}'.", code="missing_required_parameter", param=param)
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return ApiError(
            400, f"Invalid value: '{given}'. Supported values are: {expected}.", code="invalid_value", param=param
        )
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return ApiError(
            400,
            f"Invalid '{param}': value below minimum. Expected a value >= {bound}, but got {given} instead.",
            code="below_min_value",
            param=param,
        )
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return ApiError(
            400,
            f"Invalid '{param}': value above maximum. Expected a value <= {bound}, but got {given} instead.",
            code="above_max_value",
            param=param,
        )
    return ApiError(400, f"Invalid '{param}': {first['msg']}.", code="invalid_type", param=param)
