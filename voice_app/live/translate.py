"""GPT-Live's server events in the app's words (the Realtime API's), and back. Pure.

The transcript, the saving, the tools and the figures all read the Realtime API's events, so a
Live session's events are put in those words once, here, on the page's side and the server's:

- Transcripts come as fragments with `start_ms`/`end_ms` on the session's timeline, with no item
  ids and no done or turn events. A run of one speaker's fragments is one entry; it ends when
  the other speaker starts after it, after a pause of `TURN_GAP_MS`, or when the session closes.
  Entries are placed by `start_ms` (a fragment may arrive after later ones), after `anchor`: the
  conversation's last entry before this session.
- Tools are the delegated Responses model's function calls (`response.event`): shown as calls,
  and run, as a completed Realtime response's calls are; their outputs go back as
  `response.item.create`, and `response.create` continues the delegated response.
- Usage is a cumulative snapshot of billed seconds (see USAGE).
"""

from dataclasses import dataclass, field

from voice_app.realtime.events import ClientEvent, ServerEvent as E
from voice_app.realtime import bounds
from voice_app.realtime.items import as_dict, text_or_none

TURN_GAP_MS = 2500  # a pause this long within one speaker's fragments starts a new entry
USAGE = "app.live_usage"  # the app's own event: {"usage": SessionUsage}, a snapshot, never summed
SEEN_KEPT = 1024
MAX_OPEN_RESPONSES = 64  # delegated responses followed at once: what a made-up stream can make it hold
USER, ASSISTANT = "user", "assistant"
_ENDS = {"response.completed": "completed", "response.incomplete": "incomplete", "response.failed": "failed"}


@dataclass
class _Turn:
    item_id: str
    start_ms: int
    end_ms: int
    text: str = ""


@dataclass
class LiveEvents:
    session_id: str  # ids made here start with it: unique across a conversation's sessions
    anchor: str = "root"  # the entry this session's first entries follow ("root": none)
    _turns: dict[str, _Turn] = field(default_factory=dict)  # speaker -> the entry still growing
    _timeline: list[tuple[int, str]] = field(default_factory=list)  # (start_ms, id), in order
    _calls: dict[str, list[dict]] = field(default_factory=dict)  # response id -> its function calls
    _responses: dict[str, str] = field(default_factory=dict)  # delegation id -> its response in progress
    _seen: dict = field(default_factory=dict)  # event ids, oldest first: a repeat changes nothing

    def take(self, events: list) -> list[dict]:
        out: list[dict] = []
        for event in events if isinstance(events, list) else []:
            if isinstance(event, dict) and not self._repeated(event):
                out += [{**made, "received_ms": event["received_ms"]} if "received_ms" in event else made
                        for made in self._translate(event)]
        return out

    def finish(self) -> list[dict]:
        """The session is over: every entry still growing is whole."""
        return [*self._settle(USER), *self._settle(ASSISTANT)]

    def _repeated(self, event: dict) -> bool:
        event_id = text_or_none(event.get("event_id"))
        if event_id is None:
            return False
        if event_id in self._seen:
            return True
        self._seen[event_id] = None
        if len(self._seen) > SEEN_KEPT:
            del self._seen[next(iter(self._seen))]
        return False

    def _translate(self, event: dict) -> list[dict]:
        kind = event.get("type")
        if kind == "session.started":
            return [{"type": E.SESSION_CREATED.value, "session": as_dict(event.get("session"))}]
        if kind == "session.input_transcript.delta":
            return self._fragment(USER, event)
        if kind == "session.output_transcript.delta":
            return self._fragment(ASSISTANT, event)
        if kind == "response.event":
            return self._delegated(as_dict(event.get("event")), str(event.get("delegation_id") or ""))
        if kind == "session.usage.updated":
            return [{"type": USAGE, "usage": as_dict(event.get("usage"))}]
        if kind == "session.closed":
            return [*self.finish(), {"type": USAGE, "usage": as_dict(event.get("usage"))}]
        if kind == "error":
            return [{"type": E.ERROR.value, "error": as_dict(event.get("error"))}]
        return []

    # -- the transcript ----------------------------------------------------------------------
    def _fragment(self, speaker: str, event: dict) -> list[dict]:
        delta, start, end = event.get("delta"), event.get("start_ms"), event.get("end_ms")
        if not isinstance(delta, str) or not delta or not isinstance(start, int) or not isinstance(end, int):
            return []
        other = ASSISTANT if speaker == USER else USER
        out = self._settle(other) if other in self._turns and self._turns[other].end_ms <= start else []
        turn = self._turns.get(speaker)
        if turn is not None and start - turn.end_ms >= TURN_GAP_MS:
            out += self._settle(speaker)
            turn = None
        if turn is None:
            turn = self._turns[speaker] = _Turn(f"{self.session_id}-{speaker[0]}{start}", start, end)
            out.append({"type": E.ITEM_ADDED.value, "previous_item_id": self._place(start, turn.item_id),
                        "item": {"id": turn.item_id, "type": "message", "role": speaker, "content": []}})
        turn.text, turn.end_ms = bounds.text(turn.text + delta), max(turn.end_ms, end)
        kind = E.TRANSCRIPTION_DELTA if speaker == USER else E.AUDIO_TRANSCRIPT_DELTA
        return [*out, {"type": kind.value, "item_id": turn.item_id, "delta": delta}]

    def _place(self, start_ms: int, item_id: str) -> str:
        """Into the timeline by its start; returns the id it follows."""
        at = len(self._timeline)
        while at and self._timeline[at - 1][0] > start_ms:
            at -= 1
        self._timeline.insert(at, (start_ms, item_id))
        previous = self._timeline[at - 1][1] if at else self.anchor
        if len(self._timeline) > bounds.MAX_ENTRIES:  # a page's made-up fragments cannot grow it without end
            del self._timeline[0]
        return previous

    def _settle(self, speaker: str) -> list[dict]:
        turn = self._turns.pop(speaker, None)
        if turn is None:
            return []
        if speaker == USER:
            return [{"type": E.TRANSCRIPTION_COMPLETED.value, "item_id": turn.item_id, "transcript": turn.text}]
        item = {"id": turn.item_id, "type": "message", "role": ASSISTANT, "status": "completed",
                "content": [{"type": "output_audio", "transcript": turn.text}]}
        return [{"type": E.ITEM_DONE.value, "item": item}]

    # -- the delegated work: tool calls --------------------------------------------------------
    def _delegated(self, nested: dict, delegation: str) -> list[dict]:
        kind, item, response = nested.get("type"), as_dict(nested.get("item")), as_dict(nested.get("response"))
        call = item.get("type") == "function_call" and text_or_none(item.get("call_id")) and text_or_none(item.get("id"))
        if kind == "response.output_item.added" and call:
            last = self._timeline[-1][0] if self._timeline else 0
            shown = {"id": item["id"], "type": "function_call", "call_id": item["call_id"],
                     "name": str(item.get("name") or ""), "arguments": ""}
            return [{"type": E.ITEM_ADDED.value, "previous_item_id": self._place(last, item["id"]), "item": shown}]
        if kind == "response.output_item.done" and call:
            response_id = self._responses.get(delegation, "")
            if len(self._calls) < MAX_OPEN_RESPONSES:
                self._calls.setdefault(response_id, []).append(item)
            return [{"type": E.FUNCTION_CALL_ARGUMENTS_DONE.value, "item_id": item["id"], "call_id": item["call_id"],
                     "name": str(item.get("name") or ""), "arguments": str(item.get("arguments") or ""),
                     "response_id": response_id}]
        if kind in _ENDS and text_or_none(response.get("id")):
            # Its snapshot's output is cleared: the calls are those its items said were done.
            output = self._calls.pop(response["id"], [])
            self._responses = {key: value for key, value in self._responses.items() if value != response["id"]}
            return [{"type": E.RESPONSE_DONE.value, "response": {"id": response["id"], "status": _ENDS[kind], "output": output}}]
        if kind == "response.created" and text_or_none(response.get("id")) and len(self._responses) < MAX_OPEN_RESPONSES:
            self._responses[delegation] = response["id"]
        return []


def outgoing(event: dict) -> dict | None:
    """A client event of the app's as GPT-Live takes it (on the server's connection); None: it has
    no counterpart (the session's settings are fixed at its start)."""
    kind = event.get("type")
    item = as_dict(event.get("item"))
    if kind == ClientEvent.ITEM_CREATE and item.get("type") == "function_call_output":
        return {"type": "response.item.create", "item": item}
    if kind == ClientEvent.RESPONSE_CREATE:
        return {"type": "response.create"}
    return None
