"""A Connect that starts before the click: the pointer or the focus on Connect has the server
mint the secret, and the click uses it (one mint in all), unless the session changed since."""

import re
import time

from playwright.sync_api import expect

from tests.e2e.test_api_rules import received, watched
from tests.e2e.test_browser import connect, hang_up

MINT_AHEAD_FAILED = "mint ahead of a click failed"


def minted(control) -> int:
    return control.get("/stats").json()["minted"]


def soon(condition) -> bool:
    """`condition()` once it holds, or after 10 s."""
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def point_at_connect(page):
    """The pointer onto Connect, as a person's comes before a click."""
    button = page.get_by_test_id("connect-button")
    expect(button).to_be_enabled()  # the page has reached the backend
    button.hover()


def test_the_secret_minted_when_the_pointer_reaches_connect_starts_the_call(page, control, app_log):
    before = minted(control)
    point_at_connect(page)
    assert soon(lambda: minted(control) == before + 1)
    page.mouse.move(0, 0)
    page.get_by_test_id("connect-button").hover()  # another intent while the secret is fresh: no mint
    connect(page)  # the click comes after that intent, and waits for a mint under way
    assert minted(control) == before + 1
    assert "prepared client secret used" in app_log.read_text()
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    hang_up(page)


def test_a_voice_chosen_after_the_pointer_came_gets_a_fresh_secret(page, control):
    frames = []  # what the backend sends the page: the unused secret must never be among it
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(str(frame))))
    watched(page)
    before = minted(control)
    point_at_connect(page)
    assert soon(lambda: minted(control) == before + 1)
    page.get_by_test_id("settings-toggle").click()
    page.get_by_role("combobox", name="Voice", exact=True).click()
    page.get_by_role("option", name="cedar", exact=True).click()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    connect(page)
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'session.created')")
    assert received(page, "session.created")[0]["session"]["audio"]["output"]["voice"] == "cedar"
    assert minted(control) == before + 2
    assert len(set(re.findall(r"ek_[\w-]+", "".join(frames)))) == 1  # the call's own, only
    hang_up(page)


def test_a_failed_mint_ahead_of_the_click_shows_nothing_and_the_click_mints(page, control, app_log):
    control.post("/faults", json={"mint": {"status": 500}}).raise_for_status()
    before, failures = minted(control), app_log.read_text().count(MINT_AHEAD_FAILED)
    point_at_connect(page)
    assert soon(lambda: not control.get("/stats").json()["pending"]["mint"])  # the mint ahead took the fault
    assert minted(control) == before
    # The state has had the failure: whatever it would wrongly show is on its way with this line.
    assert soon(lambda: app_log.read_text().count(MINT_AHEAD_FAILED) == failures + 1)
    expect(page.get_by_test_id("status")).to_have_text("idle")
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    connect(page)
    assert minted(control) == before + 1
    hang_up(page)


def test_the_keyboards_focus_on_connect_mints_ahead_too(page, control):
    before = minted(control)
    expect(page.get_by_test_id("connect-button")).to_be_enabled()
    page.get_by_test_id("mute-button").focus()
    page.keyboard.press("Shift+Tab")  # onto Connect, as a keyboard user goes
    expect(page.get_by_test_id("connect-button")).to_be_focused()
    assert soon(lambda: minted(control) == before + 1)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("status")).to_have_text("connected")
    assert minted(control) == before + 1
    hang_up(page)
