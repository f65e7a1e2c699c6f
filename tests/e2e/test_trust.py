"""What a client that is not our page can reach: nothing but the events the page sends."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect

from tests.e2e.event_socket import EventSocket
from tests.e2e.test_api_rules import say, watched
from tests.e2e.test_browser import connect, mute
from tests.e2e.test_server_hears import KEEP_CHANNEL

# The helpers an attacker called by name before they were made private, with arguments that
# would have done harm: each one, had it run, changes a var the server sends back.
FORMER_HELPERS = [
    ("call_state.begin", {}),  # want_connection without the access code or any limit
    ("call_state.live_session_started", {"session_id": "live_attacker"}),
    ("call_state.follow", {"events": [{"type": "input_audio_buffer.speech_started"}]}),
    ("call_state.end", {"status": "error", "detail": "forged", "error": "forged"}),
    ("call_state.server_lost", {"call_id": "", "why": "forged"}),
    (
        "conversation_state.tool_finished",
        {"call_id": "c", "result": {"output": "x", "failed": False, "duration_ms": 1}, "context": {"notes": {"1": "x" * 1000}}},
    ),
    ("conversation_state.saved", {"conversation_id": 5, "problem": "forged"}),
    ("conversation_state.start_over", {"conversation_id": "1"}),
    ("mcp_state.asked", {"request": {"id": "r", "server_label": "s", "name": "n", "arguments": "{}"}}),
    ("insight_state.count", {"events": [{"type": "response.done", "response": {"usage": {"total_tokens": 99}}}]}),
    ("insight_state.begin_call", {"model": "forged", "transcription_model": "forged"}),
    ("server_call_state.hear", {"call_id": "rtc_forged"}),
]
CHANGED = (
    '"status_rx_state_":"connecting"',
    '"want_connection_rx_state_":true',
    "forged",
    "live_attacker",
    '"speaking_rx_state_":true',
    '"approvals_rx_state_":[{',
    '"conversation_id_rx_state_":"5"',
)


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


def _remember_schema() -> dict:
    from voice_app.realtime.example_tools import example_tools

    return next(schema for schema in example_tools.schemas() if schema["name"] == "remember")


def test_with_example_tools_off_a_tool_the_page_adds_to_its_session_does_not_run(page, app_log):
    page.add_init_script(KEEP_CHANNEL)
    watched(page, {"example_tools": False})
    mute(page)
    before = app_log.read_text().count("tool=remember")
    connect(page)
    page.evaluate(
        """(tool) => window.dataChannel.send(JSON.stringify(
        { type: "session.update", session: { type: "realtime", tools: [tool] } }))""",
        _remember_schema(),
    )
    page.wait_for_function("""() => window.receivedEvents.some((e) => e.type === "session.updated"
        && (e.session.tools || []).some((t) => t.name === "remember"))""")  # the session took it
    say(page, 'remember {"note": "the page added me"}')
    call = page.locator("[data-testid=transcript-entry][data-role=tool]").filter(has_text="remember(")
    expect(call).to_contain_text("no tool named 'remember' in this call", timeout=20_000)  # the model did call it
    log = app_log.read_text()
    assert log.count("tool=remember") == before, "it did not run"
    assert "name='remember': not one the server put in the call's session" in log


def _call_ids(page) -> list[str]:
    """The ids of the calls the page opens, as the API's Location header names them."""
    ids: list[str] = []
    page.on(
        "response",
        lambda response: (
            ids.append(response.headers["location"].rsplit("/", 1)[-1])
            if response.request.method == "POST" and response.url.endswith("/realtime/calls")
            else None
        ),
    )
    return ids


def reporting_as(page, call_id: str):
    """The page's own call goes on, but it reports `call_id` as its own (the API's Location
    header, which the page reads, rewritten)."""

    def rewritten(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "location": f"/v1/realtime/calls/{call_id}"})

    page.route("**/realtime/calls", rewritten)


def test_a_page_reporting_another_pages_call_id_gets_none_of_its_words_or_tools(browser, app_url, app_log):
    owner = browser.new_context(permissions=["microphone"]).new_page()
    owner.goto(app_url)
    owner_calls = _call_ids(owner)
    mute(owner)
    connect(owner)
    (victim,) = owner_calls

    other = browser.new_context(permissions=["microphone"]).new_page()
    reporting_as(other, victim)
    other.goto(app_url)
    mute(other)
    other.get_by_test_id("connect-button").click()
    expect(other.get_by_test_id("server-problem")).to_contain_text("not the one this server started for it")

    before = app_log.read_text().count(f"tool ran call={victim} tool=remember")
    say(owner, 'remember {"note": "my locker is 42"}')
    tool = owner.locator("[data-testid=transcript-entry][data-role=tool]").filter(has_text="remember(")
    expect(tool).to_contain_text("Noted", timeout=20_000)
    expect(owner.get_by_test_id("transcript")).to_contain_text("The tools returned", timeout=20_000)
    owner.wait_for_function("() => localStorage.getItem('voice_conversation')")  # the owner's words are saved
    log = app_log.read_text()
    assert log.count(f"tool ran call={victim} tool=remember") == before + 1, "run once, by the owner's server connection"
    assert "call not bound to its page call=" + victim in log
    assert not other.evaluate("() => localStorage.getItem('voice_conversation')"), "nothing saved into the other's history"
    assert "locker" not in other.get_by_test_id("transcript").inner_text()
    owner.context.close()
    other.context.close()


# What a hostile client may pass for any argument: no handler may fail on it.
HOSTILE = [{"x": [1]}, ["a", {"b": None}], 10**30, "²" * 30_000, None, True]  # each message under Reflex's 1 MB


def _every_reachable_event() -> list[tuple[str, list[str]]]:
    """(`module.handler`, its parameters) for each event a client can reach."""
    import inspect

    from tests.test_reachable import REACHABLE, _ours

    found = []
    for name, state in _ours().items():
        for event in sorted(REACHABLE[name] - {"connect", "prepare", "offer", "hear"}):  # each starts a call: below
            parameters = [p for p in inspect.signature(state.event_handlers[event].fn).parameters if p != "self"]
            found.append((f"{re.sub(r'(?<!^)(?=[A-Z])', '_', name).lower()}.{event}", parameters))  # CallState: call_state
    return found


async def _send_everything(url: str, events: list[tuple[str, list[str]]]) -> list[str]:
    async with EventSocket(url) as client:
        for event, parameters in events:
            for value in HOSTILE:
                await client.send(event, dict.fromkeys(parameters, value))
        for value in HOSTILE:
            await client.send("connect_state.connect", {"form_data": value})
            await client.send("live_state.offer", {"sdp": value})
            await client.send("server_call_state.hear", {"call_id": value})
        await client.send("call_state.set_draft", {"value": "still here"})
        return await client.until('"draft_rx_state_":"still here"', timeout_s=60)


def test_no_event_fails_on_arguments_the_page_would_never_send(app_url, app_log):
    before = app_log.read_text().count("Traceback")
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, _send_everything(app_url, _every_reachable_event())).result()
    log = app_log.read_text()
    assert log.count("Traceback") == before, log[-3000:]
