"""A call's saves (service/call_saving.py) run beside its events, one write at a time: saves asked
for while one is written become one more write, of the record as it is by then, and what changed
while a write ran is written by the next. The database is a stand-in that holds each write until
let go, and keeps what each was given."""

import asyncio
import threading

import pytest
from sqlalchemy.exc import OperationalError

from voice_app.realtime.call_record import CallRecord
from voice_app.service import call_saving, conversations
from voice_app.service.call_saving import CallSaving

DEADLINE_S = 20  # for what a quiet machine does in milliseconds


class HeldWrites:
    """`conversations.save`, each write held until `go` is set: what it was given, as it was then."""

    def __init__(self):
        self.go = threading.Event()
        self.writes: list[tuple[list[dict], set[str] | None]] = []
        self.fails = False

    def __call__(self, owner, conversation_id, entries, changed, settings, usage):
        self.writes.append(([dict(entry) for entry in entries], None if changed is None else set(changed)))
        self.go.wait(DEADLINE_S * 3)
        if self.fails:
            raise OperationalError("INSERT", {}, Exception("the database is away"))
        return 7


@pytest.fixture
def held_writes(monkeypatch):
    writes = HeldWrites()
    monkeypatch.setattr(conversations, "save", writes)
    yield writes
    writes.go.set()  # a write still held ends with the test


async def until(condition, what: str):
    """Polled, with a generous deadline (a shared machine is slow)."""
    async with asyncio.timeout(DEADLINE_S):
        while not condition():
            await asyncio.sleep(0.005)


def added(item_id: str, role: str = "user", text: str = "Hi") -> dict:
    content = [{"type": "input_text", "text": text}] if text else []
    item = {"id": item_id, "type": "message", "role": role, "content": content}
    return {"type": "conversation.item.added", "event_id": f"ev_add_{item_id}", "item": item}


def done(item_id: str, text: str) -> dict:
    item = {"id": item_id, "type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}
    return {"type": "conversation.item.done", "event_id": f"ev_done_{item_id}", "item": item}


def a_saving(told: list) -> CallSaving:
    async def tell(conversation_id, problem):
        told.append((conversation_id, problem))

    return CallSaving(tell, "rtc_test", "owner", "", {"model": "gpt-realtime-2.1"}, False)


async def test_saves_asked_for_during_a_write_become_one_write_of_the_record_as_it_is_then(held_writes):
    told: list = []
    saving, record = a_saving(told), CallRecord()
    record.take_all([added("item_u"), added("item_a", role="assistant", text="")])
    saving.ask(record)
    await until(lambda: len(held_writes.writes) == 1, "the first write began")
    record.take(done("item_a", "Hello there"))  # the answer settles while its first form is written
    saving.ask(record)
    for number in range(3):
        record.take(added(f"item_{number}"))
        saving.ask(record)
    held_writes.go.set()
    await saving.flushed()
    assert len(held_writes.writes) == 2, "one write in flight, and the rest as one more"
    (first, first_changed), (last, last_changed) = held_writes.writes
    assert first_changed == {"item_u", "item_a"} and first[1]["status"] == "in_progress"
    assert last_changed == {"item_a", "item_0", "item_1", "item_2"}, "the answer's final form is written too"
    assert last == record.transcript.entries and last[1]["text"] == "Hello there"
    assert not record.transcript.dirty and told == [(7, "")]
    assert saving.writing is None


async def test_a_failed_write_is_told_to_the_page_and_its_changes_are_written_by_the_next(held_writes):
    told: list = []
    saving, record = a_saving(told), CallRecord()
    record.take(added("item_u"))
    held_writes.fails = True
    held_writes.go.set()
    saving.ask(record)
    await saving.flushed()
    assert told == [(None, call_saving.NOT_SAVED)]
    held_writes.fails = False
    record.take(added("item_v"))
    saving.ask(record)
    await saving.flushed()
    assert held_writes.writes[-1][1] == {"item_u", "item_v"} and told[-1] == (7, "")
