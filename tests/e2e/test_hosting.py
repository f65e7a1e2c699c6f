"""Hosted with a real key: an access code, limits, and the key never reaching a browser.

The app runs as in production, with OPENAI_API_KEY set and OPENAI_BASE_URL pointing at a
standalone simulator, so every request takes the same path it takes to OpenAI.
"""

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import NO_SPEECH, ROOT, standalone_simulator
from tests.e2e.conftest import running_app
from tests.e2e.event_socket import EventSocket
from tests.e2e.test_browser import WATCH_MICROPHONE, entries

REBUILDS_FRONTEND = True  # its apps rebuild the shared `.web`: after the session's app is done

KEY = "sk-test-NEVER-IN-A-BROWSER-0123456789abcdef"
CODE = "correct horse battery staple"


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("hosted") / "reflex.log"
    with standalone_simulator(options=NO_SPEECH) as (simulator_url, _, _log):
        with running_app(
            log_path,
            OPENAI_API_KEY=KEY,
            OPENAI_BASE_URL=simulator_url + "/v1",
            APP_ACCESS_CODE=CODE,
            APP_MAX_CONCURRENT_CALLS="1",
            APP_MAX_CALL_MINUTES="0.25",
            REFLEX_TRUSTED_PROXY_HOPS="1",
        ) as url:  # behind one proxy: X-Forwarded-For names the client
            yield url, log_path, simulator_url


@pytest.fixture
def hosted_page(browser, hosted):
    context = browser.new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def enter(page, code):
    page.get_by_test_id("access-code").fill(code)
    page.get_by_test_id("connect-button").click()


def test_access_code_is_asked_for_and_checked(hosted_page, hosted):
    page = hosted_page
    page.goto(hosted[0])
    expect(page.get_by_test_id("simulator-notice")).to_have_count(0)
    enter(page, "open sesame")
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("access code is not right")
    enter(page, CODE)
    expect(page.get_by_test_id("status")).to_have_text("connected")
    page.get_by_test_id("disconnect-button").click()


def test_a_refused_connect_releases_the_microphone_it_started_at_the_click(hosted_page, hosted):
    page = hosted_page
    page.add_init_script(WATCH_MICROPHONE)
    page.goto(hosted[0])
    enter(page, "wrong code")
    expect(page.get_by_test_id("error-message")).to_contain_text("access code is not right")
    page.wait_for_function("() => window.microphoneTracks.length > 0")  # the click started it at once
    page.wait_for_function("() => window.microphoneTracks.every((t) => t.readyState === 'ended')", timeout=10_000)
    enter(page, CODE)  # and the next click still makes a call
    expect(page.get_by_test_id("status")).to_have_text("connected")
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")


def test_a_second_call_beyond_the_cap_is_refused_with_a_reason(hosted_page, browser, hosted):
    first = hosted_page
    first.goto(hosted[0])
    enter(first, CODE)
    expect(first.get_by_test_id("status")).to_have_text("connected")
    second = browser.new_context(permissions=["microphone"]).new_page()
    second.goto(hosted[0])
    enter(second, CODE)
    expect(second.get_by_test_id("error-message")).to_contain_text("limit of simultaneous calls")
    first.get_by_test_id("disconnect-button").click()
    expect(first.get_by_test_id("status")).to_have_text("idle")
    enter(second, CODE)  # the slot is free again
    expect(second.get_by_test_id("status")).to_have_text("connected")
    second.get_by_test_id("disconnect-button").click()
    expect(second.get_by_test_id("status")).to_have_text("idle")
    second.context.close()


def test_the_api_key_never_reaches_the_browser_or_the_logs(hosted_page, hosted):
    page = hosted_page
    seen: list[str] = []
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framereceived", lambda frame: seen.append(str(frame))),
            ws.on("framesent", lambda frame: seen.append(str(frame))),
        ),
    )
    bodies: list[str] = []
    page.on(
        "response",
        lambda response: (
            bodies.append(response.text())
            if response.request.resource_type in ("document", "script", "stylesheet", "fetch", "xhr") and response.ok
            else None
        ),
    )
    page.goto(hosted[0])
    enter(page, CODE)
    expect(page.get_by_test_id("status")).to_have_text("connected")
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=30_000)  # a whole spoken turn
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    assert len(seen) > 10 and any("ek_" in frame for frame in seen)  # the client secret does travel, by design
    assert len(bodies) > 3
    for text in seen + bodies + [page.content()]:
        assert KEY not in text and KEY[8:] not in text
    built = [p for p in (ROOT / ".web" / "build" / "client").rglob("*") if p.is_file() and p.suffix in (".js", ".html", ".json")]
    assert built and not [p for p in built if KEY in p.read_text(errors="ignore")]
    log = Path(hosted[1]).read_text()
    assert "client secret minted" in log and "call ended" in log
    assert KEY not in log and not re.search(r"ek_[A-Za-z0-9_-]{6,}", log)


def test_a_call_is_hung_up_at_the_length_limit_and_its_slot_freed(hosted_page, hosted):
    page = hosted_page
    page.goto(hosted[0])
    enter(page, CODE)
    expect(page.get_by_test_id("status")).to_have_text("connected")
    expect(page.get_by_test_id("error-message")).to_contain_text("limit of 15 seconds", timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("error")
    assert entries(page).count() >= 2  # what was said stays
    enter(page, CODE)  # the slot was given back
    expect(page.get_by_test_id("status")).to_have_text("connected")
    page.get_by_test_id("disconnect-button").click()


def connected(page, url: str, *scripts: str):
    """The page, with these scripts run before its own, in a call."""
    for script in scripts:
        page.add_init_script(script)
    page.goto(url)
    enter(page, CODE)
    expect(page.get_by_test_id("status")).to_have_text("connected")


def live(simulator_url: str, kind: str = "calls") -> int:
    """How many calls (or live_sessions) the simulator holds."""
    return httpx.get(f"{simulator_url}/control/stats").json()[kind]


# A page that never runs its own hang-up timer, as a hostile or broken client would.
IGNORES_THE_LIMIT = "const t = window.setTimeout; window.setTimeout = (f, ms, ...a) => ms >= 10000 ? 0 : t(f, ms, ...a);"


def test_the_server_hangs_up_a_call_whose_page_ignores_the_limit(hosted_page, hosted):
    url, log_path, simulator_url = hosted
    page = hosted_page
    connected(page, url, IGNORES_THE_LIMIT)
    assert live(simulator_url) == 1
    # 15 s limit, then the server's next sweep (every 5 s) ends the call at the API.
    expect(page.get_by_test_id("error-message")).to_contain_text("connection to the model closed", timeout=40_000)
    expect(page.get_by_test_id("status")).to_have_text("error")
    assert live(simulator_url) == 0
    assert re.search(r"call hung up by the server call=rtc_\S+ reason=the length limit", Path(log_path).read_text())


def test_the_server_closes_a_gpt_live_session_whose_page_ignores_the_limit(hosted_page, hosted):
    """With the key, through the API's own path: the server starts the session, attaches to it, and
    closes it with `session.close` on its own connection at the length limit."""
    url, log_path, simulator_url = hosted
    page = hosted_page
    connected(page, url, IGNORES_THE_LIMIT, "localStorage.setItem('voice_settings', JSON.stringify({engine: 'live'}))")
    assert live(simulator_url, "live_sessions") == 1
    expect(page.get_by_test_id("error-message")).to_contain_text("closed by the server", timeout=40_000)
    expect(page.get_by_test_id("status")).to_have_text("error")
    assert live(simulator_url, "live_sessions") == 0
    log = Path(log_path).read_text()
    assert re.search(r"session closed by the server session=live_\S+ reason=the length limit", log) and KEY not in log


# A page that keeps its peer connection after Disconnect, as a hostile client would.
KEEPS_ITS_CALL = "RTCPeerConnection.prototype.close = function () { window.keptPeers = (window.keptPeers || 0) + 1; };"


def test_a_page_that_keeps_its_call_after_disconnect_has_it_hung_up_by_the_server(hosted_page, hosted):
    url, log_path, simulator_url = hosted
    page = hosted_page
    connected(page, url, KEEPS_ITS_CALL)
    assert live(simulator_url) == 1
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    assert page.evaluate("() => window.keptPeers") >= 1  # the page's own hang-up did nothing
    deadline = time.monotonic() + 15
    while live(simulator_url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert live(simulator_url) == 0, "the server hung the call up itself"
    assert re.search(r"call hung up by the server call=rtc_\S+ reason=the page left the call", Path(log_path).read_text())
    enter(page, CODE)  # its slot was freed once the call was over: the cap of one lets the next in
    expect(page.get_by_test_id("status")).to_have_text("connected")
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")


async def _guess(url: str, address: str, code: str) -> str:
    """A Connect with this code from a fresh browser session, as seen from `address`: what the page is told."""
    async with EventSocket(url, headers={"X-Forwarded-For": address}) as client:
        await client.send("connect_state.connect", {"form_data": {"access_code": code}})
        frames = await client.until("access code")
    return re.search(r'"error_message_rx_state_":"([^"]*)"', "".join(frames)).group(1)


def test_wrong_codes_are_counted_per_address_so_fresh_sessions_buy_no_more_guesses(hosted_page, hosted):
    url = hosted[0]
    guesses = [f"guess {n}" for n in range(6)] + [CODE]
    with ThreadPoolExecutor(1) as thread:  # Playwright's loop runs in this one
        told = [thread.submit(asyncio.run, _guess(url, "192.0.2.10", code)).result() for code in guesses]
    assert all("access code is not right" in answer for answer in told[:5])
    assert "Too many wrong access codes from your network" in told[5]  # a new session each time changed nothing
    assert "Too many wrong access codes from your network" in told[6]  # not even the right code, for now
    page = hosted_page  # another address (this socket's own) is not locked out
    page.goto(url)
    enter(page, CODE)
    expect(page.get_by_test_id("status")).to_have_text("connected")
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
