"""The server sets a call's tools on its own connection (MCP servers on): a page changing its
settings as often as it likes makes the API list the servers' tools at most every few seconds."""

import asyncio

from voice_app.service import hearing as hearings
from voice_app.service import tool_setting


def drained(queue: asyncio.Queue) -> list[dict]:
    return [queue.get_nowait() for _ in range(queue.qsize())]


async def turns_of_the_loop() -> None:
    """A few turns of the event loop: long enough for what is scheduled at once (call_later(0))."""
    for _ in range(3):
        await asyncio.sleep(0)


async def sent_once_scheduled(hearing) -> list[list]:
    """The tools sent by the update set_tools scheduled, once it has run (polled: the machine may be slow)."""
    async with asyncio.timeout(10):
        while hearing.tools_wanted is not None:
            await asyncio.sleep(0.01)
    return [event["session"]["tools"] for event in drained(hearing.outbox)]


async def test_a_burst_of_changes_sets_the_latest_tools_once_and_an_unchanged_set_not_at_all(monkeypatch):
    monkeypatch.setattr(tool_setting, "TOOLS_EVERY_S", 0.3)
    hearing = object.__new__(hearings.Hearing)  # its tool-setting part, with no call behind it
    hearing.outbox, hearing.tools_wanted, hearing.tools_sent, hearing.tools_sent_at = asyncio.Queue(), None, None, -1.0
    for number in range(50):  # a page flipping a box on and off
        hearing.set_tools([{"type": "mcp", "server_label": "calc"}] if number % 2 else [])
    assert await sent_once_scheduled(hearing) == [[{"type": "mcp", "server_label": "calc"}]]
    hearing.set_tools([])
    hearing.set_tools([{"type": "mcp", "server_label": "calc"}])  # back to what was sent: nothing to send
    assert await sent_once_scheduled(hearing) == []  # the update ran (a period later), and sent nothing
    hearing.set_tools([])
    await turns_of_the_loop()
    assert [event["session"]["tools"] for event in drained(hearing.outbox)] == [[]]  # long after the last: at once
    last_sent_at = hearing.tools_sent_at
    hearing.set_tools([{"type": "mcp", "server_label": "calc"}])
    await turns_of_the_loop()
    assert drained(hearing.outbox) == []  # held: the last one went less than TOOLS_EVERY_S ago...
    assert await sent_once_scheduled(hearing) == [[{"type": "mcp", "server_label": "calc"}]]  # ... and sent once it passed
    assert hearing.tools_sent_at - last_sent_at >= tool_setting.TOOLS_EVERY_S
