"""Spoken turns heard as words, in a real browser: the fake microphone says a sentence made at test
time with the simulator's synthesizer, the simulator hears its words, answers them aloud, and runs
the tool they ask for. Sentences are ones its small ear hears reliably in eSpeak's voice."""

import base64

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fake_microphone, launch
from tests.e2e.test_api_rules import watched
from tests.e2e.test_browser import connect, entries, hang_up, mute
from tests.e2e.test_memory import remembered, shown_once
from tests.spoken import spoken_wav
from voice_app.components.status import SIMULATOR_HEARS
from voice_app.simulator.speech import ear

ANSWERED = "You said"

# Chromium loops the file from each capture's start: a long silence after the sentence makes it
# said once per call.
SAID_ONCE_S = 60

# Taps the model's voice where the page plays it (the remote <audio> element's stream), as 16-bit
# samples, from now on.
TAP_THE_VOICE = """async () => {
    const audio = document.querySelector("[data-testid=remote-audio]");
    const context = new AudioContext();
    await context.resume();
    const tap = context.createScriptProcessor(4096, 1, 1), mute = context.createGain();
    mute.gain.value = 0;  // processed, not played twice
    window.tapped = { rate: context.sampleRate, chunks: [] };
    tap.onaudioprocess = (e) => window.tapped.chunks.push(Int16Array.from(e.inputBuffer.getChannelData(0), (v) => v * 32767));
    context.createMediaStreamSource(audio.srcObject).connect(tap);
    tap.connect(mute).connect(context.destination);
    window.tapContext = context;  // held while the test listens
}"""
TAPPED = """() => {
    const { rate, chunks } = window.tapped;
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0, text = "";
    for (const chunk of chunks) { bytes.set(new Uint8Array(chunk.buffer), at); at += chunk.byteLength; }
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { rate, pcm: btoa(text) };
}"""


@pytest.fixture
def speaking(playwright_driver, app_url, control, tmp_path):
    """speaking(sentence) -> a page, in a browser of its own whose microphone says the sentence; the
    simulator's ear and voice on (the session's app starts with them off) until the test ends."""
    browsers = []
    control.post("/speech", json={"on": True}).raise_for_status()

    def page_saying(sentence: str):
        wav = spoken_wav(tmp_path / f"said-{len(browsers)}.wav", sentence, gap_s=SAID_ONCE_S)
        browsers.append(launch(playwright_driver, "--use-fake-ui-for-media-stream", *fake_microphone(wav), microphone=False))
        page = browsers[-1].new_context(permissions=["microphone"], viewport={"width": 900, "height": 1000}).new_page()
        page.set_default_timeout(20_000)
        page.goto(app_url)
        return page

    try:
        yield page_saying
    finally:
        control.post("/speech", json={"on": False}).raise_for_status()
        for browser in browsers:
            browser.close()


def said(entry) -> str:
    """An entry's words (its first line says who)."""
    return entry.locator(":scope > p").last.text_content()


def test_a_spoken_sentence_is_heard_as_words_and_answered_aloud_in_words(speaking):
    page = speaking("Tell me a story about a lighthouse keeper.")
    expect(page.get_by_test_id("simulator-notice")).to_have_text(SIMULATOR_HEARS)
    watched(page)
    connect(page)
    page.evaluate(TAP_THE_VOICE)
    user, answer = entries(page).nth(0), entries(page).nth(1)
    expect(user).to_contain_text("story about", timeout=30_000)
    expect(user).to_have_attribute("data-role", "user")
    expect(answer).to_contain_text(ANSWERED, timeout=30_000)
    expect(answer).to_contain_text("story about")
    expect(answer).to_have_attribute("data-status", "done", timeout=30_000)
    # The voice has played to its end: then what the page played is the answer said aloud.
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'output_audio_buffer.stopped')")
    tapped = page.evaluate(TAPPED)
    heard = ear.transcribe_now(np.frombuffer(base64.b64decode(tapped["pcm"]), np.int16), tapped["rate"]).lower()
    # The user's words played back could never say "you said": the voice is the answer's (the rest
    # of it the small ear may mishear, through Opus and the page's audio).
    assert "you said" in heard, f"the answer's audio is not its words: {heard!r}"
    hang_up(page)


def test_a_spoken_request_for_the_time_runs_the_tool(speaking):
    page = speaking("Please tell me, what is the time in Paris?")
    connect(page)  # the example tools are on
    tool = page.locator("[data-testid=transcript-entry][data-role=tool]")
    expect(tool).to_contain_text("current_time(", timeout=30_000)
    expect(tool).to_contain_text("Europe/Paris")
    expect(tool).to_have_attribute("data-status", "done")
    expect(entries(page).first).to_contain_text("time in Paris")
    answer = entries(page).filter(has_text="The tools returned").first
    expect(answer).to_contain_text("CET", timeout=20_000)  # the tool's output: Paris's time, named by its zone
    hang_up(page)


def test_a_spoken_code_word_is_remembered_after_disconnect_and_connect(speaking):
    page = speaking("The secret word is pineapple.")
    connect(page)
    user = entries(page).nth(0)
    expect(user).to_contain_text("pineapple", timeout=30_000)
    expect(entries(page).nth(1)).to_contain_text(ANSWERED, timeout=30_000)
    words = said(user)
    hang_up(page)
    mute(page)  # the next call's microphone would say it again
    connect(page)
    expect(page.get_by_test_id("notice")).to_contain_text("The model remembers this conversation")
    assert words in remembered(page)
    shown_once(page)
