"""Items a client may add with `conversation.item.create`, validated as the API does."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError

from voice_app.realtime.images import image_size
from voice_app.simulator.config import Strict, new_id
from voice_app.simulator.errors import ApiError, from_validation

# A client's own item id: the API takes up to 32 characters.
ITEM_ID = Field(None, min_length=1, max_length=32)


class InputText(Strict):
    type: Literal["input_text"]
    text: str


class InputAudio(Strict):
    type: Literal["input_audio"]
    audio: str | None = None  # base64, in the session's input format
    transcript: str | None = None


def _decodable(image_url: str) -> str:
    if image_size(image_url) is None:
        raise ValueError("the image could not be decoded: send PNG or JPEG bytes as a base64 data URI")
    return image_url


class InputImage(Strict):
    type: Literal["input_image"]
    image_url: Annotated[str, Field(pattern=r"^data:image/(png|jpeg);base64,"), AfterValidator(_decodable)]
    detail: Literal["auto", "low", "high"] | None = None


class OutputText(Strict):
    type: Literal["output_text"]
    text: str


class OutputAudio(Strict):
    type: Literal["output_audio"]
    audio: str | None = None
    transcript: str | None = None


Part = Annotated[InputText | InputAudio | InputImage | OutputText | OutputAudio, Field(discriminator="type")]
# What each role's content may hold (the package's *_message_param types).
PARTS_OF = {
    "user": ("input_text", "input_audio", "input_image"),
    "assistant": ("output_text", "output_audio"),
    "system": ("input_text",),
}


class ItemFields(Strict):
    """What every item a client creates may carry besides its own fields."""

    id: str | None = ITEM_ID
    object: Literal["realtime.item"] | None = None
    status: Literal["completed", "incomplete", "in_progress"] | None = None


class Message(ItemFields):
    type: Literal["message"]
    role: Literal["user", "system", "assistant"]
    content: list[Part] = Field(min_length=1)


class FunctionCall(ItemFields):
    type: Literal["function_call"]
    name: str = Field(min_length=1)
    arguments: str
    call_id: str | None = None


class FunctionCallOutput(ItemFields):
    type: Literal["function_call_output"]
    call_id: str = Field(min_length=1)
    output: str


class McpApprovalResponse(Strict):
    type: Literal["mcp_approval_response"]
    id: str | None = ITEM_ID
    approval_request_id: str = Field(min_length=1)
    approve: bool
    reason: str | None = None


ClientItem = Annotated[Message | FunctionCall | FunctionCallOutput | McpApprovalResponse, Field(discriminator="type")]
_items = TypeAdapter(ClientItem)


def parse_item(raw: Any) -> dict:
    """The item as the server echoes it: with an id, object and status filled in."""
    try:
        item = _items.validate_python(raw)
    except ValidationError as error:
        raise from_validation(error, prefix="item") from None
    if isinstance(item, Message):
        allowed = PARTS_OF[item.role]
        if any(part.type not in allowed for part in item.content):
            raise ApiError(
                400,
                f"Invalid value: content of a '{item.role}' message must be one of {', '.join(map(repr, allowed))}.",
                code="invalid_value",
                param="item.content",
            )
    echoed = item.model_dump(mode="json", exclude_none=True)
    echoed["id"] = item.id or new_id("item")
    if not isinstance(item, McpApprovalResponse):  # its type has neither field
        echoed.update(object="realtime.item", status="completed")
    return echoed


def images_in(items) -> list[tuple[tuple[int, int], str | None]]:
    """The size and detail of each image in these items (the API has checked they are PNG or JPEG)."""
    parts = [part for item in items for part in item.get("content", []) if part.get("type") == "input_image"]
    return [(size, part.get("detail")) for part in parts if (size := image_size(part.get("image_url") or ""))]


def text_of(item: dict) -> str:
    """The words of a message item, or the output of a tool result."""
    if item.get("type") == "function_call_output":
        return item.get("output", "")
    parts = item.get("content", [])
    return " ".join(p.get("text") or p.get("transcript") or "" for p in parts).strip()
