"""A call's recording (opt-in): both voices recorded in the browser, downloaded after the call,
kept with the conversation only when asked, and played from History by its owner alone."""

import time

import av
import httpx
import numpy as np
import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_api_rules import WATCH_DATA_CHANNEL
from tests.e2e.test_browser import connect, entries, hang_up, mute
from tests.e2e.test_history import say
from tests.e2e.waits import WATCH_PEERS, send_audio_for

TOLERANCE_S = 1.5  # the recording starts with the model's track, a moment before "connected"


def record_calls(page, on: bool = True):
    page.get_by_test_id("settings-toggle").click()
    box = page.get_by_test_id("setting-record-calls")
    if (box.get_attribute("aria-checked") == "true") != on:
        box.click()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    page.get_by_test_id("settings-toggle").click()


def recorded_call(page, while_recording=lambda page: None) -> tuple[float, float]:
    """A spoken turn and its answer; the call's length, measured from the Connect click and from
    "connected" to the hang-up (the recording's lies between, give or take)."""
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.reload()
    clicked = time.monotonic()
    connect(page)
    connected = time.monotonic()
    expect(page.get_by_test_id("recording-indicator")).to_be_visible()
    expect(entries(page).nth(1)).to_have_attribute("data-status", "done", timeout=30_000)
    # both voices heard: the model's has played to its end
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'output_audio_buffer.stopped')")
    while_recording(page)
    hung_up = time.monotonic()
    hang_up(page)
    return hung_up - connected, hung_up - clicked


def decoded(path) -> tuple[float, float]:
    """The audio's length (s) and loudness (RMS, full scale 1.0), decoded from the file."""
    samples, seconds = [], 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            seconds += frame.samples / frame.sample_rate
            samples.append(frame.to_ndarray().astype(np.float64).ravel())
    audio = np.concatenate(samples)
    return seconds, float(np.sqrt(np.mean(audio**2)))


def test_a_recorded_call_downloads_both_voices_as_long_as_the_call(page):
    record_calls(page)
    shortest, longest = recorded_call(page)
    expect(page.get_by_test_id("recording-indicator")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_test_id("recording-download").click()
    assert download.value.suggested_filename in ("call-recording.webm", "call-recording.ogg")
    with open(download.value.path(), "rb") as file:
        assert file.read(4) in (b"\x1a\x45\xdf\xa3", b"OggS")
    seconds, loudness = decoded(download.value.path())
    assert shortest - TOLERANCE_S <= seconds <= longest + TOLERANCE_S, (seconds, shortest, longest)
    assert loudness > 0.005, f"the recording is silent (RMS {loudness:.5f})"


def saved_settings(page, **settings):
    page.add_init_script(WATCH_PEERS)
    page.evaluate("settings => localStorage.setItem('voice_settings', JSON.stringify(settings))", settings)
    page.reload()


def downloaded_loudness(page) -> float:
    with page.expect_download() as download:
        page.get_by_test_id("recording-download").click()
    return decoded(download.value.path())[1]


@pytest.mark.parametrize("voice", ["microphone", "model", "neither"])
def test_each_voice_is_in_the_recording(page, voice):
    """Push to talk, never held: the model says nothing unless a typed message asks it."""
    saved_settings(page, turn_detection="push_to_talk", record_calls=True)
    if voice != "microphone":
        mute(page)
    connect(page)
    if voice == "model":
        say(page, "Say something for the recording")
    else:
        send_audio_for(page, 4)  # the fake microphone's words, or the muted one's silence
    hang_up(page)
    loudness = downloaded_loudness(page)
    if voice == "neither":
        assert loudness < 0.001, f"a muted, unanswered call records silence (RMS {loudness:.5f})"
    else:
        assert loudness > 0.005, f"the {voice}'s voice is not in the recording (RMS {loudness:.5f})"


RECORD_A_TONE = """async (maxBytes) => {
    const { makeRecorder } = await import("/realtime/recorder.js");
    const { audioContext } = await import("/realtime/audio_context.js");
    const context = audioContext();
    await context.resume();
    const tone = context.createOscillator(), voice = context.createMediaStreamDestination();
    tone.connect(voice);
    tone.start();
    const started = performance.now();
    const done = await new Promise((resolve) => {
        const recorder = makeRecorder({ maxBytes, bitsPerSecond: 32000, onRecording: (r) => r.state === "done" && resolve(r) });
        recorder.add(voice.stream, true);
        setTimeout(() => { recorder.stop(); }, 20000);
    });
    const bytes = new Uint8Array(await (await fetch(done.url)).arrayBuffer());
    return { ...done, afterMs: performance.now() - started, size: bytes.length, head: Array.from(bytes.slice(0, 4)) };
}"""


def test_a_recording_stops_at_its_size_limit_while_the_voice_goes_on(page):
    """recorder.js on its own, with a tone for a voice and a limit of a few seconds' worth."""
    limit = 12_000  # about 3 s of Opus at 32 kbit/s
    done = page.evaluate(RECORD_A_TONE, limit)
    assert done["full"] is True and 0 < done["size"] == done["bytes"] <= limit, done
    assert done["afterMs"] < 10_000, "it stopped at the limit, not when the voice did"
    assert bytes(done["head"]) in (b"\x1a\x45\xdf\xa3", b"OggS")


COUNT_RECORDERS = """{
    window.recorders = 0;
    window.MediaRecorder = new Proxy(window.MediaRecorder, {
        construct(target, args) { window.recorders += 1; return Reflect.construct(target, args); },
    });
}"""


def test_without_the_setting_a_call_is_not_recorded(page):
    page.add_init_script(COUNT_RECORDERS)
    page.reload()
    connect(page)
    expect(entries(page).nth(1)).to_have_attribute("data-status", "done", timeout=30_000)
    expect(page.get_by_test_id("recording-indicator")).to_have_count(0)
    hang_up(page)
    # A recording is made from the call's start (recorder.js): none was, so none can be offered.
    assert page.evaluate("() => window.recorders") == 0
    expect(page.get_by_test_id("recording-download")).to_have_count(0)
    expect(page.get_by_test_id("recording-indicator")).to_have_count(0)


def test_a_kept_recording_plays_from_history_for_its_owner_only(page, browser, app_url):
    record_calls(page)
    recorded_call(page, while_recording=assert_accessible)  # the Recording badge
    assert_accessible(page)  # the download and Keep beside the transcript's export
    page.get_by_test_id("recording-keep").click()
    expect(page.get_by_test_id("recording-message")).to_have_text("Kept with the conversation: play it from History.")

    page.get_by_test_id("history-toggle").click()
    page.get_by_test_id("history-open").first.click()
    player = page.get_by_test_id("history-recording")
    expect(player).to_be_visible()
    page.wait_for_function("""() => {
        const audio = document.querySelector("[data-testid=history-recording]");
        return audio && !audio.error && audio.readyState >= 1 && audio.duration > 0;
    }""")
    assert_accessible(page)
    source = player.get_attribute("src")
    assert httpx.get(source).status_code == 200

    stranger = browser.new_context().new_page()  # another browser's storage: another owner
    stranger.goto(app_url)
    stranger.get_by_test_id("history-toggle").click()
    expect(stranger.get_by_test_id("history-message")).to_contain_text("No saved conversations")
    assert stranger.request.get(source.split("?")[0]).status == 404, "no pass, no recording"
    made_up = source[:-8] + ("0" * 8 if not source.endswith("0" * 8) else "1" * 8)
    assert stranger.request.get(made_up).status == 404, "a pass cannot be made up"
    stranger.context.close()

    delete = page.get_by_test_id("history-delete").first
    delete.click()
    delete.click()  # the second press deletes
    expect(page.get_by_test_id("history-item")).to_have_count(0)
    assert httpx.get(source).status_code == 404, "deleted with its conversation"
