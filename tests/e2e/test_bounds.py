"""A client on Reflex's event socket that is not our page: what it sends is cut to size, and the
worker goes on serving everyone else."""

import asyncio
import json
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import websockets
from playwright.sync_api import expect

from tests.e2e.test_browser import connect, mute
from tests.e2e.test_history import say
from tests.e2e.waits import until
from voice_app.realtime import bounds

EVENT_PACKET = "42/_event,"
TRANSCRIPT = re.compile(r'"transcript(?:_rx_state_)?":(\[.*?\])(?=,"[a-z_]+(?:_rx_state_)?":|\})')


def recorded_event_packet(page) -> str:
    """One receive_events packet our page sent: its shape, for a client that is not the page."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda text: frames.append(str(text))))
    page.reload()
    mute(page)
    connect(page)

    def packets() -> list[str]:
        return [f for f in frames if f.startswith(EVENT_PACKET) and ".receive_events" in f]

    until(page, packets, what="a receive_events packet")
    return packets()[0]


def packet(template: str, batch: list[dict], number: int) -> str:
    body = json.loads(template.removeprefix(EVENT_PACKET))
    body[1]["payload"] = {"batch": batch, "number": number}
    return EVENT_PACKET + json.dumps(body)


def added(n: int, words: str) -> dict:
    item = {
        "id": f"item_flood{n}",
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": words}],
    }
    return {"type": "conversation.item.added", "event_id": f"event_flood{n}", "item": item, "previous_item_id": None}


async def flood(url: str, template: str) -> tuple[int, bool, int]:
    """Batches past every limit; returns the longest transcript and live text the state sent back,
    and whether it said the conversation is full."""
    longest, full, live = 0, False, 0
    async with websockets.connect(
        f"{url.replace('http', 'ws')}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}", max_size=None
    ) as socket:
        await socket.send("40/_event,")
        events = [added(n, "word " * 20) for n in range(3 * bounds.MAX_ENTRIES)]
        step = 2 * bounds.MAX_BATCH_EVENTS  # each batch twice what a batch may hold
        for number, start in enumerate(range(0, len(events), step), start=1):
            await socket.send(packet(template, events[start : start + step], number))
        huge = {
            "type": "response.output_audio_transcript.delta",
            "event_id": "event_huge",
            "item_id": "item_flood0",
            "delta": "x" * 500_000,
        }
        await socket.send(packet(template, [huge], 999))
        try:
            while True:
                message = await asyncio.wait_for(socket.recv(), 20)
                if message == "2":
                    await socket.send("3")
                for found in TRANSCRIPT.findall(message):
                    longest = max(longest, len(json.loads(found)))
                full = full or "has reached" in message
                live = max(live, *(len(m) for m in re.findall(r"x{1000,}", message)), 0)
                if '"handled_batch_rx_state_":999' in message:
                    break
        except TimeoutError:
            pass
    return longest, full, live


def test_a_flood_on_the_event_socket_is_cut_to_size_and_the_app_goes_on(page, app_url):
    template = recorded_event_packet(page)
    with ThreadPoolExecutor(1) as thread:  # Playwright's own loop runs in this one
        longest, full, live = thread.submit(asyncio.run, flood(app_url, template)).result()
    assert longest == bounds.MAX_ENTRIES, "the transcript stops at its limit"
    assert full, "and says so"
    assert live <= bounds.MAX_TEXT_CHARS, "a streaming text stops at its limit"
    assert httpx.get(f"{app_url}/ping", timeout=5).status_code == 200
    say(page, "Still answering")  # the real page's call goes on
    expect(page.get_by_test_id("error-message")).to_have_count(0)
