// The React component: Python decides *when* (props); connection.js does the *how*, and reports
// back through callbacks: onEvents(batch of server events, its number), onStatus({status, message}), onOffer (GPT-Live), onKey,
// onLog, onDevices, onIntent (a click on Connect is likely soon) and onRecording (recorder.js; a call
// is recorded when `record` is set, and kept when `keepRecording` names where). Browser-only work happens in
// effects, never at module level (prerendering).
import { createElement as h, useEffect, useLayoutEffect, useRef } from "react";
import { clearActiveCall, setActiveCall } from "./active_call.js";
import { openConnection, warmUp } from "./connection.js";
import { makeLog } from "./event_log.js";
import { listenForIntent, startsCall } from "./intent.js";
import { liveApi } from "./live.js";
import { MESSAGES } from "./messages.js";
import { meter } from "./meters.js";
import { PHASES } from "./phases.js";
import { realtimeApi } from "./realtime_api.js";
import { upload } from "./recorder.js";
import { listenForShortcuts } from "./shortcuts.js";

const PREPARED_MS = 3000; // a call begun at the click waits this long for Python's go-ahead

// Every prop Python gives, named once: the rest (id, style, data-testid...) go to the element.
const PROPS = Object.freeze([
  "wantConnection", "hydrated", "clientSecret", "callsUrl", "openingEvents", "outgoing", "muted", "deviceId", "logOpen",
  "maxCallSeconds", "handledBatch", "liveReady", "liveAnswer", "forwardedEvents", "mergedDeltas", "dataChannel",
  "maxEventChars", "logKept", "sessionSeconds", "batchMs", "unansweredMs", "record", "maxRecordingBytes",
  "recordingBitsPerSecond", "keepRecording", "onEvents", "onStatus", "onKey", "onLog", "onDevices", "onIntent",
  "onOffer", "onRecording",
]);

export function RealtimeSession(props) {
  const { wantConnection, clientSecret, callsUrl, openingEvents, outgoing, muted, logOpen, logKept, handledBatch } = props;
  const { liveReady, liveAnswer, keepRecording } = props; // GPT-Live: the offer goes to Python, the answer comes back
  // A call is this page's own only once the page has been whole with none: a reload brings the old
  // page's call back (its secret too) before Python hears the page, and that call went with the old
  // page. A socket's reconnect rehydrates the state too (hydrated is false meanwhile): the call the
  // page holds goes on through it.
  const whole = useRef(false);
  if (props.hydrated && !wantConnection) whole.current = true;
  const active = Boolean(wantConnection) && whole.current;
  const leftOver = Boolean(props.hydrated && wantConnection) && !whole.current;
  const element = Object.fromEntries(Object.entries(props).filter(([name]) => !PROPS.includes(name)));
  const audio = useRef(null);
  const bars = { input: useRef(null), output: useRef(null) };
  const connection = useRef(null);
  const live = useRef(null); // the GPT-Live call's API (live.js), which takes Python's answer
  const log = useRef(null);
  // What a call reads when it opens: the latest props, whatever render they came with. Lists
  // arrive rebuilt on each render, so no effect depends on them.
  const latest = useRef({});
  latest.current = props;
  const call = (name, value) => latest.current[name] && latest.current[name](value);
  // Client events are for the call they were queued in: those already in `outgoing` when a call
  // starts (from an earlier call, or an earlier page) are never sent.
  const sentUpTo = useRef(-1);
  const skipQueued = () => (sentUpTo.current = Math.max(sentUpTo.current, ...(outgoing || []).map((o) => o.seq)));

  const prepared = useRef(null); // a call begun at the Connect click, before Python's answer
  const recording = useRef(null); // the object URL of the last call's recording, while it is offered
  const recorded = (report) => {
    if (report.state === "recording" || report.state === "done") URL.revokeObjectURL(recording.current || "");
    if (report.state === "done") recording.current = report.url;
    call("onRecording", report);
  };
  // The props pass as they are (deviceId, muted, maxCallSeconds, sessionSeconds, dataChannel,
  // maxEventChars, batchMs, unansweredMs); the rest as connection.js takes them.
  const connectionOptions = () => {
    const now = latest.current;
    return {
      ...now,
      audio: audio.current,
      bars,
      log: log.current,
      forwarded: new Set(now.forwardedEvents || []),
      deltaKinds: new Set(now.mergedDeltas || []),
      recording: now.record ? { maxBytes: now.maxRecordingBytes, bitsPerSecond: now.recordingBitsPerSecond } : null,
      onRecording: recorded,
      onEvents: (batch, number) => latest.current.onEvents && latest.current.onEvents(batch, number),
      onFailure: (message) => call("onStatus", { status: "error", message }),
      onNotice: (message) => call("onStatus", { status: "notice", message }),
      onDevices: (devices) => call("onDevices", devices),
      onCall: (callId) => call("onStatus", { status: "call", call_id: callId }),
    };
  };
  const isOpen = (current) => Boolean(current) && current.status !== PHASES.CLOSED;

  useEffect(() => {
    log.current = makeLog((entries) => call("onLog", entries), latest.current.logKept);
    // The click on Connect ([data-starts-call]) starts the microphone and the offer at once,
    // while Python checks it and mints the secret; Python's go-ahead adopts that call. If no
    // go-ahead comes (a refusal), it is dropped, microphone and all.
    const onClick = (event) => {
      if (!startsCall(event.target)) return;
      if (connection.current || isOpen(prepared.current)) return;
      const early = openConnection(connectionOptions());
      prepared.current = early;
      setTimeout(() => {
        if (prepared.current !== early) return;
        prepared.current = null;
        early.close();
      }, PREPARED_MS);
    };
    document.addEventListener("click", onClick, true);
    const stopIntent = listenForIntent(() => !connection.current, () => call("onIntent"));
    const warming = setTimeout(warmUp, 0); // after the first render, not during it
    const stopShortcuts = listenForShortcuts((key) => call("onKey", key));
    return () => {
      document.removeEventListener("click", onClick, true);
      stopIntent();
      clearTimeout(warming);
      if (prepared.current) prepared.current.close();
      stopShortcuts();
      log.current.stop();
      URL.revokeObjectURL(recording.current || "");
    };
  }, []);

  useEffect(() => {
    if (log.current) log.current.setOpen(Boolean(logOpen));
  }, [logOpen]);

  useEffect(() => {
    if (log.current) log.current.setKept(logKept);
  }, [logKept]);

  useEffect(() => {
    if (leftOver) call("onStatus", { status: "dropped" }); // Python ends it and says so
  }, [leftOver]);

  // Layout effects: the call starts as soon as React commits, not after the next paint.
  useLayoutEffect(() => {
    if (!active) return undefined;
    skipQueued();
    const early = prepared.current;
    prepared.current = null;
    const current = isOpen(early) ? early : openConnection(connectionOptions());
    connection.current = current;
    setActiveCall(current);
    // Closing the tab hangs up at once, so the call is not billed until ICE times out.
    const onPageHide = () => current.close();
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      current.close();
      clearActiveCall(current);
      if (connection.current === current) connection.current = live.current = null;
    };
  }, [active]);

  // Python's go-ahead names the API: a client secret (the Realtime API), or GPT-Live's readiness.
  useLayoutEffect(() => {
    if (active && clientSecret && connection.current) {
      connection.current.connect(realtimeApi(clientSecret, callsUrl, openingEvents));
    }
  }, [active, clientSecret]);

  useLayoutEffect(() => {
    if (!(active && liveReady && connection.current) || live.current) return;
    live.current = liveApi((sdp) => call("onOffer", sdp));
    connection.current.connect(live.current);
  }, [active, liveReady]);

  useLayoutEffect(() => {
    if (active && liveAnswer && live.current) live.current.answered(liveAnswer);
  }, [active, liveAnswer]);

  useEffect(() => {
    if (connection.current) connection.current.mute(muted);
  }, [muted]);

  // Kept only when the user asks (Python then names where, with a pass for this conversation).
  useEffect(() => {
    if (!keepRecording || !recording.current) return;
    upload(recording.current, keepRecording).then((problem) =>
      call("onRecording", problem ? { state: "not_kept", message: problem } : { state: "kept" }));
  }, [keepRecording]);

  // At commit, not after the paint: the next batch may go as soon as this one is on screen.
  useLayoutEffect(() => {
    if (connection.current) connection.current.handled(handledBatch);
  }, [handledBatch]);

  useEffect(() => {
    if (!active) {
      skipQueued(); // no call: what is queued was for an earlier one
      return;
    }
    for (const { seq, event } of outgoing || []) {
      if (seq <= sentUpTo.current) continue;
      sentUpTo.current = seq;
      if (!(connection.current && connection.current.send(event))) {
        call("onStatus", { status: "unsent", message: MESSAGES.unsent });
      }
    }
  }, [outgoing]);

  return h(
    "div",
    { ...element, style: { display: "flex", gap: "16px", width: "100%", flexWrap: "wrap", ...(element.style || {}) } },
    h("audio", { ref: audio, autoPlay: true, "data-testid": "remote-audio" }),
    meter("You", "input-level", bars.input, "var(--accent-9)"),
    meter("Model", "output-level", bars.output, "var(--green-9)"),
  );
}
