"""A tool call's entry in the transcript: the call as the model asked for it, then its result
(or error) and how long it took. Part of Transcript (transcript.py); pure.

The server runs the tools from its own connection to the call, which may hear a call and run it
before the page's report of the call reaches this transcript: the result then waits for its call.
"""

from voice_app.realtime import bounds
from voice_app.realtime.items import text_or_none, words_of
from voice_app.realtime.mcp_items import answered

IN_PROGRESS, DONE, FAILED = "in_progress", "done", "failed"
RUN_BY_OTHERS = ("function_call", "mcp_call", "mcp_list_tools")  # shown at once, settled when they are done


class ToolEntries:
    """Transcript's tool entries; it holds `entries`, `_results` and `_settle`."""

    def tool_finished(self, call_id: str, output: str, failed: bool, duration_ms: int) -> set[str]:
        """The app ran a tool: its entry shows the call, the result or error, and how long it took.
        The server may run it before this transcript has the call: the result waits for it."""
        entry = self._by_call(call_id)
        if entry is None:
            self._results = dict(
                list({**self._results, call_id: (output, failed, duration_ms)}.items())[-bounds.MAX_LIVE_ITEMS :]
            )
        if entry is None or entry["status"] != IN_PROGRESS:
            return set()
        return self._settle(entry, f"{entry['text']} → {output} · {duration_ms} ms", FAILED if failed else DONE)

    def _call_settled(self, entry: dict, text: str) -> set[str]:
        """A tool call's words are in: with its result, if that came first."""
        changed = self._settle(entry, text, IN_PROGRESS)
        result = self._results.pop(entry.get("call_id", ""), None)
        return changed | (self.tool_finished(entry["call_id"], *result) if result else set())

    def _approval_answered(self, item: dict) -> set[str]:
        """The user answered an MCP server's request: its entry says how."""
        entry = self.find(text_or_none(item.get("approval_request_id")))
        if entry is None or not isinstance(item.get("approve"), bool):
            return set()
        return self._settle(entry, answered(entry["text"], item["approve"]), entry["status"])

    def _by_call(self, call_id: str | None) -> dict | None:
        return next((e for e in self.entries if call_id and e.get("call_id") == call_id), None)

    def _tool_arguments(self, event: dict) -> set[str]:
        entry = self._by_call(text_or_none(event.get("call_id")))
        if entry is None or entry["status"] != IN_PROGRESS:
            return set()
        # The event's own "type" must not stand in for the item's.
        return self._call_settled(entry, words_of({**event, "type": "function_call"}))
