"""The simulator's way to call tools: a typed turn that names a tool of the session calls it.

`calculate {"expression": "2+2"}` calls `calculate` with those arguments; a tool named with
no JSON after it is called with `{}`. Several names in one message make parallel calls.
The calls come as one response, exactly as the API streams function calls.
"""

import json
import re

from voice_app.realtime.events import ServerEvent as E
from voice_app.simulator import events
from voice_app.simulator.config import new_id

_decoder = json.JSONDecoder()


def requested_calls(text: str, tool_names: list[str]) -> list[tuple[str, str]]:
    """(name, arguments JSON) for each tool the text names, in the order named."""
    calls = []
    for name in tool_names:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            rest = text[match.end():].lstrip()
            arguments = {}
            if rest.startswith("{"):
                try:
                    arguments, _ = _decoder.raw_decode(rest)
                except ValueError:
                    arguments = {}
            calls.append((match.start(), name, json.dumps(arguments)))
    return [(name, arguments) for _, name, arguments in sorted(calls)]


def function_call_item(item_id: str, call_id: str, name: str, arguments: str, status: str) -> dict:
    return {"id": item_id, "object": "realtime.item", "type": "function_call", "status": status,
            "call_id": call_id, "name": name, "arguments": arguments}


def stream_calls(conversation, calls: list[tuple[str, str]]) -> None:
    """One response whose output is the function calls; the client runs them and answers."""
    c = conversation
    response_id = new_id("resp")
    c.emit(events.event(E.RESPONSE_CREATED, response=events.response(c.session, response_id, "in_progress", [])))
    done_items = []
    for index, (name, arguments) in enumerate(calls):
        item_id, call_id = new_id("item"), new_id("call")
        where = {"response_id": response_id, "item_id": item_id, "output_index": index, "call_id": call_id}
        c.emit(events.event(E.OUTPUT_ITEM_ADDED, response_id=response_id, output_index=index,
                            item=function_call_item(item_id, call_id, name, "", "in_progress")))
        c.add_item(item_id, function_call_item(item_id, call_id, name, "", "in_progress"))
        c.emit(events.event(E.FUNCTION_CALL_ARGUMENTS_DELTA, **where, delta=arguments))
        c.emit(events.event(E.FUNCTION_CALL_ARGUMENTS_DONE, **where, name=name, arguments=arguments))
        item = function_call_item(item_id, call_id, name, arguments, "completed")
        c.set_item(item_id, item)
        c.emit(events.event(E.OUTPUT_ITEM_DONE, response_id=response_id, output_index=index, item=item))
        c.emit(events.event(E.ITEM_DONE, item=item, previous_item_id=c.previous_of(item_id)))
        done_items.append(item)
    usage = events.usage(events.tokens_of(c.session.instructions), 0.0, 0, sum(len(a) // 4 + 5 for _, a in calls), 0.0)
    c.emit(events.event(E.RESPONSE_DONE, response=events.response(c.session, response_id, "completed", done_items, usage=usage)))
