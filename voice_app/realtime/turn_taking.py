"""Whose turn it is, as the API sees it: the response in progress, the audio still heard, and
the answers, tools and speed change waiting for them. Pure: server events in, client events out.

The API allows one response at a time (a second `response.create` is refused), takes a new
speed only between responses, and sends `response.done` when generation ends, while its audio
may play on: "answering" lasts until every response's audio has stopped or been cut.

Every `response.create` of ours carries an event id, which the API echoes in the `error` that
refuses it (`conversation_already_has_active_response`: a response began as ours crossed it);
such an answer is asked again once that response is done, a few times at most. An answer owed
after an item (an MCP approval, a tool's output) is covered by any response the API starts once
that item is in: the API may start one by itself, and a second would answer twice.
"""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from voice_app.realtime import api_rules
from voice_app.realtime.events import ClientEvent, ServerEvent
from voice_app.realtime.playing import Playing

SPEED_PARAM = "session.audio.output.speed"
ANSWER_EVENT = "answer_"  # the event ids of our response.create
KEPT_IDS = 8  # ours not yet refused, newest last: a refusal comes within a few events
MAX_REFUSALS = 3  # an owed answer refused more often than this is given up (no loops)


def _event(kind: ClientEvent, **fields) -> dict:
    return {"type": kind.value, **fields}


@dataclass
class Step:
    """What one server event calls for: client events to send, and tool calls to run."""

    send: list[dict] = field(default_factory=list)
    run: list[dict] = field(default_factory=list)


@dataclass
class TurnTaking:
    response_active: bool = False  # between response.created and response.done
    playing: Playing = field(default_factory=Playing)  # the answers whose voice is heard
    answer_next: bool = False  # asked for while one was active: asked once it is done
    answer_on_commit: bool = False  # push-to-talk: answered once the API has the audio
    tools_running: dict[str, int] = field(default_factory=dict)  # calls still running, by response
    speed_waiting: dict | None = None  # a speed update held until the response is done
    speed_sent: dict | None = None  # the last one sent, to resend if the API refused it
    runs_tools: bool = True  # False: the page's, whose calls the server runs and answers
    sent_ids: list[str] = field(default_factory=list)  # our latest response.create event ids
    owed: bool = False  # an answer asked for that no response is known to cover yet
    owed_after: str = ""  # the item (an id, or a tool output's call id) it follows, not yet in
    tied: bool = False  # owed after an item: a response created once it is in covers it
    refusals: int = 0  # of the owed answer
    clock: Callable[[], float] = time.time  # when the voice began and was cut: the page's truncation

    def __setstate__(self, state: dict):
        """One kept (Redis, or Reflex's disk state) by an older version: its `playing` was a list."""
        playing = state.get("playing") if isinstance(state.get("playing"), Playing) else Playing()
        self.__dict__.update({"clock": time.time, **state, "playing": playing})

    @property
    def answering(self) -> bool:
        return self.response_active or self.playing.sounding

    # -- what the page asks for -------------------------------------------------------------
    def answer(self, after: str = "") -> list[dict]:
        """An answer now, or once the active response is done (the API would refuse it now).
        `after`: the item just sent that it answers (its id, or a tool output's call id)."""
        self.owed, self.refusals, self.tied = True, 0, bool(after)
        self.owed_after = after  # items arrive in the order sent: the latest's arrival says all are in
        return self._create()

    def _create(self) -> list[dict]:
        if self.response_active:
            self.answer_next = True
            return []
        event_id = ANSWER_EVENT + secrets.token_hex(6)
        self.sent_ids = [*self.sent_ids[1 - KEPT_IDS :], event_id]
        return [_event(ClientEvent.RESPONSE_CREATE, event_id=event_id)]

    def interrupt(self) -> list[dict]:
        cancel = [_event(ClientEvent.RESPONSE_CANCEL)] if self.response_active else []  # none active: an error
        # The API is told how much of each voice was heard (the rest of its text then leaves the
        # model's context, and shows as not heard).
        return [*cancel, _event(ClientEvent.OUTPUT_AUDIO_CLEAR), *self.playing.interrupt(self.clock())]

    def commit(self) -> list[dict]:
        self.answer_on_commit = True
        return [_event(ClientEvent.INPUT_COMMIT)]

    def speed(self, update: dict) -> list[dict]:
        if self.response_active:
            self.speed_waiting = update
            return []
        self.speed_sent = update
        return [update]

    def tool_done(self, response_id: str, call_id: str, output: str) -> list[dict]:
        """A tool finished: its output, and the answer once the response's last one is in."""
        if response_id not in self.tools_running:
            return []  # a call of an earlier session: the API no longer knows it
        self.tools_running[response_id] -= 1
        sent = [_event(ClientEvent.ITEM_CREATE, item={"type": "function_call_output", "call_id": call_id, "output": output})]
        if self.tools_running[response_id] <= 0:
            del self.tools_running[response_id]
            self.answer_next = False  # this answer covers one asked for meanwhile
            sent += self.answer(after=call_id)
        return sent

    # -- what the API says -----------------------------------------------------------------
    def follow(self, event: dict) -> Step:
        kind = event.get("type")
        self.playing.follow(event, self.clock())
        if kind == ServerEvent.RESPONSE_CREATED:
            self.response_active = True
            if self.tied and not self.owed_after:  # begun once the items were in: it answers them
                self.owed = self.tied = self.answer_next = False
        elif kind in (ServerEvent.ITEM_ADDED, ServerEvent.ITEM_DONE) and self.owed_after:
            item = event.get("item") if isinstance(event.get("item"), dict) else {}
            if self.owed_after in (item.get("id"), item.get("call_id")):
                self.owed_after = ""
        elif kind == ServerEvent.ERROR:
            return Step(send=self._refused(event.get("error")))
        elif kind == ServerEvent.INPUT_COMMITTED and self.answer_on_commit:
            self.answer_on_commit = False
            return Step(send=self.answer())
        elif kind == ServerEvent.RESPONSE_DONE:
            return self._response_done(event.get("response"))
        return Step()

    def _response_done(self, response) -> Step:
        self.response_active = False
        step = Step(run=api_rules.calls_to_run(response))
        if self.speed_waiting is not None:
            step.send.append(self.speed_waiting)
            self.speed_sent, self.speed_waiting = self.speed_waiting, None
        if step.run and not self.runs_tools:  # the server answers them, which covers one asked for
            step.run, self.answer_next = [], False
        elif step.run:  # the model answers once the tools are done, with their outputs
            self.tools_running[step.run[0]["response_id"]] = len(step.run)
        elif self.answer_next:
            self.answer_next = False
            step.send += self._create()
        return step

    def _refused(self, error) -> list[dict]:
        """A response.create of ours the API refused, as a response had begun: asked again once
        it is done, unless a response begun since covers it, or it was refused too often."""
        error = error if isinstance(error, dict) else {}
        event_id = error.get("event_id")
        if error.get("code") != api_rules.ACTIVE_RESPONSE or event_id not in self.sent_ids:
            return []  # not ours (the call's other connection may hear it too), or not this race
        self.sent_ids = [sent for sent in self.sent_ids if sent != event_id]
        if not self.owed:
            return []
        self.refusals += 1
        if self.refusals > MAX_REFUSALS:
            self.owed, self.tied, self.owed_after = False, False, ""
            return []
        return self._create()

    def api_error(self, error) -> tuple[str, str]:
        """How an `error` event is shown; a refusal the page can mend is mended here."""
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        if code == api_rules.COMMIT_EMPTY:
            self.answer_on_commit = False  # nothing was committed: nothing to answer
        elif error.get("param") == SPEED_PARAM and self.speed_sent is not None:
            self.speed_waiting = self.speed_sent  # it crossed a response starting: after that one
            return "", str(error.get("message") or "")
        return api_rules.error_shown(error)
