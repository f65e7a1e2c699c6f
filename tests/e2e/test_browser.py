"""The whole app in a real browser: Chromium's fake microphone talks to the mounted simulator."""

import os
import re
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from voice_app.components.status import SIMULATOR_ECHOES

SCREENSHOT = ROOT / "docs" / "screenshot.png"


def connect(page):
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("connected")


def mute(page):
    """Typed turns only: the fake microphone would talk over the answers. The button is on the
    page before React has wired it up, so first the page must have reached the backend (Connect
    is enabled then, or a call is already up)."""
    page.wait_for_function("""() => {
        const connect = document.querySelector("[data-testid=connect-button]");
        return (connect && !connect.disabled) || document.querySelector("[data-testid=disconnect-button]");
    }""")
    button = page.get_by_test_id("mute-button")
    if button.get_attribute("aria-pressed") != "true":
        button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def open_settings(page):
    """Once the page has reached the backend: its load events fold Settings, and one handled
    after this click would fold them again under the test."""
    expect(page.get_by_test_id("connect-button").or_(page.get_by_test_id("disconnect-button"))).to_be_enabled()
    page.get_by_test_id("settings-toggle").click()


def double_click(page, test_id: str):
    """Two clicks in one task, once the page has reached the backend: no re-render between them can
    turn the second into another button (Playwright's dblclick is several round trips to the browser,
    and a loaded machine re-renders between them)."""
    expect(page.get_by_test_id(test_id)).to_be_enabled()
    page.evaluate(
        "(id) => { const button = document.querySelector(`[data-testid=${id}]`); button.click(); button.click(); }", test_id
    )


def entries(page):
    return page.get_by_test_id("transcript-entry")


def hang_up(page):
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")


def calls(control) -> int:
    return control.get("/stats").json()["calls"]


def test_spoken_turn_shows_user_then_answer_plays_audio_and_survives_disconnect(page):
    expect(page.get_by_test_id("simulator-notice")).to_have_text(SIMULATOR_ECHOES)  # the tests' app: the ear off
    connect(page)
    expect(entries(page)).to_have_count(2, timeout=30_000)
    user, answer = entries(page).nth(0), entries(page).nth(1)
    expect(user).to_have_attribute("data-role", "user")
    expect(answer).to_have_attribute("data-role", "assistant")
    expect(user).to_contain_text(re.compile(r"\[speech, \d+\.\d s\]"))
    expect(answer).to_contain_text("I heard", timeout=30_000)
    expect(answer).to_have_attribute("data-status", "done", timeout=30_000)
    assert user.get_attribute("data-item-id") != answer.get_attribute("data-item-id")
    audio = page.get_by_test_id("remote-audio")
    expect(audio).to_have_attribute("data-bytes-received", re.compile(r"^[1-9]\d*$"), timeout=10_000)
    if os.environ.get("SCREENSHOT"):  # the README's picture: `SCREENSHOT=1 make test`
        expect(page.get_by_test_id("last-latency")).to_have_text(re.compile(r"ms$"), timeout=10_000)
        page.screenshot(path=SCREENSHOT, full_page=True)
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    expect(entries(page)).to_have_count(2)
    expect(page.get_by_test_id("transcript")).to_have_attribute("aria-live", "polite")


def test_typed_message_is_answered(page):
    connect(page)
    page.get_by_test_id("text-input").fill("What's the weather on Mars?")
    page.get_by_test_id("send-button").click()
    typed = entries(page).filter(has_text="What's the weather on Mars?").first
    expect(typed).to_have_attribute("data-role", "user")
    expect(page.get_by_test_id("text-input")).to_have_value("")
    answer = entries(page).filter(has_text="You wrote").first
    expect(answer).to_have_attribute("data-role", "assistant", timeout=30_000)
    hang_up(page)


def fail(control, fault: dict):
    """Queue a fault. A mint fault twice: the pointer on Connect has a secret minted ahead of the
    click, and a failure there only makes the click mint; an API refusing mints refuses both."""
    for _ in range(2 if "mint" in fault else 1):
        control.post("/faults", json=fault).raise_for_status()


def test_refused_mint_shows_a_clear_error_and_the_next_try_works(page, control):
    fail(control, {"mint": {"status": 401}})
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("API key was rejected (401)")
    expect(page.get_by_test_id("error-message")).not_to_contain_text("Traceback")
    connect(page)
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    hang_up(page)


@pytest.mark.parametrize(
    "fault, message",
    [
        ({"mint": {"status": 429, "retry_after": 20}}, "rate limiting this key (429): try again in 20 s"),
        ({"mint": {"status": 500}}, "unavailable right now (500)"),
        ({"mint": {"delay": 5}}, "did not answer in time"),
        ({"call": {"status": 500}}, "refused the call (500): The server had an error"),
        ({"call": {"break_dtls": True}}, "(ICE/DTLS)"),
        ({"session": {"drop_after": 2}}, "connection to the model closed"),
        ({"session": {"close_channel_after": 2}}, "connection to the model closed"),
        ({"session": {"expire_after": 2}}, "maximum duration"),
    ],
    ids=[
        "mint-429",
        "mint-500",
        "mint-timeout",
        "call-refused",
        "dtls-failed",
        "peer-went-away",
        "channel-closed",
        "session-expired",
    ],
)
def test_a_failing_call_ends_with_a_clear_message_and_keeps_nothing_open(page, control, fault, message):
    fail(control, fault)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=30_000)
    expect(page.get_by_test_id("error-message")).to_contain_text(message)
    expect(page.get_by_test_id("connect-button")).to_be_visible()
    deadline = time.monotonic() + 10
    while calls(control) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert calls(control) == 0


# Before a page's scripts: every microphone request (`window.microphoneRequests`) and every track
# it opened (`window.microphoneTracks`), to see none asked for, or all stopped.
WATCH_MICROPHONE = """{
    const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    window.microphoneRequests = 0;
    window.microphoneTracks = [];
    navigator.mediaDevices.getUserMedia = async (c) => {
        window.microphoneRequests++;
        const stream = await ask(c);
        window.microphoneTracks.push(...stream.getTracks());
        return stream;
    };
}"""


def offers_sent(page) -> list[str]:
    """The SDP offers the page posts from now on: each one starts a call at the API."""
    offers = []
    page.on(
        "request", lambda request: request.method == "POST" and "/realtime/calls" in request.url and offers.append(request.url)
    )
    return offers


def test_denied_microphone_shows_a_clear_error(page_without_microphone):
    page = page_without_microphone
    offers = offers_sent(page)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("Microphone access was denied")
    assert offers == []  # no call is started without a microphone


def test_absent_microphone_shows_a_clear_error(page_with_no_microphone_at_all):
    page = page_with_no_microphone_at_all
    offers = offers_sent(page)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("No microphone was found")
    assert offers == []


def test_settings_out_of_range_are_refused_in_python_with_a_clear_message(page):
    open_settings(page)
    page.locator("input[name=speed]").fill("9")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_have_text("The speaking speed must be between 0.25 and 1.5.")
    page.locator("input[name=speed]").fill("1.2")
    page.locator("input[name=silence_ms]").fill("")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("must be a number")


def test_double_click_makes_one_call_and_disconnect_while_connecting_makes_none(page, control):
    double_click(page, "connect-button")
    expect(page.get_by_test_id("status")).to_have_text("connected")
    assert calls(control) == 1
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    control.post("/faults", json={"mint": {"delay": 2}}).raise_for_status()
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("connecting")
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    page.wait_for_timeout(3000)  # the mint answers meanwhile; no call may follow it
    expect(page.get_by_test_id("status")).to_have_text("idle")
    assert calls(control) == 0


def test_two_visitors_have_separate_conversations(page, browser, app_url):
    other = browser.new_context(permissions=["microphone"]).new_page()
    other.goto(app_url)
    connect(page)
    expect(entries(page)).to_have_count(2, timeout=30_000)
    expect(other.get_by_test_id("status")).to_have_text("idle")
    expect(entries(other)).to_have_count(0)
    other.context.close()
    hang_up(page)


def test_non_fatal_error_is_shown_and_the_call_goes_on(page, control):
    control.post("/faults", json={"session": {"error_after": 1}}).raise_for_status()
    connect(page)
    expect(page.get_by_test_id("error-message")).to_contain_text("the session goes on")
    expect(page.get_by_test_id("status")).to_have_text("connected")
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=30_000)


def test_junk_events_are_ignored_and_the_call_goes_on(page, control):
    control.post("/faults", json={"session": {"junk": True}}).raise_for_status()
    connect(page)
    expect(entries(page)).to_have_count(2, timeout=30_000)
    expect(entries(page).nth(1)).to_contain_text("I heard")
    expect(page.get_by_test_id("status")).to_have_text("connected")


def test_connection_lost_mid_answer_keeps_the_transcript_and_reconnect_continues_it(page, control):
    control.post("/faults", json={"session": {"drop_after": 5.2}}).raise_for_status()  # the answer starts near 4.5 s
    connect(page)
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=30_000)
    expect(page.get_by_test_id("error-message")).to_contain_text("connection to the model closed")
    expect(entries(page)).to_have_count(2)
    expect(entries(page).nth(1)).to_have_attribute("data-status", re.compile("interrupted|done"))
    first_ids = [entries(page).nth(i).get_attribute("data-item-id") for i in range(2)]
    connect(page)
    expect(entries(page)).to_have_count(4, timeout=30_000)
    assert [entries(page).nth(i).get_attribute("data-item-id") for i in range(2)] == first_ids


UNPLUGGABLE = """
const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await original(constraints);
  window.__microphones = stream.getAudioTracks();
  return stream;
};
"""


def test_microphone_unplugged_mid_call_ends_it_with_a_message(browser, app_url):
    context = browser.new_context(permissions=["microphone"])
    context.add_init_script(UNPLUGGABLE)  # the test keeps a handle on the track, to unplug it
    page = context.new_page()
    page.goto(app_url)
    connect(page)
    page.evaluate("() => window.__microphones.forEach((track) => track.dispatchEvent(new Event('ended')))")
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("microphone was disconnected")
    expect(page.get_by_test_id("connect-button")).to_be_visible()
    context.close()
