"""The server's hearing of a call is service code: it reaches the page's states only through a
`Page`, so it runs here with a recording stand-in for them and no Reflex state at all."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from tests import test_call_saving
from tests.test_call_saving import DEADLINE_S, added, until
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


def _hearing(page: RecordedPage, live: bool = False, bound: bool = False) -> Hearing:
    settings = {"model": "gpt-realtime-2.1"}
    return Hearing(page, HeldCall("rtc_test", live, "token", "owner", "", settings, "", "mark", bound))


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


held_writes = test_call_saving.held_writes  # the fixture: a database that holds each write until let go


def a_tool_call(call_id: str = "c1") -> list[dict]:
    item = {
        "id": "item_c",
        "type": "function_call",
        "name": "calculate",
        "call_id": call_id,
        "arguments": '{"expression": "6 * 7"}',
    }
    response = {"id": "resp_1", "status": "completed", "output": [item], "usage": {"input_tokens": 1, "output_tokens": 1}}
    return [
        {"type": "response.created", "event_id": "ev_created", "response": {"id": "resp_1"}},
        {"type": "conversation.item.added", "event_id": "ev_call", "item": item},
        {"type": "response.done", "event_id": "ev_done", "response": response},
    ]


async def test_the_next_tool_call_runs_while_a_save_is_still_being_written(held_writes):
    page = RecordedPage()
    hearing = _hearing(page, bound=True)
    async with asyncio.timeout(DEADLINE_S):  # a save awaited before the next event would hold it until let go
        await hearing.heard(added("item_u", text="What is 6 * 7?"))
        await until(lambda: held_writes.writes, "the first write began")
        for event in a_tool_call():
            await hearing.heard(event)
        await until(lambda: ("tool_finished", "c1", "42", False) in page.told, "the tool ran")
        sent = [hearing.outbox.get_nowait() for _ in range(hearing.outbox.qsize())]
        assert [event["type"] for event in sent] == ["conversation.item.create", "response.create"]
        assert len(held_writes.writes) == 1, "the first write is still held"
        held_writes.go.set()
        await hearing._over()
    (_, first_changed), (last, _) = held_writes.writes
    assert first_changed == {"item_u"} and last == hearing.record.transcript.entries
    assert last[-1]["text"].startswith("calculate(") and "→ 42" in last[-1]["text"]
    assert len(held_writes.writes) == 2 and hearing.saving.writing is None


async def test_the_calls_end_waits_for_the_save_in_flight(held_writes):
    page = RecordedPage()
    hearing = _hearing(page, bound=True)
    async with asyncio.timeout(DEADLINE_S):
        await hearing.heard(added("item_a", role="assistant", text=""))
        await until(lambda: held_writes.writes, "the write began")
        over = asyncio.create_task(hearing._over())
        await until(lambda: ("call_over",) in page.told, "the end began")
        assert not over.done(), "the end waits for the write in flight"
        held_writes.go.set()
        await over
    (first, _), (last, changed) = held_writes.writes
    assert first[0]["status"] == "in_progress" and changed == {"item_a"} and last[0]["status"] == "interrupted"
    assert page.told == [("call_over",), ("saved", 7, "")] and hearing.saving.writing is None


async def test_a_holder_that_stops_saves_what_it_heard_first_and_a_deposed_one_leaves_it(held_writes):
    for flush in (True, False):
        hearing = _hearing(RecordedPage(), bound=True)
        held_writes.go.clear()
        held_writes.writes.clear()
        async with asyncio.timeout(DEADLINE_S):
            await hearing.heard(added("item_u"))
            await until(lambda: held_writes.writes, "the write began")
            await hearing.heard(added("item_v"))  # asked for while the first is written
            handing = asyncio.create_task(hearing.handed_over(flush))
            if flush:  # the next holder loads what this one heard: it waits for its writes
                for _ in range(20):
                    await asyncio.sleep(0)
                assert not handing.done()
            else:  # another holder acts on the call: nothing more is written from here
                await until(handing.done, "a deposed holder leaves at once")
            held_writes.go.set()
            await handing
        assert [changed for _, changed in held_writes.writes] == ([{"item_u"}, {"item_v"}] if flush else [{"item_u"}])
        assert hearing.saving.writing is None


async def test_a_tool_call_runs_while_more_saves_are_held_than_the_loop_has_threads(held_writes):
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(2))  # where tools run: fewer threads than writes
    pages = [RecordedPage() for _ in range(3)]
    hearings = [_hearing(page, bound=True) for page in pages]
    try:
        async with asyncio.timeout(DEADLINE_S):
            for hearing in hearings:
                await hearing.heard(added("item_u"))
            await until(lambda: len(held_writes.writes) == 3, "every call's write began")
            for event in a_tool_call():
                await hearings[0].heard(event)
            await until(lambda: ("tool_finished", "c1", "42", False) in pages[0].told, "the tool ran beside the writes")
    finally:
        held_writes.go.set()
    for hearing in hearings:
        await hearing.saving.flushed()
