"""InsightState: the figures of a conversation (tokens, cost, latency) and the event log."""

import reflex as rx

from voice_app.realtime import bounds
from voice_app.realtime.events import LOG_KEPT
from voice_app.realtime.history import Usage, usage_from_json
from voice_app.realtime.insight import Insight


class InsightState(rx.State):
    insight: dict = Insight().summary()
    log_open: bool = False
    event_log: list[dict] = []
    log_filter: str = ""
    log_json: bool = False  # the event log shows each event's JSON

    _insight: Insight = Insight()  # of the call in progress (or the last one)
    _usage: Usage = Usage()  # of the conversation's earlier calls

    @rx.var
    def shown_log(self) -> list[dict]:
        wanted = self.log_filter.strip().lower()
        return [entry for entry in self.event_log if wanted in entry.get("type", "").lower()]

    @rx.event
    def page_loaded(self):
        self.log_open = False  # a page opens with its sections folded

    @rx.event
    def toggle_log(self):
        self.log_open = not self.log_open

    @rx.event
    def set_log_json(self, value: bool):
        self.log_json = value is True

    @rx.event
    def set_log_filter(self, value: str):
        self.log_filter = bounds.text(value, bounds.MAX_LABEL_CHARS) if isinstance(value, str) else ""

    @rx.event
    def logged(self, entries: list[dict]):
        self.event_log = [*self.event_log, *bounds.log_entries(entries)][-LOG_KEPT:]

    # -- for the call and the conversation ----------------------------------------------------
    def _count(self, events: list[dict]) -> bool:
        """Fold events into the figures; whether any figure changed."""
        counted = [self._insight.apply(event) for event in events]  # every event, not up to the first change
        if any(counted):
            self.insight = self._insight.summary()
        return any(counted)

    def _begin_call(self, model: str, transcription_model: str):
        self._usage = Usage(self._usage.total(self._insight))  # the last call's figures join the earlier ones
        self._insight = Insight(model=model, transcription_model=transcription_model)
        self.insight = self._insight.summary()

    def _start_over(self, usage_json: str = ""):
        """A new conversation on screen, or a saved one continued with its earlier figures."""
        self._usage, self._insight = Usage(usage_from_json(usage_json) if usage_json else {}), Insight()
        self.insight = self._insight.summary()
