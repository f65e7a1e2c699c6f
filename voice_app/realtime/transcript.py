"""The conversation as the user reads it, reduced from server events. Pure: no I/O.

Entries are keyed by item id and placed by `previous_item_id` when the item is
added, so the user's words stand before the answer they caused even though their
transcription arrives later. Streaming text lives apart (`live`), so a delta
changes a small dict, not the whole transcript. `dirty` names the entries whose saved
form changed (text, status or place) since the saver last cleared it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from voice_app.realtime import bounds
from voice_app.realtime.events import ServerEvent as E
from voice_app.realtime.heard_entries import HEARD, INTERRUPTED, HeardEntries
from voice_app.realtime.items import as_dict, repeated, role_of, text_or_none, words_of
from voice_app.realtime.mcp_items import mcp_failed
from voice_app.realtime.playing import Playing
from voice_app.realtime.tool_entries import DONE, FAILED, IN_PROGRESS, RUN_BY_OTHERS, ToolEntries

ENTRIES, LIVE = "entries", "live"  # the parts an event can change
SEEN_KEPT = 1024  # event ids remembered, to drop a repeated event


@dataclass
class Transcript(ToolEntries, HeardEntries):
    entries: list[dict] = field(default_factory=list)  # {"id", "role", "text", "status", "at"}
    live: dict[str, str] = field(default_factory=dict)  # item id -> text still streaming
    dirty: set[str] = field(default_factory=set, compare=False)  # entry ids to save; the saver clears it
    # Ids of items not shown as turns: those a new session was given (already shown), and the
    # silence an idle nudge committed (no one spoke).
    given: set[str] = field(default_factory=set)
    _seen: dict = field(default_factory=dict)  # recent event ids, oldest first (a dict: found at once)
    playing: Playing = field(default_factory=Playing)  # the answers whose voice is heard: an interrupt marks them
    _results: dict[str, tuple] = field(default_factory=dict)  # call id -> a result that came before its call
    _cuts: dict[str, int] = field(default_factory=dict)  # item id -> where its voice stopped (ms)
    clock: Callable[[], float] = time.time
    _index: dict = field(default_factory=dict, repr=False, compare=False)  # id -> entry; rebuilt, never kept

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "_index"}

    def __setstate__(self, state: dict):
        """A transcript kept (Redis, or Reflex's disk state) by an older version of the app
        lacks the newer fields: they start empty, as in a new one."""
        state = {key: value for key, value in state.items() if key != "_playing"}  # what `playing` replaced
        self.__dict__.update({"dirty": set(), "playing": Playing(), "given": set(), "_results": {}, "_cuts": {}, **state})
        self._seen = dict.fromkeys(self._seen)  # it was a deque
        self._index = {}

    def apply(self, event: dict) -> set[str]:
        """Fold one server event in; say which parts changed."""
        return self.take([event])[0]

    def apply_all(self, events: list[dict]) -> set[str]:
        return self.take(events)[0]

    def take(self, events: list) -> tuple[set[str], list[dict]]:
        """Fold a batch in: which parts changed, and the events new to it (a repeated one, by
        its event id, is dropped here, so nothing downstream acts on it twice either)."""
        changed: set[str] = set()
        fresh = []
        for event in events if isinstance(events, list) else []:
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                continue
            if repeated(self._seen, event, SEEN_KEPT):
                continue
            fresh.append(event)
            handler = _HANDLERS.get(event["type"])
            changed |= handler(self, event) if handler else set()
            self.playing.follow(event, self.clock())  # after: a clearing marks what played until it
        return changed, fresh

    def end_call(self) -> set[str]:
        """The call ended: whatever was still streaming stays, as far as it got."""
        changed: set[str] = set()
        for entry in self.entries:
            if entry["status"] == IN_PROGRESS:
                changed |= self._settle(entry, self.live.get(entry["id"], entry["text"]), INTERRUPTED)
        if self.live:
            self.live.clear()
            changed.add(LIVE)
        return changed

    def find(self, item_id: str | None) -> dict | None:
        """At once, by id: a batch of events each looks its entry up (entries are only ever
        inserted, so a count that differs means the index is behind)."""
        if len(self._index) != len(self.entries):
            self._index = {entry["id"]: entry for entry in self.entries}
        return self._index.get(item_id) if isinstance(item_id, str) else None

    def _added(self, event: dict) -> set[str]:
        item = as_dict(event.get("item"))
        if item.get("type") == "mcp_approval_response":
            return self._approval_answered(item)
        role = role_of(item)
        if role is None or not text_or_none(item.get("id")) or item["id"] in self.given or self.find(item["id"]):
            return set()
        if len(self.entries) >= bounds.MAX_ENTRIES:
            return set()  # the conversation is full (the page says so)
        if item.get("type") == "function_call_output" and self._by_call(text_or_none(item.get("call_id"))):
            return set()  # its result is shown on the call's own entry (see tool_finished)
        waiting = role == "assistant" or (role == "user" and not words_of(item)) or item.get("type") in RUN_BY_OTHERS
        at = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        entry = {
            "id": item["id"],
            "role": role,
            "text": bounds.text(words_of(item)),
            "status": IN_PROGRESS if waiting else DONE,
            "at": at,
        }
        if text_or_none(item.get("call_id")):
            entry["call_id"] = item["call_id"]
        previous_id = text_or_none(event.get("previous_item_id"))
        # After an item the session was given: after all shown before it (some were not given).
        previous = self.find(previous_id) if previous_id not in self.given else None
        at = self.entries.index(previous) + 1 if previous else 0 if previous_id == "root" else len(self.entries)
        self.entries.insert(at, entry)
        self.dirty.update(e["id"] for e in self.entries[at:])  # those after it moved one place down
        return {ENTRIES}

    def _done(self, event: dict) -> set[str]:
        item = as_dict(event.get("item"))
        if text_or_none(item.get("id")) in self.given:
            return set()  # shown already, as it was: the copy changes nothing
        entry = self.find(text_or_none(item.get("id")))
        if entry is None:  # done without added: add it, then settle it
            added = self._added(event)
            return added | self._done(event) if added else set()
        if entry["status"] == FAILED:  # an MCP server's list failed: its empty item says no more
            return set()
        if entry["role"] == "user" and item.get("type") == "message" and not words_of(item):
            return set()  # spoken: its words come with the transcription
        if item.get("type") == "function_call":  # done being asked for; it still has to run
            return self._call_settled(entry, words_of(item)) if entry["status"] == IN_PROGRESS else set()
        text = words_of(item) or self.live.get(entry["id"], entry["text"])
        status = FAILED if mcp_failed(item) else INTERRUPTED if item.get("status") == "incomplete" else DONE
        return self._settle(entry, text, status)

    def _settle(self, entry: dict, text: str, status: str) -> set[str]:
        changed = {LIVE} if self.live.pop(entry["id"], None) is not None else set()
        text = bounds.text(text)
        heard = self.heard_of(entry, text) or entry.get(HEARD)  # a saved entry keeps its own
        if (entry["text"], entry["status"], entry.get(HEARD)) != (text, status, heard):
            entry.update(text=text, status=status, **({HEARD: heard} if heard is not None else {}))
            self.dirty.add(entry["id"])
            changed.add(ENTRIES)
        return changed

    def _delta(self, event: dict) -> set[str]:
        item_id, delta = text_or_none(event.get("item_id")), text_or_none(event.get("delta"))
        if not item_id or not delta or (item_id not in self.live and len(self.live) >= bounds.MAX_LIVE_ITEMS):
            return set()
        self.live[item_id] = bounds.text(self.live.get(item_id, "") + delta)
        return {LIVE}

    def _final_text(self, event: dict) -> set[str]:
        entry = self.find(text_or_none(event.get("item_id")))
        text = event.get("transcript", event.get("text"))
        if entry is None or not isinstance(text, str):
            return set()
        return self._settle(entry, text, entry["status"] if entry["role"] == "assistant" else DONE)

    def _transcription_failed(self, event: dict) -> set[str]:
        entry = self.find(text_or_none(event.get("item_id")))
        return self._settle(entry, entry["text"], FAILED) if entry else set()

    def _response_done(self, event: dict) -> set[str]:
        response = as_dict(event.get("response"))
        if response.get("status") not in ("cancelled", "incomplete", "failed"):
            return set()
        changed: set[str] = set()
        output = response.get("output")
        for item in output if isinstance(output, list) else []:
            entry = self.find(text_or_none(as_dict(item).get("id")))
            if entry and entry["status"] == IN_PROGRESS:
                text = self.live.get(entry["id"], entry["text"])
                if entry.get("call_id"):  # the app runs only a completed response's calls
                    text = f"{text} · not run: the response was {response['status']}"
                changed |= self._settle(entry, text, INTERRUPTED)
        return changed

    def _idle_nudge(self, event: dict) -> set[str]:
        if (item_id := text_or_none(event.get("item_id"))) and len(self.given) < bounds.MAX_GIVEN:
            self.given.add(item_id)
        return set()


_HANDLERS = {
    E.ITEM_ADDED: Transcript._added,
    E.ITEM_DONE: Transcript._done,
    E.TRANSCRIPTION_DELTA: Transcript._delta,
    E.TRANSCRIPTION_COMPLETED: Transcript._final_text,
    E.TRANSCRIPTION_FAILED: Transcript._transcription_failed,
    E.MCP_LIST_FAILED: Transcript._transcription_failed,  # the same: the item by its id, failed
    E.AUDIO_TRANSCRIPT_DELTA: Transcript._delta,
    E.TEXT_DELTA: Transcript._delta,
    E.AUDIO_TRANSCRIPT_DONE: Transcript._final_text,
    E.TEXT_DONE: Transcript._final_text,
    E.RESPONSE_DONE: Transcript._response_done,
    E.FUNCTION_CALL_ARGUMENTS_DONE: Transcript._tool_arguments,
    E.OUTPUT_AUDIO_CLEARED: Transcript._audio_cleared,
    E.ITEM_TRUNCATED: Transcript._truncated,
    E.IDLE_TIMEOUT: Transcript._idle_nudge,
}
