"""The simulator's way to call tools: a typed turn that names a tool of the session calls it.

`calculate {"expression": "2+2"}` calls `calculate` with those arguments; a tool named with
no JSON after it is called with `{}`. Several names in one message make parallel calls.
The calls come as one response, exactly as the API streams function calls.

A message can come first: when the words before the first tool name end with a colon, as in
`Let me check: current_time`, the response says those words (without the colon; spoken or
text, per the session's output_modalities) at output_index 0, then makes the calls. Without
such a colon (`Please calculate {...}`) the response is only the calls.
"""

import json
import re

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.config import new_id

_decoder = json.JSONDecoder()


def _mentions(text: str, tool_names: list[str]) -> list[tuple[int, str, str]]:
    """(position, name, arguments JSON) of each tool the text names, in the order named."""
    found = []
    for name in tool_names:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            rest = text[match.end() :].lstrip()
            arguments = {}
            if rest.startswith("{"):
                try:
                    arguments, _ = _decoder.raw_decode(rest)
                except ValueError:
                    arguments = {}
            found.append((match.start(), name, json.dumps(arguments)))
    return sorted(found)


def requested_calls(text: str, tool_names: list[str]) -> list[tuple[str, str]]:
    """(name, arguments JSON) for each tool the text names, in the order named."""
    return [(name, arguments) for _, name, arguments in _mentions(text, tool_names)]


def preamble(text: str, tool_names: list[str]) -> str:
    """What the model says before its calls: the words before the first tool name, if they end with a colon."""
    mentions = _mentions(text, tool_names)
    before = text[: mentions[0][0]].strip() if mentions else ""
    return before[:-1].strip() if before.endswith(":") else ""


def function_call_item(item_id: str, call_id: str, name: str, arguments: str, status: str) -> dict:
    return {
        "id": item_id,
        "object": "realtime.item",
        "type": "function_call",
        "status": status,
        "call_id": call_id,
        "name": name,
        "arguments": arguments,
    }


def stream_call(conversation, response_id: str, index: int, name: str, arguments: str, status: str) -> dict:
    """One function call of a response, ending `status`; its arguments.done comes either way."""
    c = conversation
    item_id, call_id = new_id("item"), new_id("call")
    where = {"response_id": response_id, "item_id": item_id, "output_index": index, "call_id": call_id}
    c.emit(
        events.event(
            E.OUTPUT_ITEM_ADDED,
            response_id=response_id,
            output_index=index,
            item=function_call_item(item_id, call_id, name, "", "in_progress"),
        )
    )
    c.add_item(item_id, function_call_item(item_id, call_id, name, "", "in_progress"))
    c.emit(events.event(E.FUNCTION_CALL_ARGUMENTS_DELTA, **where, delta=arguments))
    c.emit(events.event(E.FUNCTION_CALL_ARGUMENTS_DONE, **where, name=name, arguments=arguments))
    item = function_call_item(item_id, call_id, name, arguments, status)
    c.set_item(item_id, item)
    c.emit(events.event(E.OUTPUT_ITEM_DONE, response_id=response_id, output_index=index, item=item))
    c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(item_id)))
    return item
