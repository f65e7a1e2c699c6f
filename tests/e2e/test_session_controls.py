"""The session's advanced controls in the browser: each reaches the session (the minted one, as
the simulator's session.created echoes it, and the page's session.update), a refused value
changes nothing, and idle nudges and text-only answers behave."""

from playwright.sync_api import expect

from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_api_rules import received, say, sent, sent_before_a_marker, watched
from tests.e2e.test_browser import connect, entries, mute, open_settings

ALL_OPTIONS = {
    "model": "gpt-realtime-2",
    "reasoning_effort": "high",
    "idle_timeout_ms": 20_000,
    "noise_reduction": "far_field",
    "transcription_model": "gpt-live-transcribe",
    "transcription_language": "fr",
    "transcription_prompt": "Speaking of software",
    "transcription_keywords": "Reflex, WebRTC",
    "truncation": "retention_ratio",
    "retention_ratio": 0.6,
    "truncation_token_limit": 6000,
    "max_output_tokens": 700,
    "instructions_source": "stored_prompt",
    "prompt_id": "pmpt_support42",
    "prompt_version": "3",
    "prompt_variables": "city=Lyon",
}


def open_advanced(page):
    open_settings(page)
    page.get_by_test_id("settings-advanced").click()


def pick(page, name: str, option: str):
    page.locator(f"#setting-{name.replace('_', '-')}").click()
    page.get_by_role("option", name=option, exact=True).click()


def last_update(page) -> dict:
    return sent(page, "session.update")[-1]["session"]


def test_every_control_reaches_the_minted_session_and_the_opening_update(page):
    watched(page, ALL_OPTIONS)
    mute(page)
    connect(page)
    session = received(page, "session.created")[0]["session"]
    audio_in = session["audio"]["input"]
    assert session["reasoning"] == {"effort": "high"} and session["max_output_tokens"] == 700
    assert audio_in["turn_detection"]["idle_timeout_ms"] == 20_000 and audio_in["noise_reduction"]["type"] == "far_field"
    transcription = {k: v for k, v in audio_in["transcription"].items() if v is not None}  # the rest unset, as null
    assert transcription == {
        "model": "gpt-live-transcribe",
        "language": "fr",
        "prompt": "Speaking of software",
        "keywords": ["Reflex", "WebRTC"],
    }
    assert session["truncation"] == {
        "type": "retention_ratio",
        "retention_ratio": 0.6,
        "token_limits": {"post_instructions": 6000},
    }
    assert session["prompt"] == {"id": "pmpt_support42", "version": "3", "variables": {"city": "Lyon"}}
    opening = sent(page, "session.update")[0]["session"]
    assert (
        opening["prompt"]["id"] == "pmpt_support42"
        and "instructions" not in opening
        and opening["reasoning"] == {"effort": "high"}
    )


def test_settings_saved_before_these_controls_load_and_reasoning_is_offered_only_where_it_applies(page):
    watched(page, {"model": "gpt-realtime-1.5", "voice": "cedar"})  # saved by an older version
    open_advanced(page)
    expect(page.get_by_test_id("no-reasoning")).to_be_visible()
    expect(page.locator("#setting-reasoning-effort")).to_have_count(0)
    expect(page.locator("#setting-max-output-tokens")).to_have_value("inf")
    page.get_by_test_id("settings-toggle").click()
    mute(page)
    connect(page)
    assert received(page, "session.created")[0]["session"]["reasoning"] is None  # unset: the API refuses it for 1.5
    assert "reasoning" not in last_update(page)


def test_advanced_changes_mid_call_go_live_by_session_update(page):
    watched(page)
    mute(page)
    connect(page)
    before = len(sent(page, "session.update"))
    open_advanced(page)
    pick(page, "reasoning_effort", "minimal")
    pick(page, "answer_mode", "Text only (nothing plays)")
    page.locator("#setting-max-output-tokens").fill("300")
    page.locator("#setting-transcription-language").fill("de")
    page.locator("#setting-idle-timeout-ms").fill("15000")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_have_text("Applied to this call.")
    page.wait_for_function("(n) => window.sentEvents.filter((e) => e.type === 'session.update').length > n", arg=before)
    update = last_update(page)
    assert update["reasoning"] == {"effort": "minimal"} and update["output_modalities"] == ["text"]
    assert update["max_output_tokens"] == 300 and update["audio"]["input"]["transcription"]["language"] == "de"
    assert update["audio"]["input"]["turn_detection"]["idle_timeout_ms"] == 15000
    page.wait_for_function(
        "() => window.receivedEvents.filter((e) => e.type === 'session.updated')"
        ".some((e) => e.session.max_output_tokens === 300 && e.session.output_modalities[0] === 'text')"
    )


def test_a_refused_value_shows_its_message_and_changes_nothing(page):
    watched(page)
    mute(page)
    connect(page)
    before = len(sent(page, "session.update"))
    open_advanced(page)
    page.locator("#setting-transcription-language").fill("de")  # fine on its own
    page.locator("#setting-max-output-tokens").fill("5000")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("1 to 4,096 tokens")
    page.locator("#setting-max-output-tokens").fill("300")
    page.locator("#setting-prompt-id").fill("not-a-prompt")
    pick(page, "instructions_source", "Stored prompt (by id)")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("looks like pmpt_")
    assert len([e for e in sent_before_a_marker(page) if e["type"] == "session.update"]) == before
    assert page.evaluate("() => localStorage.getItem('voice_settings')") in (None, "")  # nothing saved


def test_an_idle_nudge_answers_with_no_user_turn(page):
    watched(page, {"idle_timeout_ms": 5000})
    mute(page)  # silence: the nudge comes 5 s after the call opens
    connect(page)
    answer = entries(page).filter(has_text="Are you still there")
    expect(answer.first).to_have_attribute("data-role", "assistant", timeout=20_000)
    assert received(page, "input_audio_buffer.timeout_triggered")
    expect(page.locator("[data-testid=transcript-entry][data-role=user]")).to_have_count(0)


def test_text_only_answers_show_as_text_and_nothing_plays(page):
    watched(page, {"answer_mode": "text"})
    mute(page)
    connect(page)
    expect(page.get_by_test_id("text-only-note")).to_be_visible()
    say(page, "Hello")
    answer = entries(page).filter(has_text="You wrote")
    expect(answer.first).to_have_attribute("data-status", "done", timeout=20_000)
    assert received(page, "response.output_text.done")
    assert not received(page, "output_audio_buffer.started") and not received(page, "response.output_audio_transcript.delta")
    expect(page.get_by_test_id("interrupt-button")).to_be_disabled()  # not answering: nothing plays


def test_the_advanced_section_is_labelled_and_accessible(page):
    open_advanced(page)
    expect(page.locator("#setting-prompt-variables")).to_be_visible()
    unlabelled = page.evaluate("""() => [...document.querySelectorAll("form [id^=setting-]")]
        .filter((control) => !document.querySelector(`label[for="${control.id}"]`)).map((control) => control.id)""")
    assert unlabelled == []
    assert page.locator("form [id^=setting-]").count() >= 25  # the advanced controls are among them
    assert_accessible(page)
