"""The server's hearing of a call is service code: it reaches the page's states only through a
`Page`, so it runs here with a recording stand-in for them and no Reflex state at all."""

import asyncio

from voice_app.realtime import binding
from voice_app.realtime.tools import ToolContext
from voice_app.service.call_leases import HeldCall
from voice_app.service.hearing import Hearing


class RecordedPage:
    """What the hearing told the page, in order; whether the page lets a tool run."""

    def __init__(self, runs: bool = True, wants: bool = True):
        self.told: list[tuple] = []
        self.runs, self.wants = runs, wants

    async def attached(self, call_id):
        self.told.append(("attached", call_id))

    async def bound(self, call_id):
        self.told.append(("bound", call_id))
        return self.wants

    async def lost(self, call_id, live, why):
        self.told.append(("lost", call_id, live, why))

    async def asked(self, request):
        self.told.append(("asked", request["id"]))

    async def answered(self, request_id, approve, sent):
        self.told.append(("answered", request_id, approve, sent))

    async def call_over(self):
        self.told.append(("call_over",))

    async def tool_started(self, call_id, name):
        return ToolContext(notes={}), self.runs

    async def tool_finished(self, call_id, result, context):
        self.told.append(("tool_finished", call_id, result.output, result.failed))

    async def saved(self, conversation_id, problem):
        self.told.append(("saved", conversation_id, problem))


def _hearing(page: RecordedPage, live: bool = False) -> Hearing:
    return Hearing(page, HeldCall("rtc_test", live, "token", "owner", "", {"model": "gpt-realtime-2.1"}, "", "mark"))


async def test_a_tool_the_page_put_in_the_call_runs_and_one_it_did_not_is_refused():
    page = RecordedPage(runs=True)
    hearing = _hearing(page)
    await hearing.run_tool({"call_id": "c1", "response_id": "r1", "name": "calculate", "arguments": '{"expression": "6 * 7"}'})
    assert page.told == [("tool_finished", "c1", "42", False)]
    refused = RecordedPage(runs=False)
    hearing = _hearing(refused)
    await hearing.run_tool({"call_id": "c2", "response_id": "r1", "name": "calculate", "arguments": '{"expression": "6 * 7"}'})
    assert refused.told == [("tool_finished", "c2", "Error: there is no tool named 'calculate' in this call.", True)]


async def test_attaching_asks_the_call_whose_it_is_and_a_lost_connection_is_told_with_its_kind():
    page = RecordedPage()
    hearing = _hearing(page)
    await hearing.attached()
    assert page.told == [("attached", "rtc_test")]
    assert hearing.outbox.get_nowait() == binding.PROBE  # nothing acted on until the call shows it is the page's
    await hearing.lost("the API did not know the call")
    live = RecordedPage()
    await _hearing(live, live=True).lost("gone")
    assert page.told[-1] == ("lost", "rtc_test", False, "the API did not know the call")
    assert live.told == [("lost", "rtc_test", True, "gone")]


async def test_a_call_the_page_left_while_it_was_being_bound_is_ended_and_answers_no_approval(monkeypatch):
    ended = asyncio.Event()

    async def end_call(call_id, live, why):
        ended.set()

    monkeypatch.setattr("voice_app.service.hang_ups.end_call", end_call)
    page = RecordedPage(wants=False)
    hearing = _hearing(page)
    await hearing._bound()
    assert ended.is_set() and page.told == [("bound", "rtc_test")]
    assert hearing.call.bound and hearing.acting  # noted before asking: a takeover starts bound
