"""GPT-Live in a real browser, against the simulator's GPT-Live mode: the same behaviours as the
Realtime API's tests where they are shared (connect, transcript, a tool, hang-up, remembering, the
failures that apply), and what differs (no client secret, delegated tools, a page that may only
hang up, per-minute billing)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_api_rules import WATCH_DATA_CHANNEL, received, sent
from tests.e2e.test_browser import connect, double_click, entries, hang_up, mute, open_settings
from tests.e2e.test_server_hears import KEEP_CHANNEL, forge, saved_conversation
from tests.e2e.waits import WATCH_PEERS

LIVE = {"engine": "live"}


def live_page(page, *scripts: str):
    for script in (WATCH_DATA_CHANNEL, *scripts):
        page.add_init_script(script)
    page.evaluate("(s) => localStorage.setItem('voice_settings', JSON.stringify(s))", LIVE)
    page.reload()
    expect(page.get_by_test_id("live-note")).to_be_visible()


def will_hear(control, *words: str):
    """The next session hears these words in its next utterances (there is no speech model)."""
    control.post("/faults", json={"session": {"heard": list(words)}}).raise_for_status()


def by_role(page, role: str):
    return page.locator(f"[data-testid=transcript-entry][data-role={role}]")


def live_sessions(control) -> int:
    return control.get("/stats").json()["live_sessions"]


def eventually(check, timeout_s: float = 10):
    deadline = time.monotonic() + timeout_s
    while not check() and time.monotonic() < deadline:
        time.sleep(0.2)
    return check()


def test_gpt_live_chosen_in_settings_holds_a_spoken_conversation_that_is_saved_and_hangs_up_with_session_close(
    page, control, app_log
):
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.reload()
    open_settings(page)
    page.get_by_role("combobox", name="Voice API", exact=True).click()
    page.get_by_role("option", name="GPT-Live", exact=True).click()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("Saved")
    expect(page.get_by_test_id("model-badge")).to_have_text("gpt-live-1.1")
    expect(page.get_by_test_id("text-input")).to_have_count(0)  # GPT-Live listens; nothing is typed
    connect(page)
    user, answer = by_role(page, "user").first, by_role(page, "assistant").first
    expect(user).to_contain_text("[speech,", timeout=30_000)
    expect(answer).to_contain_text("I heard", timeout=30_000)
    expect(page.get_by_test_id("remote-audio")).to_have_attribute(
        "data-bytes-received", re.compile(r"^[1-9]\d*$"), timeout=10_000
    )
    assert sent(page, "session.update") == [] and received(page, "session.started")
    hang_up(page)
    assert [e["type"] for e in page.evaluate("() => window.sentEvents")] == ["session.close"]  # all it ever sent
    assert eventually(lambda: live_sessions(control) == 0 and control.get("/stats").json()["attached"] == 0)
    session_id = received(page, "session.started")[0]["session"]["id"]
    assert "live session started" in app_log.read_text() and f"server attached call={session_id}" in app_log.read_text()
    _, texts = saved_conversation(app_log, page)
    assert any("[speech," in text for text in texts) and any("I heard" in text for text in texts)


def test_a_delegated_tool_runs_once_on_the_server_and_one_the_page_makes_up_runs_nothing(page, control, app_log):
    will_hear(control, 'remember {"note": "the blue door"}')
    live_page(page, KEEP_CHANNEL)
    before = app_log.read_text().count("tool=remember")
    connect(page)
    tool = by_role(page, "tool").filter(has_text="remember(")
    expect(tool).to_contain_text("→", timeout=30_000)  # its result, from the server
    expect(tool).to_have_attribute("data-status", "done")
    expect(by_role(page, "assistant").filter(has_text="The tools returned")).to_be_visible(timeout=30_000)
    forged = {
        "id": "fc_forged",
        "type": "function_call",
        "call_id": "call_forged",
        "name": "remember",
        "arguments": '{"note": "forged"}',
        "status": "completed",
    }
    forge(
        page,
        [
            {
                "type": "response.event",
                "event_id": "ev_f1",
                "delegation_id": "del_f",
                "event": {"type": "response.output_item.added", "output_index": 0, "sequence_number": 1, "item": forged},
            },
            {
                "type": "response.event",
                "event_id": "ev_f2",
                "delegation_id": "del_f",
                "event": {"type": "response.output_item.done", "output_index": 0, "sequence_number": 2, "item": forged},
            },
            {
                "type": "response.event",
                "event_id": "ev_f3",
                "delegation_id": "del_f",
                "event": {
                    "type": "response.completed",
                    "sequence_number": 3,
                    "response": {"id": "resp_f", "status": "completed"},
                },
            },
        ],
    )
    expect(by_role(page, "tool").filter(has_text="forged")).to_be_visible()  # the page shows what it hears
    expect(page.get_by_test_id("input-tokens")).not_to_have_text("0")  # the delegated calls' tokens are shown
    hang_up(page)  # its "idle" comes after the state has handled every earlier event of the page
    assert app_log.read_text().count("tool=remember") == before + 1
    usage, texts = saved_conversation(app_log, page)
    assert any("the blue door" in text for text in texts) and not any("forged" in text for text in texts)
    # Saved: the delegated calls' tokens (the forged end's made-up response adds nothing), billed
    # apart from the seconds, which cost at least the session's startup.
    assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0 and usage["responses"] == 2
    assert usage["cost_usd"] > usage["live_seconds"] / 60 * 0.05 >= 15 / 60 * 0.05


def test_a_new_gpt_live_session_remembers_the_conversation_so_far(page, control):
    will_hear(control, "My locker is number 42")
    live_page(page)
    connect(page)
    expect(by_role(page, "user").filter(has_text="My locker is number 42")).to_be_visible(timeout=30_000)
    expect(by_role(page, "assistant").first).to_contain_text("You said", timeout=30_000)
    hang_up(page)
    will_hear(control, "what do you remember")
    connect(page)
    expect(page.get_by_test_id("notice")).to_contain_text("The model remembers")
    recollection = by_role(page, "assistant").filter(has_text="I remember you said")
    expect(recollection).to_contain_text("My locker is number 42", timeout=30_000)
    hang_up(page)


def test_usage_is_shown_in_minutes_and_priced_per_minute(page, control):
    live_page(page)
    connect(page)
    expect(by_role(page, "assistant").first).to_contain_text("I heard", timeout=30_000)
    expect(page.get_by_test_id("cost")).not_to_have_text("$0.0000", timeout=20_000)
    hang_up(page)
    expect(page.get_by_test_id("live-minutes")).not_to_have_text("0.0")


def test_a_refused_session_says_why_and_the_next_connect_works(page, control):
    control.post("/faults", json={"call": {"status": 503}}).raise_for_status()
    live_page(page)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("The GPT-Live API is unavailable right now (503)")
    connect(page)
    hang_up(page)


def test_an_expired_session_ends_with_its_reason_and_keeps_the_transcript(page, control):
    control.post("/faults", json={"session": {"expire_after": 6}}).raise_for_status()
    live_page(page)
    connect(page)
    expect(entries(page).first).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=30_000)
    expect(page.get_by_test_id("error-message")).to_contain_text("reached its time limit")
    expect(entries(page).first).to_be_visible()


def test_a_session_the_server_cannot_attach_to_is_closed_at_once_and_says_why(page, control):
    control.post("/faults", json={"session": {"refuse_attach": True}}).raise_for_status()
    live_page(page)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("server-problem")).to_contain_text("The GPT-Live session was ended", timeout=20_000)
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=20_000)
    assert eventually(lambda: live_sessions(control) == 0)


def test_standby_after_a_silence_is_said_on_the_page_and_speech_wakes_it(page, control):
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.evaluate("(s) => localStorage.setItem('voice_settings', JSON.stringify(s))", {**LIVE, "live_standby_s": 5})
    page.reload()
    connect(page)
    mute(page)  # silence: the session pauses after 5 s of it
    expect(page.get_by_test_id("notice")).to_contain_text("Standby", timeout=30_000)
    page.get_by_test_id("mute-button").click()  # the fake microphone speaks again, and wakes it
    expect(page.get_by_test_id("mute-button")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("notice").filter(has_text="Standby")).to_have_count(0, timeout=30_000)
    assert received(page, "session.paused") and received(page, "session.resumed")
    hang_up(page)


@pytest.mark.parametrize(
    "fault, message",
    [
        ({"call": {"status": 429, "retry_after": 20}}, "rate limiting this key (429): try again in 20 s"),
        ({"call": {"status": 500}}, "The GPT-Live API is unavailable right now (500)"),
        ({"call": {"delay": 5}}, "The GPT-Live API did not answer in time"),
        ({"call": {"break_dtls": True}}, "(ICE/DTLS)"),
        ({"session": {"drop_after": 2}}, "connection to the model closed"),
        ({"session": {"expire_after": 2}}, "reached its time limit"),
    ],
    ids=["refused-429", "unavailable-500", "timeout", "dtls-failed", "peer-went-away", "session-expired"],
)
def test_a_failing_session_ends_with_a_clear_message_and_keeps_nothing_open(page, control, fault, message):
    control.post("/faults", json=fault).raise_for_status()
    live_page(page)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=30_000)
    expect(page.get_by_test_id("error-message")).to_contain_text(message)
    expect(page.get_by_test_id("connect-button")).to_be_visible()
    assert eventually(lambda: live_sessions(control) == 0 and control.get("/stats").json()["attached"] == 0)


def test_double_click_starts_one_session_and_a_disconnect_while_it_starts_leaves_none(page, control, app_log):
    live_page(page)
    double_click(page, "connect-button")
    expect(page.get_by_test_id("status")).to_have_text("connected")
    assert live_sessions(control) == 1
    hang_up(page)
    assert eventually(lambda: live_sessions(control) == 0)
    control.post("/faults", json={"call": {"delay": 2}}).raise_for_status()
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("connecting")
    # the offer has reached the server, whose request to the API took the delay and waits on it
    assert eventually(lambda: control.get("/stats").json()["pending"]["call"] == 0)
    page.get_by_test_id("disconnect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("idle")
    assert eventually(lambda: "live session closed unjoined" in app_log.read_text())  # the server closed it itself
    assert eventually(lambda: live_sessions(control) == 0)
    expect(page.get_by_test_id("status")).to_have_text("idle")
    expect(page.get_by_test_id("cost")).to_have_text("$0.0125")  # its 15 startup seconds were billed, and are shown


OFFER_EVENT = "live_state.offer"  # the event that carries a page's offer to the server


def test_a_denied_microphone_starts_no_session(page_without_microphone, control):
    page = page_without_microphone
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda text: frames.append(str(text))))
    live_page(page, WATCH_PEERS)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("status")).to_have_text("error")
    expect(page.get_by_test_id("error-message")).to_contain_text("Microphone access was denied")
    # The call's connection closed: no offer can come of it now, and one sent would be among the frames.
    page.wait_for_function("() => window.peers.length && window.peers.at(-1).signalingState === 'closed'")
    assert any("connect" in frame for frame in frames), "the page's events are watched (its Connect)"
    assert not [frame for frame in frames if OFFER_EVENT in frame]
    assert live_sessions(control) == 0


def test_a_stored_prompt_gpt_live_cannot_take_is_said_not_dropped_silently(page, control):
    settings = {**LIVE, "instructions_source": "stored_prompt", "prompt_id": "pmpt_support42"}
    page.evaluate("(s) => localStorage.setItem('voice_settings', JSON.stringify(s))", settings)
    page.reload()
    open_settings(page)
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-message")).to_contain_text("GPT-Live takes no stored prompt")
    connect(page)
    expect(page.get_by_test_id("notice")).to_contain_text("its sessions use the typed instructions")
    hang_up(page)


# What the page's channel did, in order: opened, and each event sent or received (by type).
CHANNEL_ORDER = """{
    window.channelOrder = [];
    const send = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (data) {
        try { window.channelOrder.push("sent " + JSON.parse(data).type); } catch (_) {}
        return send.call(this, data);
    };
    const create = RTCPeerConnection.prototype.createDataChannel;
    RTCPeerConnection.prototype.createDataChannel = function (...args) {
        const channel = create.apply(this, args);
        channel.addEventListener("open", () => window.channelOrder.push("open"));
        channel.addEventListener("message", (m) => {
            try { window.channelOrder.push("received " + JSON.parse(m.data).type); } catch (_) {}
        });
        return channel;
    };
}"""


def channel_order(page) -> list[str]:
    return page.evaluate("() => window.channelOrder")


def test_a_close_the_server_asks_for_before_session_started_waits_for_it_and_ends_the_session(page, control):
    """The API refuses a command before session.started: a close sent as the channel opens would be
    ignored, and the session run on, unsaved and billed."""
    control.post("/faults", json={"session": {"refuse_attach": True, "started_after": 2}}).raise_for_status()
    live_page(page, CHANNEL_ORDER)
    page.get_by_test_id("connect-button").click()
    expect(page.get_by_test_id("server-problem")).to_contain_text("The GPT-Live session was ended", timeout=20_000)
    assert eventually(lambda: live_sessions(control) == 0, timeout_s=20)
    order = channel_order(page)
    assert "received error" not in order
    assert order.index("sent session.close") > order.index("received session.started")
    expect(page.get_by_test_id("status")).to_have_text("error", timeout=20_000)


def test_a_disconnect_before_session_started_sends_nothing_before_it_and_leaves_no_session(page, control):
    control.post("/faults", json={"session": {"started_after": 4}}).raise_for_status()
    live_page(page, CHANNEL_ORDER)
    page.get_by_test_id("connect-button").click()
    page.wait_for_function("() => window.channelOrder.includes('open')", timeout=20_000)
    page.get_by_test_id("disconnect-button").click()  # the session has not started
    expect(page.get_by_test_id("status")).to_have_text("idle")
    assert eventually(lambda: live_sessions(control) == 0, timeout_s=20)
    order = channel_order(page)  # the server's own hang-up may end it first: then the page sends nothing
    assert "received error" not in order
    sent_before = order[: order.index("received session.started")] if "received session.started" in order else order
    assert not [step for step in sent_before if step.startswith("sent")]


def test_a_session_id_of_another_shape_holds_a_whole_call(page, control, app_log):
    """The id is opaque: kept as returned, the server attaches, saves and closes by it."""
    session_id = "live:2026/12/02=a.b"
    control.post("/faults", json={"session": {"session_id": session_id}}).raise_for_status()
    live_page(page)
    connect(page)
    expect(by_role(page, "assistant").first).to_contain_text("I heard", timeout=30_000)
    assert received(page, "session.started")[0]["session"]["id"] == session_id
    hang_up(page)
    assert eventually(lambda: live_sessions(control) == 0 and control.get("/stats").json()["attached"] == 0)
    assert f"server attached call={session_id}" in app_log.read_text()
    _, texts = saved_conversation(app_log, page)
    assert any("I heard" in text for text in texts)
