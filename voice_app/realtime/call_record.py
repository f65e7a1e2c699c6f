"""What the server keeps of a call, from its own connection's events: the conversation to save, the
usage to bill, and the tool calls to run. Pure: server events in; changes and client events out.

The page reduces the same events for what it shows, as fast as ever. What the page reports is
never saved and runs nothing: a page that makes up an event changes only its own view.
"""

from dataclasses import dataclass, field

from voice_app.realtime.history import Usage, restored, usage_from_json
from voice_app.realtime.insight import Insight
from voice_app.realtime.memory import remembered
from voice_app.realtime.tools import ToolResult
from voice_app.realtime.transcript import ENTRIES, Transcript
from voice_app.realtime.turn_taking import TurnTaking


@dataclass
class Heard:
    """What events called for: a save (entries or usage changed), tools to run, events to send."""

    save: bool = False
    run: list[dict] = field(default_factory=list)
    send: list[dict] = field(default_factory=list)


@dataclass
class CallRecord:
    transcript: Transcript = field(default_factory=Transcript)
    insight: Insight = field(default_factory=Insight)  # this call's usage
    earlier: Usage = field(default_factory=Usage)  # the conversation's earlier calls
    turns: TurnTaking = field(default_factory=TurnTaking)

    @classmethod
    def continuing(
        cls, entries: list, usage_json: str, model: str, transcription_model: str, memory_tokens: int | None
    ) -> "CallRecord":
        """A call continuing a saved conversation (or a new one, with none): its items, as the
        session was given them, are copies already saved. `memory_tokens` None: the session
        never reports what it was given (GPT-Live)."""
        transcript = restored(entries)
        transcript.given = remembered(transcript.entries, memory_tokens).item_ids if memory_tokens is not None else set()
        return cls(
            transcript,
            Insight(model=model, transcription_model=transcription_model),
            Usage(usage_from_json(usage_json) if usage_json else {}),
        )

    def take(self, event: dict) -> Heard:
        changed, fresh = self.transcript.take([event])
        heard = Heard(save=ENTRIES in changed)
        for event in fresh:  # a repeated event (by its id) was dropped: nothing runs twice
            heard.save = self.insight.apply(event) or heard.save
            step = self.turns.follow(event)
            heard.run += step.run
            heard.send += step.send
        return heard

    def take_all(self, events: list[dict]) -> Heard:
        """Several events, as one: what all of them called for."""
        heard = Heard()
        for event in events:
            step = self.take(event)
            heard.save, heard.run, heard.send = heard.save or step.save, heard.run + step.run, heard.send + step.send
        return heard

    def tool_finished(self, call: dict, result: ToolResult) -> Heard:
        """A tool ran: its entry, its output for the model, and the answer once the last is in."""
        changed = self.transcript.tool_finished(call["call_id"], result.output, result.failed, result.duration_ms)
        send = self.turns.tool_done(call["response_id"], call["call_id"], result.output)
        return Heard(save=ENTRIES in changed, send=send)

    def ended(self) -> bool:
        """The call is over: what was still streaming stays as far as it got. Anything to save?"""
        return ENTRIES in self.transcript.end_call()

    def usage(self) -> dict:
        return self.earlier.total(self.insight)
