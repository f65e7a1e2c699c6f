"""What a client that is not our page can reach: nothing but the events the page sends."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.event_socket import EventSocket

# The helpers an attacker called by name before they were made private, with arguments that
# would have done harm: each one, had it run, changes a var the server sends back.
FORMER_HELPERS = [
    ("call_state.begin", {}),  # want_connection without the access code or any limit
    ("call_state.live_session_started", {"session_id": "live_attacker"}),
    ("call_state.follow", {"events": [{"type": "input_audio_buffer.speech_started"}]}),
    ("call_state.end", {"status": "error", "detail": "forged", "error": "forged"}),
    ("call_state.server_lost", {"call_id": "", "why": "forged"}),
    ("conversation_state.tool_finished", {"call_id": "c", "result": {"output": "x", "failed": False, "duration_ms": 1},
                                          "context": {"notes": {"1": "x" * 1000}}}),
    ("conversation_state.saved", {"conversation_id": 5, "problem": "forged"}),
    ("conversation_state.start_over", {"conversation_id": "1"}),
    ("mcp_state.asked", {"request": {"id": "r", "server_label": "s", "name": "n", "arguments": "{}"}}),
    ("insight_state.count", {"events": [{"type": "response.done", "response": {"usage": {"total_tokens": 99}}}]}),
    ("insight_state.begin_call", {"model": "forged", "transcription_model": "forged"}),
    ("server_call_state.hear", {"call_id": "rtc_forged"}),
]
CHANGED = ('"status_rx_state_":"connecting"', '"want_connection_rx_state_":true', "forged", "live_attacker",
           '"speaking_rx_state_":true', '"server_id"', '"approvals_rx_state_":[{', '"conversation_id_rx_state_":"5"')


async def _try_helpers(url: str) -> list[str]:
    async with EventSocket(url) as client:
        await client.send("call_state.set_draft", {"value": "before"})
        await client.until('"draft_rx_state_":"before"')  # a page's event does change the state
        for name, payload in FORMER_HELPERS:
            await client.send(name, payload)
        await client.send("call_state.set_draft", {"value": "after"})
        return await client.until('"draft_rx_state_":"after"')


def test_a_client_calling_the_former_helpers_by_name_gets_nothing_done(app_url, app_log):
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop may run in this one
        frames = thread.submit(asyncio.run, _try_helpers(app_url)).result()
    seen = "\n".join(frames)
    assert '"draft_rx_state_":"before"' in seen, "the positive control: what the page sends is applied and sent back"
    for change in CHANGED:
        assert change not in seen, change
    assert "rtc_forged" not in app_log.read_text()  # nothing attached to a call on its word
