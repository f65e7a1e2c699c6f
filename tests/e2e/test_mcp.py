"""MCP servers end to end: the app started with the operator's servers (pointing at a local MCP
server), the user turns them on in Settings, and a typed turn calls a server's tool; with approval
required, the page asks and the answer decides. The servers' token never reaches the page."""

import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import running_app
from tests.e2e.test_browser import connect, entries, hang_up, mute, open_settings

REBUILDS_FRONTEND = True  # its app rebuilds the shared `.web`: after the session's app is done


@pytest.fixture(scope="module")
def mcp_log(tmp_path_factory):
    return tmp_path_factory.mktemp("mcp") / "reflex.log"


@pytest.fixture(scope="module")
def mcp_app(mcp_server, mcp_log):
    url, token = mcp_server
    headers = {"Authorization": f"Bearer {token}"}
    servers = [
        {"label": "calc", "url": url, "headers": headers, "allowed_tools": ["add"], "require_approval": "never"},
        {"label": "guarded", "url": url, "headers": headers, "allowed_tools": ["multiply"], "gpt_live": True},
    ]
    with running_app(mcp_log, APP_MCP_SERVERS=json.dumps(servers), VOICE_SIMULATOR_FAULTS="1") as app_url:
        yield app_url, token


@pytest.fixture
def mcp_page(browser, mcp_app):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.frames_seen = []  # what the page's websocket carried, both ways
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda text: page.frames_seen.append(str(text))),
            ws.on("framereceived", lambda text: page.frames_seen.append(str(text))),
        ),
    )
    page.goto(mcp_app[0])
    yield page
    context.close()


def turn_on_servers(page):
    open_settings(page)
    boxes = page.get_by_test_id("mcp-server")
    expect(boxes).to_have_count(2)
    for index in range(2):
        boxes.nth(index).click()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    mute(page)
    connect(page)
    expect(entries(page).filter(has_text="calc tools: add")).to_have_count(1)
    expect(entries(page).filter(has_text="guarded tools: multiply")).to_have_count(1)


def say(page, text: str):
    page.get_by_test_id("text-input").fill(text)
    page.get_by_test_id("send-button").click()


def test_a_typed_turn_calls_the_servers_tool_and_the_token_stays_on_the_server(mcp_page, mcp_app):
    turn_on_servers(mcp_page)
    say(mcp_page, 'add {"a": 2, "b": 3}')
    call = entries(mcp_page).filter(has_text='calc.add({"a": 2, "b": 3}) → 5')
    expect(call).to_have_count(1)
    expect(call).to_have_attribute("data-role", "tool")
    token = mcp_app[1]
    assert token not in mcp_page.content()
    assert token not in mcp_page.evaluate("() => JSON.stringify(localStorage)")
    assert mcp_page.frames_seen and not [frame for frame in mcp_page.frames_seen if token in frame]


def test_approval_is_asked_in_the_page_and_the_answer_decides(mcp_page):
    turn_on_servers(mcp_page)
    say(mcp_page, 'multiply {"a": 4, "b": 5}')
    asked = mcp_page.get_by_test_id("mcp-approval")
    expect(asked).to_contain_text("guarded")
    expect(asked).to_contain_text("multiply")
    expect(mcp_page.get_by_test_id("mcp-approval-arguments")).to_contain_text('"a": 4')
    mcp_page.get_by_test_id("mcp-approve").click()
    expect(entries(mcp_page).filter(has_text='guarded.multiply({"a": 4, "b": 5}) → 20')).to_have_count(1)
    expect(entries(mcp_page).filter(has_text="· approved")).to_have_count(1)
    expect(asked).to_have_count(0)

    say(mcp_page, 'multiply {"a": 6, "b": 7}')
    expect(mcp_page.get_by_test_id("mcp-approval")).to_contain_text('"a": 6')
    mcp_page.get_by_test_id("mcp-decline").click()
    expect(entries(mcp_page).filter(has_text="it was declined")).to_have_count(1)
    expect(entries(mcp_page).filter(has_text="· declined")).to_have_count(1)
    expect(entries(mcp_page).filter(has_text="→ 42")).to_have_count(0)


def test_an_approval_given_while_a_response_is_under_way_is_carried_out_once(mcp_page, mcp_app):
    """The simulator's busy_before fault: a response begins just as the approval reaches the
    call, so the server's first answer is refused; it asks again once that response is done."""
    import httpx

    httpx.post(
        f"{mcp_app[0]}/simulator/control/faults", json={"session": {"busy_before": ["mcp_approval_response"]}}
    ).raise_for_status()
    turn_on_servers(mcp_page)
    say(mcp_page, 'multiply {"a": 4, "b": 5}')
    expect(mcp_page.get_by_test_id("mcp-approval")).to_contain_text("multiply")
    before = len(mcp_page.frames_seen)
    mcp_page.get_by_test_id("mcp-approve").click()
    expect(entries(mcp_page).filter(has_text="already answering something else")).to_have_count(1)
    expect(entries(mcp_page).filter(has_text='guarded.multiply({"a": 4, "b": 5}) → 20')).to_have_count(1)
    expect(mcp_page.get_by_test_id("error-message")).to_have_count(0)
    # The server asked again, not the page: the refusal named an event of the server's connection.
    assert not [frame for frame in mcp_page.frames_seen[before:] if re.search(r'response\.create\\*"', frame)]


@pytest.fixture
def internal_address():
    """A server on loopback that stands for an address inside the operator's network: it counts
    what reaches it."""
    import http.server
    import threading

    hits: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/mcp", hits
    server.shutdown()


def test_the_mounted_simulator_reaches_no_mcp_server_the_operator_did_not_list(mcp_page, internal_address):
    from tests.e2e.test_api_rules import WATCH_DATA_CHANNEL, received
    from tests.e2e.test_server_hears import KEEP_CHANNEL

    url, hits = internal_address
    page = mcp_page
    page.add_init_script(KEEP_CHANNEL)
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.reload()
    mute(page)
    connect(page)
    tool = {"type": "mcp", "server_label": "internal", "server_url": url, "require_approval": "never"}
    page.evaluate(
        """(tool) => window.dataChannel.send(JSON.stringify(
        { type: "session.update", session: { type: "realtime", tools: [tool] } }))""",
        tool,
    )
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'mcp_list_tools.failed')")
    assert hits == [], "nothing was sent to an address the operator did not list"
    assert any(
        "not among the MCP servers allowed here" in (event.get("error") or {}).get("message", "")
        for event in received(page, "error")
    )


def test_a_page_reporting_another_pages_call_id_is_asked_none_of_its_approvals(mcp_page, browser, mcp_app):
    from tests.e2e.test_trust import _call_ids, reporting_as

    owner_calls = _call_ids(mcp_page)
    turn_on_servers(mcp_page)
    (victim,) = owner_calls
    other = browser.new_context(permissions=["microphone"]).new_page()
    reporting_as(other, victim)
    other.goto(mcp_app[0])
    mute(other)
    other.get_by_test_id("connect-button").click()
    expect(other.get_by_test_id("server-problem")).to_contain_text("not the one this server started for it")
    say(mcp_page, 'multiply {"a": 4, "b": 5}')
    expect(mcp_page.get_by_test_id("mcp-approval")).to_contain_text("multiply")  # asked of the call's own page
    expect(other.get_by_test_id("mcp-approval")).to_have_count(0)
    mcp_page.get_by_test_id("mcp-approve").click()  # and its own answer still reaches its call
    expect(entries(mcp_page).filter(has_text='guarded.multiply({"a": 4, "b": 5}) → 20')).to_have_count(1)
    other.context.close()


def test_example_tools_turned_off_mid_call_with_servers_on_are_set_by_the_servers_connection(mcp_page):
    """The page may not send the servers' entries (they hold the operator's headers), so the
    server's own connection sets the call's tools: the example tools go, the servers' stay."""
    turn_on_servers(mcp_page)
    say(mcp_page, "recall")
    recalls = entries(mcp_page).filter(has_text="recall(")
    expect(recalls).to_have_count(1)  # an example tool, while they are on
    mcp_page.get_by_role("checkbox", name="Example tools (time, calculator, note pad)").click()
    mcp_page.get_by_test_id("settings-save").click()
    expect(mcp_page.get_by_test_id("settings-message")).to_have_text("Applied to this call.")
    say(mcp_page, 'add {"a": 1, "b": 1}')
    expect(entries(mcp_page).filter(has_text='calc.add({"a": 1, "b": 1}) → 2')).to_have_count(1)  # a server's tool stays
    say(mcp_page, "recall")
    expect(entries(mcp_page).filter(has_text='You wrote "recall"')).to_have_count(1)  # answered in words
    expect(recalls).to_have_count(1)  # and not called: the model no longer has it


def test_with_gpt_live_the_servers_tool_is_asked_for_approved_called_and_saved(mcp_page, mcp_app, mcp_log):
    from tests.e2e.test_live import by_role, eventually
    from tests.e2e.test_server_hears import saved_conversation

    app_url, token = mcp_app
    httpx.post(
        f"{app_url}/simulator/control/faults", json={"session": {"heard": ['multiply {"a": 4, "b": 5}']}}
    ).raise_for_status()
    mcp_page.evaluate("() => localStorage.setItem('voice_settings', JSON.stringify({engine: 'live', mcp_servers: ['guarded']}))")
    mcp_page.reload()
    expect(mcp_page.get_by_test_id("live-note")).to_be_visible()
    connect(mcp_page)
    asked = mcp_page.get_by_test_id("mcp-approval")
    expect(asked).to_contain_text("multiply", timeout=30_000)
    expect(entries(mcp_page).filter(has_text="guarded tools: multiply")).to_have_count(1)
    mcp_page.get_by_test_id("mcp-approve").click()
    expect(entries(mcp_page).filter(has_text='guarded.multiply({"a": 4, "b": 5}) → 20')).to_have_count(1, timeout=30_000)
    expect(entries(mcp_page).filter(has_text="· approved")).to_have_count(1)
    expect(by_role(mcp_page, "assistant").filter(has_text="The tools returned: 20.")).to_be_visible(timeout=30_000)
    assert mcp_page.frames_seen and not [frame for frame in mcp_page.frames_seen if token in frame]
    hang_up(mcp_page)
    assert eventually(
        lambda: (
            {"· approved", "→ 20"}
            <= {mark for text in saved_conversation(mcp_log, mcp_page)[1] for mark in ("· approved", "→ 20") if mark in text}
        ),
        20,
    )
