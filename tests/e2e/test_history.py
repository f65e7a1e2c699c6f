"""Saved conversations: kept as they happen, back after a closed tab, listed, opened, downloaded, deleted."""

import json

from playwright.sync_api import expect

from tests.e2e.test_browser import WATCH_MICROPHONE, connect, entries, mute, offers_sent


def say(page, text):
    page.get_by_test_id("text-input").fill(text)
    page.get_by_test_id("send-button").click()
    answer = entries(page).filter(has_text=f'You wrote "{text}"').first
    expect(answer).to_have_attribute("data-status", "done", timeout=30_000)  # answered in full


def muted(page):
    mute(page)


def typed_conversation(page, *texts):
    muted(page)
    connect(page)
    for text in texts:
        say(page, text)
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")


def history(page):
    page.get_by_test_id("history-toggle").click()
    return page.get_by_test_id("history-item")


def test_a_closed_tab_loses_nothing_that_was_said(page, app_url):
    typed_conversation(page, "The door is blue")  # words that ask for no tool
    said = entries(page).all_inner_texts()
    context = page.context
    page.close()
    again = context.new_page()  # same browser, new tab: a new Reflex session, the same local storage
    again.goto(app_url)
    expect(entries(again)).to_have_count(len(said))
    assert entries(again).all_inner_texts() == said
    muted(again)
    connect(again)  # and the next call goes on with it
    say(again, "And the red one")
    assert entries(again).all_inner_texts()[: len(said)] == said


def test_history_lists_opens_downloads_and_deletes(page):
    typed_conversation(page, "First conversation about owls")
    page.get_by_test_id("new-conversation").click()
    expect(entries(page)).to_have_count(0)
    typed_conversation(page, "Second one, about bees")
    items = history(page)
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Second one, about bees")  # newest first
    expect(items.nth(1)).to_contain_text("First conversation about owls")

    items.nth(1).get_by_test_id("history-open").click()
    opened = page.get_by_test_id("history-opened")
    expect(opened).to_contain_text('You wrote "First conversation about owls"')
    expect(opened.get_by_test_id("saved-entry")).to_have_count(2)
    expect(entries(page).first).to_contain_text("Second one, about bees")  # read-only: the call's page is untouched

    with page.expect_download() as download:
        items.nth(1).get_by_test_id("history-download-json").click()
    saved = json.loads(open(download.value.path()).read())
    assert saved["title"] == "First conversation about owls"
    assert [e["role"] for e in saved["entries"]] == ["user", "assistant"]
    assert saved["usage"]["responses"] == 1 and saved["usage"]["output_tokens"] > 0
    with page.expect_download() as download:
        items.nth(1).get_by_test_id("history-download").click()
    assert "First conversation about owls" in open(download.value.path()).read()

    delete = items.nth(1).get_by_test_id("history-delete")
    delete.click()
    expect(delete).to_have_text("Really delete?")  # one press asks
    delete.click()
    expect(items).to_have_count(1)
    expect(page.get_by_test_id("history-opened")).to_have_count(0)
    expect(items.first).to_contain_text("Second one, about bees")


def test_continuing_a_saved_conversation_brings_it_back_to_the_call(page):
    typed_conversation(page, "About the lighthouse")
    page.get_by_test_id("new-conversation").click()
    items = history(page)
    items.first.get_by_test_id("history-open").click()
    page.get_by_test_id("history-continue").click()
    expect(entries(page).first).to_contain_text("About the lighthouse")
    muted(page)
    connect(page)
    say(page, "Where were we")
    expect(entries(page)).to_have_count(4)
    page.get_by_test_id("disconnect-button").click()
    page.get_by_test_id("history-toggle").click()  # closed; opening it again lists anew
    items = history(page)
    expect(items).to_have_count(1)  # the same conversation, not a copy
    expect(items.first).to_contain_text("4 entries")


def test_another_browser_sees_none_of_this_history(page, browser, app_url):
    typed_conversation(page, "Private matters")
    stranger = browser.new_context(permissions=["microphone"]).new_page()
    stranger.goto(app_url)
    expect(stranger.get_by_test_id("connect-button")).to_be_enabled()
    stranger.get_by_test_id("history-toggle").click()
    expect(stranger.get_by_test_id("history-message")).to_contain_text("No saved conversations yet")
    expect(stranger.get_by_test_id("history-item")).to_have_count(0)
    expect(entries(stranger)).to_have_count(0)
    stranger.context.close()


def test_a_reload_neither_resends_nor_complains_about_the_last_calls_messages(page):
    """The last call's client events come back with the page's state; they are history, not news."""
    typed_conversation(page, "Before the reload")
    page.reload()
    expect(entries(page)).to_have_count(2)
    history(page)  # an event queued after any the reload set off: those are handled by now
    expect(page.get_by_test_id("history-item")).to_have_count(1)
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    page.get_by_test_id("log-toggle").click()  # the next call's client events, as sent
    page.get_by_test_id("log-json").click()
    connect(page)
    say(page, "After the reload")
    sent = page.get_by_test_id("log-entry").filter(has_text="conversation.item.create")
    typed = sent.filter(has_not_text="previous_item_id")  # not the earlier turns the model is given
    expect(typed.filter(has_text="After the reload")).to_have_count(1)
    expect(typed).to_have_count(1)  # the earlier call's message was not sent again
    expect(sent.filter(has_text="previous_item_id")).to_have_count(2)  # given once: the turn, its answer


def test_a_reload_mid_call_ends_it_without_starting_another_on_the_old_secret(page):
    muted(page)
    connect(page)
    say(page, "Mid-call reload")
    offers = offers_sent(page)
    page.add_init_script(WATCH_MICROPHONE)
    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    expect(page.get_by_test_id("status-detail")).to_contain_text("The page was reloaded")
    history(page)  # an event queued after any the reload set off: those are handled by now
    expect(page.get_by_test_id("history-item")).to_have_count(1)
    assert offers == [] and page.evaluate("window.microphoneRequests") == 0
    expect(entries(page)).to_have_count(2)
