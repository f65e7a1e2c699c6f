"""Check events against the `openai` package's types, strictly: no field it does not know."""

from openai import BaseModel
from openai.types.realtime import RealtimeServerEvent
from pydantic import TypeAdapter

_server_events = TypeAdapter(RealtimeServerEvent)


def _unknown_fields(model: object, path: str = "") -> list[str]:
    found = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{name}" for name in (model.model_extra or {})]
        for name in type(model).model_fields:
            found += _unknown_fields(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for index, value in enumerate(model):
            found += _unknown_fields(value, f"{path}[{index}]")
    return found


def validate_server_event(event: dict) -> object:
    """Parse one server event as the official client would; fail on any unknown field."""
    model = _server_events.validate_python(event)
    unknown = _unknown_fields(model, event["type"])
    assert not unknown, f"fields the openai types do not declare: {unknown}"
    return model
