"""The building blocks of the session schema: strict models and tagged unions.

pydantic names a union's member in its error paths; the API never does, so every tag is kept
in `UNION_TAGS` for `errors.from_validation` to leave out.
"""

from collections.abc import Callable
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

OBJECT = "object"  # the tag of a union's only object member
VALUE = "value"  # the tag of a union's member that is not an object (a string, number or list)
UNION_TAGS: set[str] = {OBJECT, VALUE}
STRICT = ConfigDict(extra="forbid", strict=True)


class Strict(BaseModel):
    model_config = STRICT


def one_of(members: dict[str, Any], choose: Callable[[Any], str | None]) -> Any:
    """A union whose member is the one `choose(value)` names (None: a `type` is missing)."""
    UNION_TAGS.update(members)
    tagged = tuple(Annotated[member, Tag(tag)] for tag, member in members.items())
    return Annotated[Union[tagged], Discriminator(choose)]  # noqa: UP007 (a union of members known at run time)


def _is_object(value: Any) -> bool:
    return isinstance(value, (dict, BaseModel))


def by_type(default: str | None = None) -> Callable[[Any], str | None]:
    """Objects by their `type` (`default` when they leave it out); other values by VALUE."""

    def choose(value: Any) -> str | None:
        if not _is_object(value):
            return VALUE
        kind = value.get("type", default) if isinstance(value, dict) else value.type
        return None if kind is None else str(kind)

    return choose


def object_or_value(value: Any) -> str:
    return OBJECT if _is_object(value) else VALUE


def typed_objects(objects: dict[str, Any], value: Any = None, default: str | None = None) -> Any:
    """Objects told apart by their `type`, and optionally one member for plain values."""
    members = dict(objects) if value is None else {VALUE: value, **objects}
    first = next(iter(objects))
    choose = by_type(default)
    # Without a plain-value member, a string or number meets the first object: "expected an object".
    return one_of(members, choose if value is not None else lambda v: choose(v) if _is_object(v) else first)


def object_or(value: Any, obj: Any) -> Any:
    """A plain value (a string, number or list) or an object."""
    return one_of({VALUE: value, OBJECT: obj}, object_or_value)


def absent() -> Any:
    """The default of a field the API does not take as null: shown as null until it is set."""
    return Field(default=None)  # pydantic leaves defaults unvalidated, so a sent null is still refused
