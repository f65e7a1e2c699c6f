"""Delegation to a Responses backend: a turn that names a function tool of
`delegation.responses.tools` makes the backend call it. The calls stream inside `response.event`;
the server answers with `response.item.create` (a `function_call_output` per call) and
`response.create`; the backend then writes its answer and the Live model speaks it.
A turn that names an MCP server's tool (mcp.py) has the backend call it itself, or ask for
approval first (an `mcp_approval_response` item and `response.create` answer it)."""

import json

from voice_app.live.events import ServerEvent
from voice_app.simulator.config import new_id
from voice_app.simulator.errors import ApiError
from voice_app.simulator.live import events
from voice_app.simulator.live.mcp import LiveMcp
from voice_app.simulator.live.responses_stream import ResponseStream
from voice_app.simulator.mcp_calls import DECLINED

NOTHING_PENDING = "The backend has no task waiting: this is the local GPT-Live simulator's Responses backend."


def _needs_responses(session) -> None:
    if not session.config.delegates_to_responses:
        raise ApiError(
            400,
            'This command requires Responses delegation: start the session with delegation {"type": "responses", ...}.',
            code="responses_delegation_required",
        )


def _answer(outputs: list[str], declined: bool) -> str:
    said = [f"The tools returned: {'; '.join(outputs)}."] if outputs else []
    return " ".join(said + ([DECLINED] if declined else []))


class Backend:
    def __init__(self, session, mcp_allowed: frozenset[str] | None = None) -> None:
        self.session = session
        self.mcp = LiveMcp(session, mcp_allowed)
        self._delegation_id: str | None = None
        self._calls: dict[str, str] = {}  # call_id -> tool name, waiting for its output
        self._outputs: list[str] = []  # outputs given, waiting for response.create
        self._requests = 0  # Responses requests made: the first writes the prompt's prefix to the cache

    def tool_names(self) -> list[str]:
        """What a heard turn may name: the function tools, and the MCP servers' listed tools."""
        return self.session.config.function_names + self.mcp.names()

    def _stream(self, delegation_id: str | None) -> ResponseStream:
        responses = self.session.config.delegation.responses
        prefix = (responses.instructions or "") + json.dumps(
            [tool.model_dump(exclude_none=True) for tool in responses.tools or []]
        )
        self._requests += 1
        return ResponseStream(
            lambda nested: self.session.emit(events.event(ServerEvent.RESPONSE, event=nested, delegation_id=delegation_id)),
            responses.model,
            prefix,
            self._requests > 1,
        )

    def delegate(self, calls: list[tuple[str, str]], offset_ms: int) -> None:
        """The Live model hands the task to the backend, which calls the tools named."""
        self.session.spawn(self._delegate(calls, offset_ms))

    async def _delegate(self, calls: list[tuple[str, str]], offset_ms: int) -> None:
        delegation_id = new_id("del")
        stream = self._stream(delegation_id)
        self.session.emit(
            events.event(
                ServerEvent.DELEGATION_CREATED,
                offset_ms=offset_ms,
                delegation={"id": delegation_id, "target": "responses", "type": "delegation", "response_id": stream.id},
            )
        )
        stream.created()
        self.mcp.list_into(stream)
        functions, made, asked = self.session.config.function_names, [], False
        for name, arguments in calls:
            request = None if name in functions else self.mcp.request(name, arguments)
            if request is None:
                self._calls[stream.function_call(name, arguments)] = name
            elif request.needs_approval:
                self.mcp.asked[stream.mcp_approval_request(request.server_label, name, arguments)] = request
                asked = True
            else:
                made.append(await self.mcp.call(stream, request))
        self._delegation_id = delegation_id
        if made and not (asked or self._calls):  # all done within this response: the backend answers
            return self._finish(stream, _answer(made, False), text_in=" ".join(name for name, _ in calls))
        stream.completed(text_in=" ".join(name for name, _ in calls))

    def add_item(self, event: dict) -> None:
        _needs_responses(self.session)
        item = event.get("item")
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise ApiError(400, "Missing required parameter: 'item.type'.", code="missing_required_parameter", param="item.type")
        if item["type"] == "mcp_approval_response":
            return self.mcp.answer(item)
        if item["type"] != "function_call_output":
            return  # other input items join the backend's conversation: nothing to simulate
        call_id, output = item.get("call_id"), item.get("output")
        if call_id not in self._calls:
            raise ApiError(
                400,
                f"Invalid 'item.call_id': no function call '{call_id}' is waiting for its output.",
                code="invalid_value",
                param="item.call_id",
            )
        if not isinstance(output, str):
            raise ApiError(400, "Invalid type for 'item.output': expected a string.", code="invalid_type", param="item.output")
        del self._calls[call_id]
        self._outputs.append(output)

    def respond(self, client_event_id: str | None) -> None:
        _needs_responses(self.session)
        self.session.spawn(self._respond())

    async def _respond(self) -> None:
        answers, self.mcp.answers = self.mcp.answers, []
        outputs, self._outputs = self._outputs, []
        stream = self._stream(self._delegation_id if outputs or answers else None)
        stream.created()
        for request, approved in answers:  # an approved call is made now, within this response
            if approved:
                outputs.append(await self.mcp.call(stream, request))
        declined = any(not approved for _, approved in answers)
        self._finish(stream, _answer(outputs, declined) or NOTHING_PENDING)

    def _finish(self, stream: ResponseStream, text: str, text_in: str = "") -> None:
        stream.message(text)
        stream.completed(text_in=text_in or text, text_out=text)
        self.session.voice.say(text)
