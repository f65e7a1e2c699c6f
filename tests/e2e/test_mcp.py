"""MCP servers end to end: the app started with the operator's servers (pointing at a local MCP
server), the user turns them on in Settings, and a typed turn calls a server's tool; with approval
required, the page asks and the answer decides. The servers' token never reaches the page."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import running_app
from tests.e2e.test_browser import connect, entries, mute

REBUILDS_FRONTEND = True  # its app rebuilds the shared `.web`: after the session's app is done


@pytest.fixture(scope="module")
def mcp_app(mcp_server, tmp_path_factory):
    url, token = mcp_server
    headers = {"Authorization": f"Bearer {token}"}
    servers = [{"label": "calc", "url": url, "headers": headers, "allowed_tools": ["add"], "require_approval": "never"},
               {"label": "guarded", "url": url, "headers": headers, "allowed_tools": ["multiply"]}]
    with running_app(tmp_path_factory.mktemp("mcp") / "reflex.log", APP_MCP_SERVERS=json.dumps(servers)) as app_url:
        yield app_url, token


@pytest.fixture
def mcp_page(browser, mcp_app):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.frames_seen = []  # what the page's websocket carried, both ways
    page.on("websocket", lambda ws: (ws.on("framesent", lambda text: page.frames_seen.append(str(text))),
                                     ws.on("framereceived", lambda text: page.frames_seen.append(str(text)))))
    page.goto(mcp_app[0])
    yield page
    context.close()


def turn_on_servers(page):
    page.get_by_test_id("settings-toggle").click()
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
