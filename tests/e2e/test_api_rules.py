"""What the real API refuses or warns of, in the browser: the page keeps to its rules."""

import json

import httpx
from playwright.sync_api import expect

from tests.e2e.test_browser import connect, entries, mute
from tests.e2e.waits import WATCH_PEERS, send_audio_for

# Before a page's scripts: every client event the page sends on the data channel
# (`window.sentEvents`) and every server event it receives (`window.receivedEvents`).
WATCH_DATA_CHANNEL = """{
    window.sentEvents = [];
    window.receivedEvents = [];
    const send = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (data) {
        try { window.sentEvents.push(JSON.parse(data)); } catch (_) {}
        return send.call(this, data);
    };
    const create = RTCPeerConnection.prototype.createDataChannel;
    RTCPeerConnection.prototype.createDataChannel = function (...args) {
        const channel = create.apply(this, args);
        channel.addEventListener("message", (m) => { try { window.receivedEvents.push(JSON.parse(m.data)); } catch (_) {} });
        return channel;
    };
}"""


def sent(page, kind: str) -> list[dict]:
    return page.evaluate("(kind) => window.sentEvents.filter((e) => e.type === kind)", kind)


def received(page, kind: str) -> list[dict]:
    return page.evaluate("(kind) => window.receivedEvents.filter((e) => e.type === kind)", kind)


def watched(page, settings: dict | None = None):
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.add_init_script(WATCH_PEERS)
    if settings is not None:
        page.evaluate("(s) => localStorage.setItem('voice_settings', JSON.stringify(s))", settings)
    page.reload()


def say(page, text):
    page.get_by_test_id("text-input").fill(text)
    page.get_by_test_id("send-button").click()


MARKER = "A marker turn"
MARKER_AT = """(m) => window.sentEvents.findIndex((e) => e.type === "conversation.item.create"
                                                  && JSON.stringify(e.item).includes(m))"""


def sent_before_a_marker(page) -> list[dict]:
    """What the page sent before a typed turn that follows: the page sends on one channel, in order,
    so whatever it would wrongly have sent by now is in this list (it could have, and did not)."""
    say(page, MARKER)
    page.wait_for_function(f"(m) => ({MARKER_AT})(m) >= 0", arg=MARKER)
    return page.evaluate(f"(m) => window.sentEvents.slice(0, ({MARKER_AT})(m))", MARKER)


def test_a_cancelled_responses_tool_call_is_shown_and_not_run(page, control):
    control.post("/faults", json={"session": {"response_end": "cancelled"}}).raise_for_status()
    watched(page)
    mute(page)  # typed turns only
    connect(page)
    say(page, "current_time")
    tool = page.locator("[data-testid=transcript-entry][data-role=tool]")
    expect(tool).to_contain_text("not run: the response was cancelled", timeout=20_000)
    expect(tool).to_have_attribute("data-status", "interrupted")
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'response.done')")
    assert received(page, "response.function_call_arguments.done"), "the API sends the call's arguments anyway"
    before = sent_before_a_marker(page)
    outputs = [e for e in before if e["type"] == "conversation.item.create" and e["item"]["type"] == "function_call_output"]
    assert outputs == [] and len([e for e in before if e["type"] == "response.create"]) == 1  # the typed turn's only
    expect(page.get_by_test_id("error-message")).to_have_count(0)


def test_a_short_push_to_talk_tap_commits_nothing_and_a_hold_is_answered(page):
    watched(page, {"turn_detection": "push_to_talk"})
    connect(page)
    button = page.get_by_test_id("push-to-talk-button")
    button.hover()
    page.mouse.down()
    page.mouse.up()  # a tap
    expect(page.get_by_test_id("notice")).to_contain_text("too short")
    before = sent_before_a_marker(page)
    assert [e for e in before if e["type"] in ("input_audio_buffer.commit", "response.create")] == []
    assert received(page, "error") == []
    button.hover()  # again: the notice moved it
    page.mouse.down()
    expect(button).to_contain_text("Release to send")
    send_audio_for(page, 2.5)  # a duration under test: a hold long enough for a turn, in audio sent
    page.mouse.up()
    expect(entries(page).filter(has_text="I heard")).to_have_count(1, timeout=20_000)
    assert len(sent(page, "input_audio_buffer.commit")) == 1
    events = page.evaluate("() => window.receivedEvents.map((e) => e.type)")
    assert "input_audio_buffer.committed" in events and "error" not in events


def test_a_new_speed_waits_for_the_answer_in_progress(page, control):
    # A slow answer (50 words at 5 a second), so the change is made while it is in progress.
    control.post("/faults", json={"session": {"stream_rate": 5, "stream_count": 50}}).raise_for_status()
    watched(page)
    mute(page)
    connect(page)
    say(page, "Tell me a long story")
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'response.created')")
    page.get_by_test_id("settings-toggle").click()
    page.locator("input[name=speed]").fill("1.3")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Applied to this call")
    assert received(page, "response.done") == [], "the answer ended before the change: the test proves nothing"
    page.wait_for_function("() => window.sentEvents.some((e) => e.session?.audio?.output?.speed === 1.3)", timeout=30_000)
    assert received(page, "response.done"), "the speed was sent while the answer was in progress"
    page.wait_for_function("() => window.receivedEvents.some((e) => e.session?.audio?.output?.speed === 1.3)")
    assert received(page, "error") == []
    speed_updates = [e for e in sent(page, "session.update") if "speed" in json.dumps(e)]
    assert len(speed_updates) == 1  # sent once, and only because it changed


def test_a_saved_retiring_model_moves_to_its_successor_with_a_notice(page):
    watched(page, {"model": "gpt-realtime", "transcription_model": "gpt-4o-mini-transcribe", "voice": "sage"})
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("gpt-realtime shuts down on 2027-01-20: now using gpt-realtime-2.1")
    expect(notice).to_contain_text("gpt-4o-mini-transcribe shuts down on 2027-02-26: now using gpt-realtime-whisper")
    connect(page)
    page.wait_for_function("() => window.receivedEvents.some((e) => e.type === 'session.created')")
    session = received(page, "session.created")[0]["session"]
    assert session["model"] == "gpt-realtime-2.1" and session["audio"]["output"]["voice"] == "sage"
    assert session["audio"]["input"]["transcription"]["model"] == "gpt-realtime-whisper"
    expect(page.get_by_test_id("error-message")).to_have_count(0)
    saved = json.loads(page.evaluate("() => localStorage.getItem('voice_settings')"))
    assert saved["model"] == "gpt-realtime-2.1"  # kept: the notice is said once


def test_a_call_whose_id_the_page_cannot_read_is_reported_to_the_operator(page, app_log):
    def hide_location(route):
        answer = route.fetch()
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in ("location", "access-control-expose-headers")}
        route.fulfill(response=answer, headers=headers)

    before = app_log.read_text().count("call id unknown")
    page.route("**/realtime/calls", hide_location)
    connect(page)
    expect(entries(page).nth(1)).to_contain_text("I heard", timeout=30_000)
    log = app_log.read_text()
    assert log.count("call id unknown") == before + 1 and "nor hang it up at the length limit" in log
    expect(page.get_by_test_id("server-problem")).to_contain_text("could not read the call's id")  # tools off


def test_the_apps_simulator_mints_for_no_made_up_key(app_url):
    """Without an OpenAI key the app mounts the simulator: only the app itself may mint there."""
    for key in ("anyone", "sk-local-simulator", "local-simulator"):
        answer = httpx.post(
            f"{app_url}/simulator/v1/realtime/client_secrets",
            json={"session": {"type": "realtime"}},
            headers={"Authorization": f"Bearer {key}"},
        )
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "invalid_api_key", key
        assert len(key) < 8 or key not in answer.text  # a wrong key is shown masked, as the API shows it
