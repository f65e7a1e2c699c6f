"""The server sets a call's tools on its own connection (MCP servers on): a page changing its
settings as often as it likes makes the API list the servers' tools at most every few seconds."""

import asyncio

from voice_app.service import hearing as hearings


def drained(queue: asyncio.Queue) -> list[dict]:
    return [queue.get_nowait() for _ in range(queue.qsize())]


async def test_a_burst_of_changes_sets_the_latest_tools_once_and_an_unchanged_set_not_at_all(monkeypatch):
    monkeypatch.setattr(hearings, "TOOLS_EVERY_S", 1.0)
    hearing = object.__new__(hearings.Hearing)  # its tool-setting part, with no call behind it
    hearing.outbox, hearing.tools_wanted, hearing.tools_sent, hearing.tools_sent_at = asyncio.Queue(), None, None, -1.0
    for number in range(50):  # a page flipping a box on and off
        hearing.set_tools([{"type": "mcp", "server_label": "calc"}] if number % 2 else [])
    await asyncio.sleep(0.05)
    assert [event["session"]["tools"] for event in drained(hearing.outbox)] == [[{"type": "mcp", "server_label": "calc"}]]
    hearing.set_tools([])
    hearing.set_tools([{"type": "mcp", "server_label": "calc"}])  # back to what was sent: nothing to send
    await asyncio.sleep(1.2)
    assert drained(hearing.outbox) == []
    hearing.set_tools([])
    await asyncio.sleep(0.05)
    assert [event["session"]["tools"] for event in drained(hearing.outbox)] == [[]]  # long after the last: at once
    hearing.set_tools([{"type": "mcp", "server_label": "calc"}])
    await asyncio.sleep(0.05)
    assert drained(hearing.outbox) == []  # held: the last one went less than TOOLS_EVERY_S ago...
    for _ in range(100):  # ... and sent once that has passed (polled: the machine may be slow)
        if not hearing.outbox.empty():
            break
        await asyncio.sleep(0.05)
    assert [event["session"]["tools"] for event in drained(hearing.outbox)] == [[{"type": "mcp", "server_label": "calc"}]]
