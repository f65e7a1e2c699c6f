"""Accessibility as axe-core measures it (WCAG 2.1 A/AA and best practice) in Chromium: none found.

axe-core is npm's package, pinned and installed into .venv/axe by `scripts/setup --tests`.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import ROOT
from tests.e2e.test_browser import connect, entries

AXE = ROOT / ".venv/axe/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def violations(page) -> list[dict]:
    if not Path(AXE).exists():
        pytest.fail(f"No axe-core at {AXE}: run `make test-setup`.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES)
    return result["violations"]


def readable(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page):
    found = violations(page)
    assert not found, f"{len(found)} axe-core violations:\n{readable(found)}"


def test_the_idle_page_loads_whole_and_is_accessible(page, app_url):
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    page.goto(app_url)  # again, listened to from the start
    expect(page.get_by_test_id("status")).to_have_text("idle")
    expect(page.get_by_test_id("simulator-notice")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert page.request.get(f"{app_url}/favicon.ico").ok  # headless Chromium does not ask for it; browsers do
    assert_accessible(page)


# The panels' contents have settled: no opening or fading animation is running (endless ones, an
# indicator's pulse, are part of the page as it stays).
SETTLED = """() => document.getAnimations().every((a) =>
    a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_call_with_every_panel_open_is_accessible(page, color_scheme):
    page.emulate_media(color_scheme=color_scheme)  # the page follows the system's choice
    page.reload()
    connect(page)
    expect(entries(page).nth(1)).to_have_attribute("data-status", "done", timeout=30_000)
    page.get_by_test_id("log-toggle").click()
    expect(page.get_by_test_id("log-entry").first).to_be_visible()
    page.get_by_test_id("settings-toggle").click()
    expect(page.locator("textarea[name=instructions]")).to_be_visible()
    expect(page.get_by_test_id("settings-save")).to_be_visible()
    page.get_by_test_id("history-toggle").click()
    page.get_by_test_id("history-open").first.click()  # this very conversation, saved as it goes
    expect(page.get_by_test_id("saved-entry").first).to_be_visible()
    page.wait_for_function(SETTLED)
    assert_accessible(page)
