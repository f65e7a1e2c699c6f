"""GPT-Live's server events in the app's words (the Realtime API's), and back. Pure.

The transcript, the saving, the tools and the figures all read the Realtime API's events, so a
Live session's events are put in those words once, here, on the page's side and the server's:

- Transcript fragments become entries (turns.py).
- Tools are the delegated Responses model's function calls (`response.event`, by delegation):
  shown as calls, and run as a completed Realtime response's calls are, from the calls its
  `output_item.done` events named (its final snapshot's output is cleared). Their outputs go back
  as `response.item.create`, and `response.create` continues the delegated response.
- MCP items (listings, approval requests, calls) the Responses model makes itself are shown as a
  Realtime call's (mcp_items.py); the user's answer to a request goes back as
  `response.item.create` with an `mcp_approval_response`, then `response.create`.
- Usage is a cumulative snapshot of billed seconds (see USAGE); each delegated response's tokens
  are billed apart, at the delegate model's prices (DELEGATED).
"""

from dataclasses import dataclass, field

from voice_app.live import mcp_items
from voice_app.live.events import ClientEvent as LiveClient
from voice_app.live.events import ResponseEvent as R
from voice_app.live.events import ServerEvent as Live
from voice_app.live.turns import ASSISTANT, USER, Turns
from voice_app.realtime.events import ClientEvent
from voice_app.realtime.events import ServerEvent as E
from voice_app.realtime.items import as_dict, repeated, text_or_none
from voice_app.realtime.transcript import SEEN_KEPT

USAGE = "app.live_usage"  # the app's own event: {"usage": SessionUsage}, a snapshot, never summed
CREATED = "app.live_created"  # the app's own event: the server created this session (its startup is billed)
DELEGATED = "app.live_delegated_usage"  # the app's own event: {"model", "usage": ResponseUsage} of a delegated call
STANDBY = "app.live_standby"  # the app's own event: {"paused": bool}, inference paused or woken
MAX_OPEN_DELEGATIONS = 64  # delegations followed at once, and calls in each: what made-up events can make it hold
_ENDS = {R.COMPLETED: "completed", R.INCOMPLETE: "incomplete", R.FAILED: "failed"}
_ITEM_EVENTS = (R.OUTPUT_ITEM_ADDED, R.OUTPUT_ITEM_DONE)
_SAID = {Live.INPUT_DELTA: USER, Live.OUTPUT_DELTA: ASSISTANT}


@dataclass
class LiveEvents:
    session_id: str
    anchor: str = "root"  # the entry this session's first entries follow ("root": none)
    _turns: Turns | None = None
    _calls: dict[str, list[dict]] = field(default_factory=dict)  # delegation id -> its calls, until its response ends
    _seen: dict = field(default_factory=dict)  # event ids, oldest first: a repeat changes nothing

    @property
    def turns(self) -> Turns:
        if self._turns is None:  # made at first use: the anchor may be set after construction
            self._turns = Turns(self.session_id, self.anchor)
        return self._turns

    def take(self, events: list) -> list[dict]:
        out: list[dict] = []
        for event in events if isinstance(events, list) else []:
            if isinstance(event, dict) and not repeated(self._seen, event, SEEN_KEPT):
                out += [
                    {**made, "received_ms": event["received_ms"]} if "received_ms" in event else made
                    for made in self._translate(event)
                ]
        return out

    def finish(self) -> list[dict]:
        """The session is over: every entry still growing is whole."""
        return self.turns.finish()

    def _translate(self, event: dict) -> list[dict]:
        kind = event.get("type")
        if kind in _SAID:
            delta, start, end = event.get("delta"), event.get("start_ms"), event.get("end_ms")
            if not isinstance(delta, str) or not delta or not isinstance(start, int) or not isinstance(end, int):
                return []
            return self.turns.fragment(_SAID[kind], delta, start, end)
        if kind == Live.STARTED:
            return [{"type": E.SESSION_CREATED.value, "session": as_dict(event.get("session"))}]
        if kind == Live.RESPONSE:
            return self._delegated(as_dict(event.get("event")), str(event.get("delegation_id") or ""))
        if kind == Live.USAGE:
            return [{"type": USAGE, "usage": as_dict(event.get("usage"))}]
        if kind == Live.CLOSED:
            return [*self.finish(), {"type": USAGE, "usage": as_dict(event.get("usage"))}]
        if kind in (Live.PAUSED, Live.RESUMED):
            return [{"type": STANDBY, "paused": kind == Live.PAUSED}]
        if kind == Live.ERROR:  # it names the command it refuses as `client_event_id`; the Realtime API, `event_id`
            error = as_dict(event.get("error"))
            return [{"type": E.ERROR.value, "error": {**error, "event_id": error.get("client_event_id")}}]
        return []

    def _delegated(self, nested: dict, delegation: str) -> list[dict]:
        kind, item, response = nested.get("type"), as_dict(nested.get("item")), as_dict(nested.get("response"))
        if kind in _ITEM_EVENTS and mcp_items.is_mcp(item):
            return self._mcp(kind, item)
        call = item.get("type") == "function_call" and text_or_none(item.get("call_id")) and text_or_none(item.get("id"))
        if kind == R.OUTPUT_ITEM_ADDED and call:
            said, previous = self.turns.tool_called()
            self.turns.placed(item["id"])
            shown = {
                "id": item["id"],
                "type": "function_call",
                "call_id": item["call_id"],
                "name": str(item.get("name") or ""),
                "arguments": "",
            }
            return [*said, {"type": E.ITEM_ADDED.value, "previous_item_id": previous, "item": shown}]
        if kind == R.OUTPUT_ITEM_DONE and call:
            if delegation in self._calls or len(self._calls) < MAX_OPEN_DELEGATIONS:
                calls = self._calls.setdefault(delegation, [])
                if len(calls) < MAX_OPEN_DELEGATIONS:
                    calls.append(item)
            return [
                {
                    "type": E.FUNCTION_CALL_ARGUMENTS_DONE.value,
                    "item_id": item["id"],
                    "call_id": item["call_id"],
                    "name": str(item.get("name") or ""),
                    "arguments": str(item.get("arguments") or ""),
                    "response_id": delegation,
                }
            ]
        if kind in _ENDS and text_or_none(response.get("id")):
            output = self._calls.pop(delegation, [])
            done = {"type": E.RESPONSE_DONE.value, "response": {"id": response["id"], "status": _ENDS[kind], "output": output}}
            usage = as_dict(response.get("usage"))  # billed apart from the session's seconds, at the model's prices
            return [done, {"type": DELEGATED, "model": str(response.get("model") or ""), "usage": usage}] if usage else [done]
        return []

    def _mcp(self, kind: str, item: dict) -> list[dict]:
        if kind == R.OUTPUT_ITEM_DONE:
            return mcp_items.done(item)
        said, previous = self.turns.tool_called()  # placed as a function call is
        self.turns.placed(item["id"])
        return [*said, {"type": E.ITEM_ADDED.value, "previous_item_id": previous, "item": mcp_items.realtime_item(item)}]


def outgoing(event: dict) -> dict | None:
    """A client event of the app's as GPT-Live takes it (on the server's connection); None: it has
    no counterpart (the session's settings are fixed at its start)."""
    kind = event.get("type")
    item = as_dict(event.get("item"))
    if kind == ClientEvent.ITEM_CREATE and item.get("type") == "function_call_output":
        return {"type": LiveClient.ITEM_CREATE.value, "item": item}
    if kind == ClientEvent.ITEM_CREATE and item.get("type") == "mcp_approval_response":  # its id is the Realtime API's
        return {
            "type": LiveClient.ITEM_CREATE.value,
            "item": {key: item[key] for key in ("type", "approval_request_id", "approve")},
        }
    if kind == ClientEvent.RESPONSE_CREATE:  # its id, so a refusal of it can be asked again
        return {"type": LiveClient.RESPONSE_CREATE.value, **({"event_id": event["event_id"]} if event.get("event_id") else {})}
    return None
