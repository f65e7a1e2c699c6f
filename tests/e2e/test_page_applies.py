"""The page shows what applies: Settings and the figures show the chosen voice API's fields (the
other's come back when it is chosen), and the whole page speaks in one typeface."""

from playwright.sync_api import expect

from tests.e2e.test_browser import connect, hang_up, mute, open_settings
from voice_app.realtime.applies import LIVE_ONLY_FIGURES, REALTIME_ONLY_FIGURES, applies

# Every setting's control has the id setting-<its name, with dashes>; whether each shows.
SHOWN_SETTINGS = """() => Object.fromEntries([...document.querySelectorAll('[id^="setting-"]')]
    .map(el => [el.id.slice('setting-'.length).replaceAll('-', '_'), el.checkVisibility()]))"""
FIGURES = sorted(LIVE_ONLY_FIGURES | REALTIME_ONLY_FIGURES | {"cost", "input_tokens"})
FONT = "el => [getComputedStyle(el).fontFamily, getComputedStyle(el).fontStyle]"


def assert_settings_of(page, engine: str):
    """The open form shows exactly the settings `engine` takes (sure to have re-rendered once the
    model field, the Realtime API's alone, shows or not)."""
    model = page.locator("#setting-model")
    expect(model).to_be_visible() if engine == "realtime" else expect(model).to_be_hidden()
    shown = page.evaluate(SHOWN_SETTINGS)
    assert {"engine", "voice", "instructions", "model", "live_model", "speed", "turn_detection"} <= set(shown)
    assert {name: visible for name, visible in shown.items() if visible != applies(name, engine)} == {}
    expect(page.get_by_test_id("settings-advanced")).to_be_visible() if engine == "realtime" else expect(
        page.get_by_test_id("settings-advanced")
    ).to_be_hidden()


def assert_figures_of(page, engine: str):
    for key in FIGURES:
        expect(page.get_by_test_id(key.replace("_", "-"))).to_have_count(1 if applies(key, engine, figure=True) else 0)


def pick(page, api: str):
    page.get_by_role("combobox", name="Voice API", exact=True).click()
    page.get_by_role("option", name=api, exact=True).click()


def test_settings_and_figures_show_the_chosen_apis_and_the_others_come_back_when_it_is_chosen(page):
    assert_figures_of(page, "realtime")  # the default: no GPT-Live minutes
    open_settings(page)
    page.get_by_test_id("settings-advanced").click()  # open: its fields count as shown
    assert_settings_of(page, "realtime")
    page.locator("#setting-speed").fill("1.2")

    pick(page, "GPT-Live")  # picked, not saved yet: the form shows what it would take
    assert_settings_of(page, "live")
    assert_figures_of(page, "realtime")  # the figures follow the saved choice, which is unchanged
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    assert_figures_of(page, "live")
    expect(page.get_by_test_id("model-badge")).to_have_text("gpt-live-1.1")

    pick(page, "Realtime API")  # the Realtime API's fields come back, with their values kept
    page.get_by_test_id("settings-advanced").click()  # the saved form was drawn again, folded
    assert_settings_of(page, "realtime")
    expect(page.locator("#setting-speed")).to_have_value("1.2")  # saved while folded away, not lost
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("model-badge")).to_have_text("gpt-realtime-2.1")
    assert_figures_of(page, "realtime")


def test_a_gpt_live_calls_figures_are_its_own_and_stay_until_the_next_call(page):
    page.evaluate("() => localStorage.setItem('voice_settings', JSON.stringify({engine: 'live'}))")
    page.reload()
    expect(page.get_by_test_id("live-note")).to_be_visible()
    assert_figures_of(page, "live")
    connect(page)
    expect(page.get_by_test_id("live-minutes")).not_to_have_text("0.0")  # its startup is billed at once
    hang_up(page)
    open_settings(page)
    pick(page, "Realtime API")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("model-badge")).to_have_text("gpt-realtime-2.1")
    assert_figures_of(page, "live")  # the figures are still the GPT-Live call's: its minutes are in the cost


def test_an_answer_cut_by_a_typed_turn_is_marked_in_the_pages_own_typeface(page):
    mute(page)  # typed turns only: the fake microphone would speak over the answer
    connect(page)
    assert_figures_of(page, "realtime")
    page.get_by_test_id("text-input").fill("please answer with a long reply " * 6)
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("interrupt-button")).to_be_enabled(timeout=20_000)  # the answer plays
    page.get_by_test_id("text-input").fill("stop, another question")
    page.get_by_test_id("send-button").click()  # typed over it: the answer is cut
    answer = page.locator("[data-testid=transcript-entry][data-role=assistant]").first
    expect(answer).to_have_attribute("data-status", "interrupted", timeout=20_000)
    mark = answer.get_by_text("(interrupted)")
    words = answer.locator("p").nth(1)  # the entry's words (the first line says who)
    # The page's font is its theme's: the body has only Reflex's reset fallback, which no text shows in.
    page_font = page.locator(".radix-themes").first.evaluate(FONT)
    assert mark.evaluate(FONT) == words.evaluate(FONT) == page_font
    hang_up(page)
