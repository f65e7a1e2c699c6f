"""Waits on conditions for the browser tests, instead of fixed sleeps: the microphone's audio the
page has actually sent, and a Python-side condition polled while Playwright's events still arrive."""

import time

# Before a page's scripts: every RTCPeerConnection it makes (`window.peers`), for its statistics.
WATCH_PEERS = """{
    window.peers = [];
    window.RTCPeerConnection = new Proxy(window.RTCPeerConnection, {
        construct(target, args) {
            const pc = Reflect.construct(target, args);
            window.peers.push(pc);
            return pc;
        },
    });
}"""
PACKET_S = 0.02  # Chromium sends Opus in 20 ms packets, silence (a muted microphone) included
AUDIO_PACKETS_SENT = """async () => {
    let most = 0;
    for (const pc of window.peers) {
        const stats = await pc.getStats().catch(() => null);
        stats?.forEach((s) => { if (s.type === "outbound-rtp" && s.kind === "audio") most = Math.max(most, s.packetsSent); });
    }
    return most;
}"""


def audio_sent_s(page) -> float:
    """Seconds of microphone audio the page's call has sent so far (0 before a call); the page must
    have been loaded after `page.add_init_script(WATCH_PEERS)`."""
    return page.evaluate(AUDIO_PACKETS_SENT) * PACKET_S


def send_audio_for(page, seconds: float, timeout_s: float = 60):
    """Until the page has sent `seconds` more of its microphone's audio (the fake microphone's file
    plays in real time): what the simulator has been given to hear, however slow the machine."""
    goal = audio_sent_s(page) + seconds
    until(page, lambda: audio_sent_s(page) >= goal, timeout_s, f"{seconds} s of audio sent")


def until(page, condition, timeout_s: float = 30, what: str = "the condition"):
    """Polls `condition()` until it holds; between polls Playwright runs (a `time.sleep` would
    hold back the page's events, e.g. the websocket frames a test collects)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout_s} s"
        page.wait_for_timeout(100)
