"""Truncating an answer's audio, as the API does (`conversation.item.truncate` →
`conversation.item.truncated`): the client says how much of an assistant message's voice was
heard, and the server keeps only that, deleting the message's transcript so the model's context
holds nothing the user did not hear. Over WebRTC the server plays the audio itself, so when the
user speaks over an answer (server VAD with `interrupt_response`) it truncates by itself, at the
point its voice had reached, and says so with the same event.

Positions are in samples of all the audio the speaker was given (speaker.py), so how far a
message got is where the speaker is, less where the message began.
"""

from dataclasses import dataclass

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.errors import ApiError
from voice_app.simulator.vad import RATE


@dataclass
class Voice:
    start: int  # where the message's audio begins, in the speaker's samples
    samples: int  # how long it is (less, once cut short)


class Voices:
    """Each spoken message's audio: where it is, and how far it has played."""

    def __init__(self) -> None:
        self._by_item: dict[str, Voice] = {}

    def began(self, item_id: str, start: int, samples: int) -> None:
        self._by_item[item_id] = Voice(start, samples)

    def cut_short(self, item_id: str, samples: int) -> None:
        if item_id in self._by_item:
            self._by_item[item_id].samples = min(self._by_item[item_id].samples, samples)

    def duration_ms(self, item_id: str) -> int | None:
        voice = self._by_item.get(item_id)
        return None if voice is None else voice.samples * 1000 // RATE

    def playing(self, sent: int) -> tuple[str, int] | None:
        """The message being heard now, and how many ms of it were, at speaker position `sent`."""
        for item_id, voice in reversed(self._by_item.items()):
            if voice.start <= sent < voice.start + voice.samples:
                return item_id, (sent - voice.start) * 1000 // RATE
        return None


def truncate(conversation, event: dict) -> None:
    """The client's `conversation.item.truncate`, checked as the API checks it."""
    item_id, content_index, audio_end_ms = event.get("item_id"), event.get("content_index"), event.get("audio_end_ms")
    for name, value, kind in (
        ("item_id", item_id, str),
        ("content_index", content_index, int),
        ("audio_end_ms", audio_end_ms, int),
    ):
        if value is None:
            raise ApiError(400, f"Missing required parameter: '{name}'.", code="missing_required_parameter", param=name)
        if not isinstance(value, kind) or isinstance(value, bool):
            expected = "a string" if kind is str else "an integer"
            raise ApiError(400, f"Invalid type for '{name}': expected {expected}.", code="invalid_type", param=name)
    item = conversation.items.get(item_id)
    if item is None:
        raise ApiError(
            400, f"Invalid 'item_id': no item with id '{item_id}' in the conversation.", code="invalid_value", param="item_id"
        )
    duration = conversation.voices.duration_ms(item_id)
    if item.get("role") != "assistant" or duration is None:
        raise ApiError(400, "Only model output audio messages can be truncated", code="unsupported_content_type", param="item_id")
    if content_index != 0:
        raise ApiError(
            400,
            f"Invalid 'content_index': the item has no content part {content_index}.",
            code="invalid_value",
            param="content_index",
        )
    if audio_end_ms < 0 or audio_end_ms > duration:
        raise ApiError(
            400,
            f"Audio content of {duration}ms is already shorter than {audio_end_ms}ms",
            code="invalid_value",
            param="audio_end_ms",
        )
    truncated(conversation, item_id, audio_end_ms)


def truncated(conversation, item_id: str, audio_end_ms: int) -> None:
    """Keep the message's audio up to `audio_end_ms`, drop its transcript, and say so."""
    conversation.voices.cut_short(item_id, audio_end_ms * RATE // 1000)
    item = conversation.items[item_id]
    if item.get("status") != "in_progress":  # a message still being said is closed by its cut
        kind = "audio" if any(part.get("type") == "output_audio" for part in item.get("content", [])) else "text"
        conversation.set_item(item_id, events.assistant_item(item_id, item["status"], kind, ""))
    conversation.emit(events.event(E.ITEM_TRUNCATED, item_id=item_id, content_index=0, audio_end_ms=audio_end_ms))
