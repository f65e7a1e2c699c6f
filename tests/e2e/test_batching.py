"""The page sends Python its server events one batch at a time: the next waits until Python's
update says it handled the last, so a busy worker gets fewer, larger batches instead of a queue."""

import json
import re

from playwright.sync_api import expect

from tests.e2e.test_api_rules import say
from tests.e2e.test_browser import connect, mute
from tests.e2e.waits import until

WORDS = 200
BATCH_NUMBER = re.compile(r'"number":(\d+)')
HANDLED = re.compile(r'"handled_batch(?:_rx_state_)?":(\d+)')


def last_batch_handled(frames: list[tuple[str, str]]) -> bool:
    sent = [
        int(BATCH_NUMBER.search(text).group(1)) for direction, text in frames if direction == "sent" and ".receive_events" in text
    ]
    return bool(sent) and any(
        int(n) == sent[-1] for direction, text in frames if direction == "received" for n in HANDLED.findall(text)
    )


def test_a_fast_stream_goes_to_python_one_batch_at_a_time_and_every_word_arrives(page, control):
    frames: list[tuple[str, str]] = []  # ("sent" | "received", text), in the order the page saw them
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda text: frames.append(("sent", str(text)))),
            ws.on("framereceived", lambda text: frames.append(("received", str(text)))),
        ),
    )
    page.reload()
    control.post("/faults", json={"session": {"stream_rate": 200, "stream_count": WORDS}}).raise_for_status()
    mute(page)
    connect(page)
    say(page, "Stream")
    transcript = page.get_by_test_id("transcript")
    expect(transcript).to_contain_text(f"w{WORDS - 1}", timeout=30_000)
    shown = transcript.text_content()
    assert all(f"w{index}" in shown for index in range(WORDS)), "no word is lost on the way"
    until(page, lambda: last_batch_handled(frames), what="the last batch's acknowledgement")

    waiting, numbers = None, []
    for direction, text in frames:
        if direction == "sent" and ".receive_events" in text:
            number = int(BATCH_NUMBER.search(text).group(1))
            assert waiting is None, f"batch {number} went while batch {waiting} was not yet handled"
            waiting = number
            numbers.append(number)
            assert json.loads(text.split(",", 1)[1])[1]["payload"]["batch"], "no empty batch is sent"
        elif direction == "received" and waiting is not None:
            if any(int(n) == waiting for n in HANDLED.findall(text)):
                waiting = None
    assert waiting is None, "every batch was handled"
    assert 5 < len(numbers) < WORDS, "the stream went as several batches, fewer than its deltas"
    assert numbers == sorted(set(numbers)), "batches are numbered in order"
