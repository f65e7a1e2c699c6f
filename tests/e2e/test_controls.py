"""Controls and insight in the browser, against the simulator mounted in the app."""

import json
import re

from playwright.sync_api import expect

from tests.e2e.test_api_rules import WATCH_DATA_CHANNEL, received, say
from tests.e2e.test_browser import connect, entries, mute, open_settings
from tests.e2e.waits import WATCH_PEERS, send_audio_for

HOSTILE = 'He said "hi" \\ back\\slash </script><script>alert(1)</script> ${x} `y` 😀🎙️ ' + "x" * 3900


def figure(page, test_id) -> str:
    return page.get_by_test_id(test_id).inner_text()


def test_hostile_text_arrives_intact_and_is_answered(page):
    mute(page)  # or the fake microphone's voice interrupts the answer
    connect(page)
    page.get_by_test_id("text-input").fill(HOSTILE)
    page.get_by_test_id("send-button").click()
    user = entries(page).filter(has_text="back\\slash").first
    expect(user).to_have_attribute("data-role", "user")
    assert HOSTILE in user.inner_text()
    answer = entries(page).filter(has_text="You wrote").first
    expect(answer).to_contain_text("</script><script>alert(1)</script>", timeout=30_000)
    assert page.evaluate("() => window.__hacked === undefined")


def test_muted_microphone_sends_silence_until_unmuted_by_key(page):
    page.add_init_script(WATCH_PEERS)
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.reload()
    mute(page)
    expect(page.get_by_test_id("mute-button")).to_have_attribute("aria-pressed", "true")
    connect(page)
    send_audio_for(page, 7)  # the fake microphone says its sentence once in 6 s
    # The simulator has been given the whole sentence; a typed turn after it, answered, is later
    # still: speech it had heard would have been reported before that answer.
    say(page, "A marker turn")
    expect(entries(page).filter(has_text="You wrote")).to_have_count(1, timeout=20_000)
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'response.done')")
    assert received(page, "input_audio_buffer.speech_started") == []
    expect(entries(page)).to_have_count(2)  # the marker and its answer
    page.keyboard.press("m")
    expect(page.get_by_test_id("mute-button")).to_have_attribute("aria-pressed", "false")
    expect(entries(page).nth(2)).to_have_attribute("data-role", "user", timeout=20_000)


def test_interrupt_stops_the_answer_and_marks_it(page):
    connect(page)
    page.get_by_test_id("text-input").fill("Tell me a long story")
    page.get_by_test_id("send-button").click()
    interrupt = page.get_by_test_id("interrupt-button")
    expect(interrupt).to_be_enabled(timeout=20_000)
    answer = entries(page).filter(has_text="You wrote").first
    expect(answer).to_be_visible()  # the answer is on the page: the click interrupts it, not what comes before
    interrupt.click()
    expect(answer).to_have_attribute("data-status", "interrupted", timeout=20_000)
    expect(answer).to_contain_text("(interrupted)")
    expect(interrupt).to_be_disabled()


def test_push_to_talk_turn(page, app_url):
    page.add_init_script(WATCH_PEERS)
    page.evaluate("() => localStorage.setItem('voice_settings', JSON.stringify({turn_detection: 'push_to_talk'}))")
    page.reload()
    connect(page)
    button = page.get_by_test_id("push-to-talk-button")
    button.hover()
    page.mouse.down()
    expect(button).to_contain_text("Release to send")
    # A duration under test: the button held while the fake microphone says its whole sentence,
    # measured in the audio the page has sent, not in wall time.
    send_audio_for(page, 6.5)
    page.mouse.up()
    expect(entries(page).nth(0)).to_have_attribute("data-role", "user", timeout=20_000)
    expect(entries(page).nth(0)).to_contain_text(re.compile(r"\[speech, \d"))
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=20_000)
    expect(entries(page).nth(1)).to_have_attribute("data-status", "done", timeout=20_000)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus off any input: Space is a shortcut
    page.keyboard.down(" ")
    expect(button).to_contain_text("Release to send")
    send_audio_for(page, 6.5)
    page.keyboard.up(" ")
    expect(entries(page)).to_have_count(4, timeout=20_000)
    expect(entries(page).nth(3)).to_contain_text("I heard", timeout=20_000)


def test_settings_change_mid_call_reaches_the_session(page):
    connect(page)
    page.get_by_test_id("log-toggle").click()
    page.get_by_test_id("settings-toggle").click()
    page.locator("textarea[name=instructions]").fill("Answer like a pirate.")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Applied to this call")
    page.get_by_test_id("log-filter").fill("session.updated")
    page.get_by_test_id("log-json").click()
    confirmed = page.get_by_test_id("log-entry").filter(has_text="Answer like a pirate.")
    expect(confirmed.first).to_have_attribute("data-type", "session.updated", timeout=10_000)
    page.reload()  # the choice is kept in the browser
    open_settings(page)
    expect(page.locator("textarea[name=instructions]")).to_have_value("Answer like a pirate.")


def test_settings_are_built_only_while_open(page):
    """The form is the page's heaviest part: folded, it is not on the page to re-render."""
    instructions = page.locator("textarea[name=instructions]")
    expect(instructions).to_have_count(0)
    open_settings(page)
    expect(instructions).to_be_visible()
    page.get_by_test_id("settings-toggle").click()
    expect(instructions).to_have_count(0)


def test_cost_latency_and_export_after_a_spoken_turn(page):
    page.get_by_test_id("log-toggle").click()
    connect(page)
    expect(entries(page).nth(1)).to_have_attribute("data-status", "done", timeout=30_000)
    expect(page.get_by_test_id("connect-time")).to_have_text(re.compile(r"^\d+ ms$"))
    expect(page.get_by_test_id("last-latency")).to_have_text(re.compile(r"^\d+ ms$"), timeout=10_000)
    expect(page.get_by_test_id("cost")).not_to_have_text("$0.0000")
    page.get_by_test_id("log-filter").fill("response.done")
    page.get_by_test_id("log-json").click()
    done = page.get_by_test_id("log-entry").filter(has_text="response.done").first
    expect(done.locator("pre")).to_be_visible(timeout=10_000)
    usage = json.loads(done.locator("pre").inner_text())["response"]["usage"]
    assert figure(page, "output-tokens") == str(usage["output_tokens"])
    assert figure(page, "input-tokens") == str(usage["input_tokens"])
    with page.expect_download() as download:
        page.get_by_test_id("export-markdown").click()
    markdown = open(download.value.path()).read()
    assert "**You**" in markdown and "[speech," in markdown and "**Model**" in markdown
    with page.expect_download() as download:
        page.get_by_test_id("export-json").click()
    exported = json.loads(open(download.value.path()).read())
    assert [e["role"] for e in exported] == ["user", "assistant"] and all(e["id"] and e["at"] for e in exported)


def test_microphones_are_listed_and_the_choice_is_remembered(page):
    connect(page)
    expect(page.get_by_test_id("session-clock")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    page.get_by_test_id("settings-toggle").click()
    trigger = page.get_by_role("combobox", name="microphone")
    expect(trigger).to_be_visible(timeout=10_000)
    trigger.click()
    option = page.get_by_role("option").first
    label = option.inner_text()
    option.click()
    expect(trigger).to_have_text(label)
    stored = page.evaluate("() => localStorage.getItem('voice_microphone')")
    assert stored
    expect(page.get_by_test_id("notice")).to_contain_text("next connect")


def test_expiry_ends_the_call_and_keeps_the_transcript(page, control):
    control.post("/faults", json={"session": {"expire_after": 9}}).raise_for_status()
    connect(page)
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=20_000)
    expect(page.get_by_test_id("error-message")).to_contain_text("maximum duration")
    expect(entries(page)).to_have_count(2)
    expect(page.get_by_test_id("session-clock")).to_have_count(0)


def test_each_example_tool_runs_on_the_backend_and_the_answer_uses_it(page):
    mute(page)  # typed turns only
    connect(page)
    turns = [
        ('calculate {"expression": "(2 + 3) * 7"}', "calculate", "→ 35"),
        ('current_time {"timezone": "Asia/Tokyo"}', "current_time", "JST"),
        ('remember {"note": "buy oat milk"}', "remember", "Noted (1 on the pad)"),
        ("recall", "recall", "1. buy oat milk"),
    ]
    for text, name, result in turns:
        page.get_by_test_id("text-input").fill(text)
        page.get_by_test_id("send-button").click()
        tool = page.locator("[data-testid=transcript-entry][data-role=tool]").filter(has_text=f"{name}(")
        expect(tool).to_contain_text(result, timeout=20_000)
        expect(tool).to_contain_text(re.compile(r"· \d+ ms"))
        expect(tool).to_have_attribute("data-status", "done")
        answer = entries(page).filter(has_text="The tools returned").last
        expect(answer).to_contain_text(result.removeprefix("→ "), timeout=20_000)
        expect(answer).to_have_attribute("data-status", "done", timeout=20_000)
    # in its place: user, tool, answer, for each turn
    roles = [entries(page).nth(i).get_attribute("data-role") for i in range(entries(page).count())]
    assert roles == ["user", "tool", "assistant"] * 4


def test_a_failing_tool_reports_its_error_and_the_conversation_goes_on(page):
    mute(page)
    connect(page)
    page.get_by_test_id("text-input").fill('calculate {"expression": "9 ** 9 ** 9"} and current_time {"timezone": "Mars/Base"}')
    page.get_by_test_id("send-button").click()
    tools = page.locator("[data-testid=transcript-entry][data-role=tool]")
    expect(tools).to_have_count(2, timeout=20_000)
    expect(tools.nth(0)).to_have_attribute("data-status", "failed", timeout=20_000)
    expect(tools.nth(0)).to_contain_text("at most 1,000 are allowed")
    expect(tools.nth(1)).to_contain_text("unknown time zone")
    answer = entries(page).filter(has_text="The tools returned").last
    expect(answer).to_contain_text("Error: calculate failed", timeout=20_000)
