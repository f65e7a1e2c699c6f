"""Delegation to a Responses backend: a turn that names a function tool of
`delegation.responses.tools` makes the backend call it. The calls stream inside `response.event`;
the server answers with `response.item.create` (a `function_call_output` per call) and
`response.create`; the backend then writes its answer and the Live model speaks it."""

import json

from voice_app.simulator.config import new_id
from voice_app.simulator.errors import ApiError
from voice_app.simulator.live import events
from voice_app.simulator.live.names import Event
from voice_app.simulator.live.responses_stream import ResponseStream

NOTHING_PENDING = "The backend has no task waiting: this is the local GPT-Live simulator's Responses backend."


def _needs_responses(session) -> None:
    if not session.config.delegates_to_responses:
        raise ApiError(400, "This command requires Responses delegation: start the session with "
                       "delegation {\"type\": \"responses\", ...}.", code="responses_delegation_required")


class Backend:
    def __init__(self, session) -> None:
        self.session = session
        self._delegation_id: str | None = None
        self._calls: dict[str, str] = {}  # call_id -> tool name, waiting for its output
        self._outputs: list[str] = []  # outputs given, waiting for response.create
        self._requests = 0  # Responses requests made: the first writes the prompt's prefix to the cache

    def _stream(self, delegation_id: str | None) -> ResponseStream:
        responses = self.session.config.delegation.responses
        prefix = (responses.instructions or "") + json.dumps([tool.model_dump(exclude_none=True) for tool in responses.tools or []])
        self._requests += 1
        return ResponseStream(lambda nested: self.session.emit(events.event(
            Event.RESPONSE, event=nested, delegation_id=delegation_id)), responses.model, prefix, self._requests > 1)

    def delegate(self, calls: list[tuple[str, str]], offset_ms: int) -> None:
        """The Live model hands the task to the backend, which calls the tools named."""
        delegation_id = new_id("del")
        stream = self._stream(delegation_id)
        self.session.emit(events.event(Event.DELEGATION_CREATED, offset_ms=offset_ms, delegation={
            "id": delegation_id, "target": "responses", "type": "delegation", "response_id": stream.id}))
        stream.created()
        for name, arguments in calls:
            self._calls[stream.function_call(name, arguments)] = name
        stream.completed(text_in=" ".join(name for name, _ in calls))
        self._delegation_id = delegation_id

    def add_item(self, event: dict) -> None:
        _needs_responses(self.session)
        item = event.get("item")
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise ApiError(400, "Missing required parameter: 'item.type'.", code="missing_required_parameter", param="item.type")
        if item["type"] != "function_call_output":
            return  # other input items join the backend's conversation: nothing to simulate
        call_id, output = item.get("call_id"), item.get("output")
        if call_id not in self._calls:
            raise ApiError(400, f"Invalid 'item.call_id': no function call '{call_id}' is waiting for its output.",
                           code="invalid_value", param="item.call_id")
        if not isinstance(output, str):
            raise ApiError(400, "Invalid type for 'item.output': expected a string.", code="invalid_type", param="item.output")
        del self._calls[call_id]
        self._outputs.append(output)

    def respond(self, client_event_id: str | None) -> None:
        _needs_responses(self.session)
        text = f"The tools returned: {'; '.join(self._outputs)}." if self._outputs else NOTHING_PENDING
        stream = self._stream(self._delegation_id if self._outputs else None)
        self._outputs = []
        stream.created()
        stream.message(text)
        stream.completed(text_in=text, text_out=text)
        self.session.voice.say(text)
