"""The backend restarting mid-call."""

import pytest
from playwright.sync_api import expect

from tests.conftest import free_port
from tests.e2e.conftest import running_app
from tests.e2e.test_browser import connect, entries, hang_up
from tests.e2e.test_history import muted, say
from tests.e2e.test_memory import remembered, shown_once
from voice_app.realtime.memory import tokens_of

REBUILDS_FRONTEND = True  # its apps rebuild the shared `.web`: after the session's app is done


@pytest.fixture
def restarted(browser, tmp_path):
    """A page, and the port its backend comes back on, once per app."""
    context = browser.new_context(permissions=["microphone"])
    yield context.new_page(), free_port()
    context.close()


def test_backend_restart_mid_call_keeps_the_transcript_and_the_page_can_call_again(restarted, tmp_path):
    page, port = restarted
    with running_app(tmp_path / "before.log", port=port) as url:
        page.goto(url)
        connect(page)
        expect(entries(page)).to_have_count(2, timeout=30_000)
        # Saved from the server's own connection to the call, a moment after the page shows it.
        page.wait_for_function("() => localStorage.getItem('voice_conversation')")
    with running_app(tmp_path / "after.log", port=port):
        # Reflex reconnects by itself; the page must not claim a call that no longer exists.
        expect(page.get_by_test_id("status")).not_to_have_text("connected", timeout=30_000)
        expect(page.get_by_test_id("status")).not_to_have_text("connecting")
        expect(page.get_by_test_id("connect-button")).to_be_enabled(timeout=30_000)
        # The backend's memory is gone, the saved conversation is not: the transcript comes back.
        expect(entries(page)).to_have_count(2)
        connect(page)
        expect(entries(page)).to_have_count(4, timeout=30_000)  # and the next call continues it
        expect(entries(page).last).to_contain_text("I heard", timeout=30_000)


def test_after_a_restart_the_model_is_given_the_latest_turns_that_fit_its_budget(restarted, tmp_path):
    page, port = restarted
    with running_app(tmp_path / "before.log", port=port) as url:
        page.goto(url)
        muted(page)
        connect(page)
        say(page, "The code word is pelican")
        say(page, "The second word is lighthouse")
        hang_up(page)
        texts = [entry.locator(":scope > p").last.text_content() for entry in entries(page).all()]
    # The budget takes the last two entries (the second word and its answer), not the first two.
    assert texts[-2] == "The second word is lighthouse"
    budget = sum(tokens_of(text) for text in texts[-2:]) + 2
    with running_app(tmp_path / "after.log", port=port, APP_MEMORY_TOKENS=str(budget)):
        page.reload()  # the backend's memory is gone: the conversation comes from the database
        muted(page)
        expect(entries(page)).to_have_count(4)
        connect(page)
        expect(page.get_by_test_id("notice")).to_contain_text("the last 2 of this conversation's 4 entries")
        recalled = remembered(page)
        assert "lighthouse" in recalled and "pelican" not in recalled
        shown_once(page)
