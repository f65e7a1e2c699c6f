"""Items a client may add with `conversation.item.create`, validated as the API does."""

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from voice_app.simulator.config import Strict, new_id
from voice_app.simulator.errors import ApiError, from_validation


class InputText(Strict):
    type: Literal["input_text"]
    text: str


class OutputText(Strict):
    type: Literal["output_text"]
    text: str


class Message(Strict):
    type: Literal["message"]
    role: Literal["user", "system", "assistant"]
    content: list[Annotated[InputText | OutputText, Field(discriminator="type")]] = Field(min_length=1)
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None


class FunctionCallOutput(Strict):
    type: Literal["function_call_output"]
    call_id: str = Field(min_length=1)
    output: str
    id: str | None = None
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None


ClientItem = Annotated[Message | FunctionCallOutput, Field(discriminator="type")]
_items = TypeAdapter(ClientItem)


def parse_item(raw: Any) -> dict:
    """The item as the server echoes it: with an id, object and status filled in."""
    try:
        item = _items.validate_python(raw)
    except ValidationError as error:
        raise from_validation(error, prefix="item") from None
    if isinstance(item, Message):
        expected = "output_text" if item.role == "assistant" else "input_text"
        if any(part.type != expected for part in item.content):
            raise ApiError(
                400,
                f"Invalid value: content of a '{item.role}' message must be '{expected}'.",
                code="invalid_value",
                param="item.content",
            )
    echoed = item.model_dump(mode="json")
    echoed.update(id=item.id or new_id("item"), object="realtime.item", status="completed")
    return echoed


def text_of(item: dict) -> str:
    """The words of a message item, or the output of a tool result."""
    if item.get("type") == "function_call_output":
        return item.get("output", "")
    parts = item.get("content", [])
    return " ".join(p.get("text") or p.get("transcript") or "" for p in parts).strip()
