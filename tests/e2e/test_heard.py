"""An answer interrupted while it plays shows the words the user never heard as not heard, and
the export and the saved conversation keep where hearing ended."""

import json

from playwright.sync_api import expect

from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_api_rules import watched
from tests.e2e.test_browser import connect, entries, mute

ASKED = "please answer with a long reply " * 6
ANSWER = f'You wrote "{ASKED.strip()}". This is the local simulator: there is no model here, so it repeats you.'
WORDS = "el => el.querySelectorAll('p')[1].textContent"  # the entry's words (the first line says who)


def test_an_interrupted_answer_shows_exports_and_saves_what_was_not_heard(page):
    watched(page)
    mute(page)  # typed turns only: the fake microphone would speak over the answer
    connect(page)
    page.get_by_test_id("text-input").fill(ASKED)
    page.get_by_test_id("send-button").click()
    interrupt = page.get_by_test_id("interrupt-button")
    expect(interrupt).to_be_enabled(timeout=20_000)
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'output_audio_buffer.started')")
    expect(entries(page).filter(has_text="You wrote").first).to_contain_text(ANSWER[-20:])  # its words come ahead of its voice
    # A duration under test: the voice plays for a while (a quarter of its 6 s), so that some of the
    # answer was heard and most was not. A slow click only makes more of it heard: up to half passes.
    page.wait_for_timeout(1500)
    interrupt.click()

    answer = entries(page).filter(has_text="You wrote").first
    expect(answer).to_have_attribute("data-status", "interrupted", timeout=20_000)
    unheard = answer.get_by_test_id("unheard")
    expect(unheard).to_have_attribute("title", "Not heard: the answer was interrupted before its voice reached these words")
    expect(unheard).to_have_css("text-decoration-line", "line-through")
    said = unheard.evaluate("el => [getComputedStyle(el, '::before').content, getComputedStyle(el, '::after').content]")
    assert said == ['" (not heard:) "', '" (end of not heard) "']  # what a screen reader reads around them
    struck = unheard.text_content()
    assert struck.strip() and ANSWER.endswith(struck)
    heard = ANSWER[: len(ANSWER) - len(struck)]
    assert heard.startswith("You wrote") and len(heard) < len(ANSWER) / 2  # the voice got about a quarter of the way
    assert answer.evaluate(WORDS) == f"{heard}{struck} (interrupted)"
    assert_accessible(page)  # greyed words keep their contrast

    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    exported = next(e for e in json.loads(open(download.value.path()).read()) if e["role"] == "assistant")
    assert exported["text"] == ANSWER and exported["heard_chars"] == len(heard)
    with page.expect_download() as download:
        page.get_by_test_id("export-markdown").click()
    assert f"{heard} ~~{struck.strip()}~~" in open(download.value.path()).read()

    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    page.get_by_test_id("history-toggle").click()
    item = page.get_by_test_id("history-item").first
    with page.expect_download() as download:
        item.get_by_test_id("history-download-json").click()
    saved = next(e for e in json.loads(open(download.value.path()).read())["entries"] if e["role"] == "assistant")
    assert (saved["text"], saved["status"], saved["heard_chars"]) == (
        ANSWER,
        "interrupted",
        len(heard),
    )  # from the server's own events
    item.get_by_test_id("history-open").click()
    expect(page.get_by_test_id("history-opened").get_by_test_id("unheard")).to_have_text(struck)
    page.reload()  # and the transcript brought back from the database shows it so too
    expect(entries(page).filter(has_text="You wrote").first.get_by_test_id("unheard")).to_have_text(struck)


def test_speaking_over_an_answer_leaves_what_was_not_heard_marked_by_the_api(page):
    connect(page)  # the fake microphone speaks every few seconds: sooner or later over an answer
    page.get_by_test_id("text-input").fill(ASKED)
    page.get_by_test_id("send-button").click()
    answer = entries(page).filter(has=page.get_by_test_id("unheard")).first
    expect(answer).to_be_visible(timeout=40_000)  # the API's own truncation: the page sent none
    struck = answer.get_by_test_id("unheard")
    expect(answer).to_have_attribute("data-role", "assistant")
    page.get_by_test_id("disconnect-button").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    exported = next(e for e in json.loads(open(download.value.path()).read()) if e["id"] == answer.get_attribute("data-item-id"))
    assert exported["text"][exported["heard_chars"] :] == struck.text_content()
    assert exported["status"] == "interrupted"
