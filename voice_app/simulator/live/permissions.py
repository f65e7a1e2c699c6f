"""What an untrusted page may do over its data channel (`client.data_channel`): the client events
it may send and the server events it receives. The sideband is trusted: none of this applies to it."""

from typing import Any, Literal

from pydantic import model_validator

from voice_app.live.events import ServerEvent
from voice_app.simulator.errors import broken_rule
from voice_app.simulator.live import names
from voice_app.simulator.schema_kit import VALUE, Strict, one_of


class ServerEventSelector(Strict):
    type: str
    response_event: str | None = None

    @model_validator(mode="after")
    def _response_event_iff_nested(self):
        nested = self.type == ServerEvent.RESPONSE
        if nested != (self.response_event is not None):
            rule = "required" if nested else "allowed only"
            raise broken_rule(
                "invalid_value", "response_event", f"Invalid '{{param}}': {rule} when type is '{ServerEvent.RESPONSE}'."
            )
        return self

    def matches(self, event: dict) -> bool:
        if event["type"] != self.type:
            return False
        return self.response_event is None or event.get("event", {}).get("type") == self.response_event


def _all_or(listed: Any) -> Any:
    """ "all", or a list: told apart first, so an error names the list's bad entry."""
    return one_of({VALUE: Literal["all"], "array": listed}, lambda value: VALUE if isinstance(value, str) else "array")


class DataChannel(Strict):
    allowed_client_events: _all_or(list[Literal[names.CLIENT_EVENTS]]) = "all"
    allowed_server_events: _all_or(list[ServerEventSelector]) = "all"

    def allows_client(self, kind: str) -> bool:
        return self.allowed_client_events == "all" or kind in self.allowed_client_events

    def allows_server(self, event: dict) -> bool:
        return self.allowed_server_events == "all" or any(s.matches(event) for s in self.allowed_server_events)


class ClientConfig(Strict):
    data_channel: DataChannel
