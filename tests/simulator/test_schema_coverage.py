"""The simulator's session schema covers the `openai` package's, field by field and value by value:
a field or a literal the package adds later, and the simulator lacks, fails here."""

import typing

import typing_extensions
from openai.types.realtime import RealtimeSessionCreateRequestParam
from pydantic import BaseModel

from voice_app.simulator.config import Session
from voice_app.simulator.model_schema import Reasoning


def _is_object(kind) -> bool:
    return typing_extensions.is_typeddict(kind) or (isinstance(kind, type) and issubclass(kind, BaseModel))


def _parts(annotation):
    """The objects (TypedDicts, models) and literal values an annotation allows, at its top level."""
    if _is_object(annotation):
        return [annotation], set()
    if typing.get_origin(annotation) is typing.Literal:
        return [], set(typing.get_args(annotation))
    objects, literals = [], set()
    for arg in typing.get_args(annotation):
        more_objects, more_literals = _parts(arg)
        objects += [kind for kind in more_objects if kind not in objects]
        literals |= more_literals
    return objects, literals


def _fields(kind) -> dict:
    if typing_extensions.is_typeddict(kind):
        return typing_extensions.get_type_hints(kind, include_extras=True)
    return {
        name: field.annotation if not field.metadata else typing.Annotated[(field.annotation, *field.metadata)]
        for name, field in kind.model_fields.items()
    }


def _type_tag(kind):
    _, tags = _parts(_fields(kind).get("type"))
    return next(iter(tags), None)


def _pairs(theirs: list, ours: list, path: str) -> list:
    """Their objects with ours: one each, or matched by their `type`."""
    if len(theirs) == 1 and len(ours) == 1:
        return [(theirs[0], ours[0])]
    by_tag = {_type_tag(kind): kind for kind in ours}
    missing = [_type_tag(kind) for kind in theirs if _type_tag(kind) not in by_tag]
    assert not missing, f"{path}: the simulator lacks the kinds {missing}"
    return [(kind, by_tag[_type_tag(kind)]) for kind in theirs]


def _differences(theirs, ours, path: str) -> list[str]:
    their_fields, our_fields = _fields(theirs), _fields(ours)
    found = [f"{path}.{name}: missing" for name in their_fields.keys() - our_fields.keys()]
    found += [f"{path}.{name}: not in the package" for name in our_fields.keys() - their_fields.keys()]
    for name in their_fields.keys() & our_fields.keys():
        (their_objects, their_values), (our_objects, our_values) = _parts(their_fields[name]), _parts(our_fields[name])
        if their_values != our_values:
            found.append(f"{path}.{name}: values {sorted(map(str, their_values ^ our_values))} differ")
        if their_objects:
            assert our_objects, f"{path}.{name}: the simulator takes no object here"
            for pair in _pairs(their_objects, our_objects, f"{path}.{name}"):
                found += _differences(*pair, f"{path}.{name}")
    return found


def test_every_field_and_value_of_the_packages_session_is_the_simulators():
    assert _differences(RealtimeSessionCreateRequestParam, Session, "session") == []


class NewerReasoning(typing_extensions.TypedDict, total=False):
    """What the package might say of reasoning one day."""

    effort: typing.Literal["minimal", "low", "medium", "high", "xhigh", "max"]
    summary: str


def test_the_coverage_check_sees_a_new_field_and_a_new_value():
    assert sorted(_differences(NewerReasoning, Reasoning, "reasoning")) == [
        "reasoning.effort: values ['max'] differ",
        "reasoning.summary: missing",
    ]
