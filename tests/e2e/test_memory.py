"""The model remembers: a new call for a conversation with entries is given them first."""

from playwright.sync_api import expect

from tests.e2e.test_browser import connect, entries, hang_up
from tests.e2e.test_history import history, muted, say

RECALL = "What do you remember?"


def remembered(page) -> str:
    """What the (simulated) model says it holds of the conversation."""
    answers = entries(page).filter(has_text="I remember")
    before = answers.count()
    page.get_by_test_id("text-input").fill(RECALL)
    page.get_by_test_id("send-button").click()
    expect(answers).to_have_count(before + 1, timeout=30_000)
    expect(answers.last).to_have_attribute("data-status", "done", timeout=30_000)
    return answers.last.text_content()


def shown_once(page):
    ids = [entry.get_attribute("data-item-id") for entry in entries(page).all()]
    assert len(ids) == len(set(ids)), f"an entry is shown twice: {ids}"


def test_a_code_word_is_remembered_after_disconnect_reload_and_continue(page):
    muted(page)
    connect(page)
    say(page, "The code word is pelican")
    assert "The code word is pelican" in remembered(page)  # in the same call, of course
    hang_up(page)

    connect(page)  # after Disconnect and Connect
    expect(page.get_by_test_id("notice")).to_contain_text("The model remembers this conversation")
    assert "The code word is pelican" in remembered(page)
    shown_once(page)
    hang_up(page)

    page.reload()  # after a reload
    muted(page)
    connect(page)
    assert "The code word is pelican" in remembered(page)
    hang_up(page)

    page.get_by_test_id("new-conversation").click()  # after "Continue it" from History
    expect(entries(page)).to_have_count(0)
    connect(page)
    assert "nothing" in remembered(page), "a new conversation starts with nothing"
    hang_up(page)
    items = history(page)
    items.filter(has_text="pelican").first.get_by_test_id("history-open").click()
    page.get_by_test_id("history-continue").click()
    connect(page)
    assert "The code word is pelican" in remembered(page)
    shown_once(page)


def test_a_code_word_is_remembered_after_the_session_expires(page, control):
    muted(page)
    connect(page)
    say(page, "The code word is heron")
    control.post("/faults", json={"session": {"expire_after": 1}}).raise_for_status()  # the next session's
    hang_up(page)
    connect(page)
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=20_000)  # its 60 minutes, shortened
    connect(page)
    assert "The code word is heron" in remembered(page)
    shown_once(page)


def test_a_conversation_the_api_refuses_to_take_is_said_and_the_call_goes_on(page, control):
    muted(page)
    connect(page)
    say(page, "The code word is ibis")
    hang_up(page)
    control.post("/faults", json={"session": {"refuse_inserts": True}}).raise_for_status()
    connect(page)
    expect(page.get_by_test_id("error-message")).to_contain_text("could not be given the earlier conversation")
    expect(page.get_by_test_id("status")).to_have_text("connected")
    assert "nothing" in remembered(page), "the call is usable, without the memory"
    shown_once(page)
