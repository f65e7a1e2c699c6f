// The browser side of a Realtime API call over WebRTC: microphone, peer connection,
// the "oai-events" data channel, the model's voice, and level meters.
// Python decides *when* (props); this module does the *how*, and reports back through
// two callbacks: onEvents(batch of server events) and onStatus({status, message}).
import { createElement as h, useEffect, useLayoutEffect, useRef } from "react";

const DATA_CHANNEL = "oai-events";

// Only what the page shows travels to Python; audio deltas and the like stay here.
const UI_EVENTS = new Set([
  "error",
  "session.created",
  "session.updated",
  "input_audio_buffer.speech_started",
  "input_audio_buffer.speech_stopped",
  "input_audio_buffer.committed",
  "conversation.item.added",
  "conversation.item.done",
  "conversation.item.input_audio_transcription.delta",
  "conversation.item.input_audio_transcription.completed",
  "conversation.item.input_audio_transcription.failed",
  "response.created",
  "response.output_audio_transcript.delta",
  "response.output_audio_transcript.done",
  "response.output_text.delta",
  "response.output_text.done",
  "response.function_call_arguments.done",
  "response.done",
  "output_audio_buffer.started",
  "output_audio_buffer.stopped",
  "output_audio_buffer.cleared",
  "rate_limits.updated",
]);
const DELTAS = new Set([
  "response.output_audio_transcript.delta",
  "response.output_text.delta",
  "conversation.item.input_audio_transcription.delta",
]);
const REPORT_LATER_MS = 1000;
const PREPARED_MS = 3000; // a call begun at the click waits this long for Python's go-ahead
const FRAME_MS = 16; // one batch per frame at most: no more calls to Python than the screen can show
const LOG_KEPT = 200;
const MAX_EVENT_CHARS = 128 * 1024; // larger events are dropped unread: memory stays bounded
const LOG_FLUSH_MS = 1000; // the event log is for reading, not racing: once a second is plenty
const SESSION_WARNING_MS = 55 * 60 * 1000; // sessions end at 60 minutes
const SHORTCUT_KEYS = new Set(["m", " "]); // mute; hold to talk

// Adjacent deltas of one item become one event: fewer, larger updates for Python.
function mergeDeltas(events) {
  const merged = [];
  for (const event of events) {
    const last = merged[merged.length - 1];
    if (last && DELTAS.has(event.type) && last.type === event.type && last.item_id === event.item_id) {
      merged[merged.length - 1] = { ...last, delta: last.delta + event.delta };
    } else {
      merged.push(event);
    }
  }
  return merged;
}

// At most one batch per frame's time, in arrival order. The first event after a quiet spell goes
// at once (what arrived in the same task goes with it); during a burst the rest wait for the
// frame's time to pass. Timers, not animation frames: those pause in background tabs, and
// waiting for the next frame would add half a frame to every word on average.
function makeBatcher(deliver) {
  let queue = [];
  let timer = null;
  let last = -Infinity;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    last = performance.now();
    const batch = mergeDeltas(queue);
    queue = [];
    deliver(batch);
  };
  return {
    push(event) {
      queue.push(event);
      if (timer !== null) return;
      timer = setTimeout(flush, Math.max(0, last + FRAME_MS - performance.now()));
    },
    flush,
  };
}

function microphoneProblem(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access was denied. Allow the microphone for this site in your browser, then connect again.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Plug one in or enable it, then connect again.";
    case "NotReadableError":
      return "The microphone is busy or failed to start: close other apps using it, then connect again.";
    case "InsecureContext":
      return "This page cannot use the microphone: open it over https (or from localhost).";
    default:
      return "The microphone could not be started. Check your browser's microphone settings, then connect again.";
  }
}

async function callRefusal(response) {
  let said = "";
  try {
    said = ((await response.json()).error || {}).message || "";
  } catch (_) {
    // not JSON: the status says enough
  }
  return `The Realtime API refused the call (${response.status})${said ? ": " + said : "."}`;
}

// Made once per page, ahead of the first Connect: creating an AudioContext or the first
// RTCPeerConnection blocks the page for tens of milliseconds, which a click should not wait for.
let sharedAudio = null;
function audioContext() {
  if (!sharedAudio) sharedAudio = new AudioContext();
  return sharedAudio;
}
function warmUp() {
  audioContext();
  new RTCPeerConnection({ iceServers: [] }).close();
}

// Input and output loudness, drawn straight into two bars: no round trip to Python.
function makeMeters(bars) {
  const context = audioContext();
  context.resume().catch(() => {}); // made before any click: it starts suspended
  const sources = [];
  let frame = null;
  const watch = (stream, bar) => {
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    sources.push({ source, analyser, bar, samples: new Float32Array(analyser.fftSize) });
    if (frame === null) frame = requestAnimationFrame(draw);
  };
  const draw = () => {
    for (const { analyser, bar, samples } of sources) {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      if (bar.current) bar.current.style.transform = `scaleX(${level.toFixed(3)})`;
    }
    frame = requestAnimationFrame(draw);
  };
  return {
    input: (stream) => watch(stream, bars.input),
    output: (stream) => watch(stream, bars.output),
    stop() {
      cancelAnimationFrame(frame);
      for (const { source, bar } of sources) {
        source.disconnect();
        if (bar.current) bar.current.style.transform = "scaleX(0)";
      }
    },
  };
}

// Every event, both ways, for the event log panel: bounded, and sent only while it is open.
function makeLog(deliver) {
  let entries = [];
  let open = false;
  const timer = setInterval(() => {
    if (open && entries.length) {
      deliver(entries);
      entries = [];
    }
  }, LOG_FLUSH_MS);
  return {
    add(direction, event, ms) {
      entries.push({ direction, type: String(event.type), ms: Math.round(ms), json: JSON.stringify(event) });
      if (entries.length > LOG_KEPT) entries = entries.slice(-LOG_KEPT);
    },
    setOpen(value) {
      open = value;
    },
    stop: () => clearInterval(timer),
  };
}

function microphoneConstraints(deviceId) {
  const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return { audio };
}

async function listMicrophones() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === "audioinput")
    .map((device, index) => ({ id: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}

// One call. The microphone is asked for at once, while Python mints the client secret.
function openConnection({ audio, bars, deviceId, muted, maxCallSeconds, log, onEvents, onFailure, onNotice, onDevices, onCall }) {
  const startedAt = performance.now(); // events are stamped in ms since Connect
  const sinceStart = () => performance.now() - startedAt;
  let closed = false;
  let started = false;
  let channel = null;
  let sessionUpdate = null;
  let lastError = null;
  let statsTimer = null;
  // The microphone first: the device opens while the rest is set up.
  const microphone = navigator.mediaDevices
    ? navigator.mediaDevices.getUserMedia(microphoneConstraints(deviceId))
    : Promise.reject({ name: "InsecureContext" });
  const pc = new RTCPeerConnection({ iceServers: [] });
  const batcher = makeBatcher(onEvents);
  const meters = makeMeters(bars);
  const hangUp = maxCallSeconds
    ? setTimeout(() => {
        const limit = maxCallSeconds < 120 ? `${maxCallSeconds} seconds` : `${Math.round(maxCallSeconds / 60)} minutes`;
        fail(`This call reached this server's limit of ${limit}. Connect again to go on.`);
      }, maxCallSeconds * 1000)
    : null;
  const warning = setTimeout(
    () => onNotice("This session ends in about 5 minutes (sessions last at most 60 minutes)."),
    SESSION_WARNING_MS,
  );
  microphone.catch(() => {}); // reported by start(), once the secret is here

  // Python handles one event at a time per page: what the user does not wait for goes once the
  // call is up, so it never queues ahead of the session's first events.
  const laterTimers = [];
  const later = (report) => laterTimers.push(setTimeout(() => closed || report(), REPORT_LATER_MS));

  const fail = (message) => {
    if (closed) return;
    close();
    onFailure(message);
  };

  const onMessage = (message) => {
    if (typeof message.data !== "string" || message.data.length > MAX_EVENT_CHARS) return;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (_) {
      return;
    }
    if (!event || typeof event.type !== "string") return;
    const ms = sinceStart();
    log.add("server", event, ms);
    if (event.type === "error") lastError = event.error;
    if (UI_EVENTS.has(event.type)) batcher.push({ ...event, received_ms: Math.round(ms) });
  };

  const watchStats = () => {
    statsTimer = setInterval(async () => {
      const stats = await pc.getStats().catch(() => null);
      stats && stats.forEach((report) => {
        if (report.type === "inbound-rtp" && report.kind === "audio") audio.dataset.bytesReceived = String(report.bytesReceived);
      });
    }, 1000);
  };

  // All that needs no secret starts at once, while the server mints it: the microphone, the
  // data channel and the offer. The offer does not wait for the device to open (tens of ms):
  // it has an audio transceiver, which takes the microphone's track once it is open.
  const offer = (async () => {
    const transceiver = pc.addTransceiver("audio", { direction: "sendrecv" });
    microphone.then((stream) => {
      const [track] = stream.getAudioTracks();
      if (closed || !track) return;
      track.enabled = !muted;
      track.onended = () => fail("The microphone was disconnected. Plug it back in or choose another, then connect again.");
      transceiver.sender.replaceTrack(track).catch(() => fail("This browser could not use the microphone for the call: reload the page and connect again."));
      meters.input(stream);
      later(() => listMicrophones().then(onDevices).catch(() => {}));
    }, () => {});
    channel = pc.createDataChannel(DATA_CHANNEL);
    channel.onopen = () => sessionUpdate && send(sessionUpdate);
    channel.onmessage = onMessage;
    channel.onclose = () =>
      fail(lastError && lastError.code === "session_expired" ? lastError.message : "The session ended: the connection to the model closed.");
    pc.ontrack = (event) => {
      audio.srcObject = event.streams[0];
      audio.play().catch(() => {});
      meters.output(event.streams[0]);
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") fail("The network path to the model failed (ICE/DTLS): check your network or firewall, then connect again.");
    };
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  })();
  offer.catch(() => {}); // reported by start()

  async function start(secret, callsUrl, update) {
    if (started || closed) return;
    started = true;
    sessionUpdate = update;
    // No call without a microphone: a refused one (a denied permission, no device) starts
    // nothing at the API. It was asked for at the click, so it is usually open by now.
    try {
      await microphone;
    } catch (error) {
      return fail(microphoneProblem(error));
    }
    let sdp;
    try {
      sdp = await offer;
    } catch (_) {
      return fail("This browser could not prepare the call (WebRTC offer): reload the page and connect again.");
    }
    if (closed || sdp === null) return;
    let response;
    try {
      response = await fetch(callsUrl, {
        method: "POST",
        body: sdp,
        headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/sdp" },
      });
    } catch (_) {
      return fail("Could not reach the Realtime API to start the call: check your network, then connect again.");
    }
    if (closed) return;
    if (!response.ok) return fail(await callRefusal(response));
    // The call's id lets the server hang it up at its length limit, whatever this page does.
    const callId = (response.headers.get("location") || "").split("/").pop();
    later(() => onCall(callId)); // none readable: the server logs that it cannot enforce the limit
    const answer = await response.text();
    if (closed) return;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
    } catch (_) {
      return fail("The Realtime API answered the call with something this browser cannot use.");
    }
    watchStats();
  }

  function send(event) {
    if (closed || !channel || channel.readyState !== "open") return false;
    channel.send(JSON.stringify(event));
    log.add("client", event, sinceStart());
    return true;
  }

  function setMuted(value) {
    muted = value; // for a track not added yet
    for (const sender of pc.getSenders()) if (sender.track) sender.track.enabled = !muted;
  }

  // The one way a call ends: disconnect, failure and unmount all come here, as often as they like.
  function close() {
    if (closed) return;
    closed = true;
    batcher.flush(); // what arrived before the end still reaches Python, in order
    clearInterval(statsTimer);
    clearTimeout(warning);
    clearTimeout(hangUp);
    laterTimers.forEach(clearTimeout);
    meters.stop();
    if (channel) {
      channel.onclose = channel.onmessage = channel.onopen = null;
      channel.close();
    }
    pc.onconnectionstatechange = pc.ontrack = null;
    for (const sender of pc.getSenders()) {
      if (sender.track) {
        sender.track.onended = null;
        sender.track.stop();
      }
    }
    microphone.then((stream) => stream.getTracks().forEach((track) => track.stop())).catch(() => {});
    pc.close();
    audio.srcObject = null;
  }

  return {
    start, send, setMuted, close,
    get closed() {
      return closed;
    },
  };
}

const meterStyle = { flex: 1, height: "6px", borderRadius: "3px", background: "var(--gray-a4)", overflow: "hidden" };
const barStyle = (color) => ({ height: "100%", background: color, transform: "scaleX(0)", transformOrigin: "left", transition: "transform 60ms linear" });

function meter(label, testId, ref, color) {
  return h(
    "div",
    { style: { display: "flex", alignItems: "center", gap: "8px", minWidth: "8rem", flex: 1 } },
    h("span", { style: { fontSize: "12px", color: "var(--gray-11)", minWidth: "3.5rem" } }, label),
    h("div", { style: meterStyle, "data-testid": testId, "aria-hidden": "true" }, h("div", { ref, style: barStyle(color) })),
  );
}

function isTyping(target) {
  const tag = target && target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
}

export function RealtimeSession(props) {
  const { wantConnection, clientSecret, callsUrl, sessionUpdate, outgoing, muted, deviceId, logOpen, maxCallSeconds, ...rest } = props;
  const { onEvents, onStatus, onKey, onLog, onDevices, ...element } = rest;
  const audio = useRef(null);
  const bars = { input: useRef(null), output: useRef(null) };
  const connection = useRef(null);
  const log = useRef(null);
  const callbacks = useRef({});
  callbacks.current = { onEvents, onStatus, onKey, onLog, onDevices, muted, deviceId, maxCallSeconds };
  const call = (name, value) => callbacks.current[name] && callbacks.current[name](value);
  // Client events are for the call they were queued in: those already in `outgoing` when a call
  // starts (from an earlier call, or an earlier page) are never sent.
  const sentUpTo = useRef(-1);
  const skipQueued = () => (sentUpTo.current = Math.max(sentUpTo.current, ...(outgoing || []).map((o) => o.seq)));

  const prepared = useRef(null); // a call begun at the Connect click, before Python's answer
  const connectionOptions = () => ({
    audio: audio.current,
    bars,
    deviceId: callbacks.current.deviceId,
    muted: callbacks.current.muted,
    maxCallSeconds: callbacks.current.maxCallSeconds,
    log: log.current,
    onEvents: (batch) => call("onEvents", batch),
    onFailure: (message) => call("onStatus", { status: "error", message }),
    onNotice: (message) => call("onStatus", { status: "notice", message }),
    onDevices: (devices) => call("onDevices", devices),
    onCall: (callId) => call("onStatus", { status: "call", call_id: callId }),
  });

  useEffect(() => {
    log.current = makeLog((entries) => call("onLog", entries));
    // The click on Connect ([data-starts-call]) starts the microphone and the offer at once,
    // while Python checks it and mints the secret; Python's go-ahead adopts that call. If no
    // go-ahead comes (a refusal), it is dropped, microphone and all.
    const onClick = (event) => {
      if (!(event.target instanceof Element) || !event.target.closest("[data-starts-call]")) return;
      if (connection.current || (prepared.current && !prepared.current.closed)) return;
      const early = openConnection(connectionOptions());
      prepared.current = early;
      setTimeout(() => {
        if (prepared.current !== early) return;
        prepared.current = null;
        early.close();
      }, PREPARED_MS);
    };
    document.addEventListener("click", onClick, true);
    const warming = setTimeout(warmUp, 0); // after the first render, not during it
    // Shortcuts: M mutes, holding Space talks (push-to-talk). Not while typing.
    const onKeyChange = (down) => (event) => {
      const key = event.key.toLowerCase();
      if (!SHORTCUT_KEYS.has(key) || event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (key === " ") event.preventDefault(); // no page scroll, no button press
      call("onKey", { key, down });
    };
    const keydown = onKeyChange(true);
    const keyup = onKeyChange(false);
    window.addEventListener("keydown", keydown);
    window.addEventListener("keyup", keyup);
    return () => {
      document.removeEventListener("click", onClick, true);
      clearTimeout(warming);
      if (prepared.current) prepared.current.close();
      window.removeEventListener("keydown", keydown);
      window.removeEventListener("keyup", keyup);
      log.current.stop();
    };
  }, []);

  useEffect(() => {
    if (log.current) log.current.setOpen(Boolean(logOpen));
  }, [logOpen]);

  // Layout effects: the call starts as soon as React commits, not after the next paint.
  useLayoutEffect(() => {
    if (!wantConnection) return undefined;
    skipQueued();
    const early = prepared.current;
    prepared.current = null;
    const current = early && !early.closed ? early : openConnection(connectionOptions());
    connection.current = current;
    // Closing the tab hangs up at once, so the call is not billed until ICE times out.
    const onPageHide = () => current.close();
    window.addEventListener("pagehide", onPageHide);
    return () => {
      window.removeEventListener("pagehide", onPageHide);
      current.close();
      if (connection.current === current) connection.current = null;
    };
  }, [wantConnection]);

  useLayoutEffect(() => {
    if (wantConnection && clientSecret && connection.current) {
      connection.current.start(clientSecret, callsUrl, sessionUpdate);
    }
  }, [wantConnection, clientSecret]);

  useEffect(() => {
    if (connection.current) connection.current.setMuted(muted);
  }, [muted]);

  useEffect(() => {
    if (!wantConnection) {
      skipQueued(); // no call: what is queued was for an earlier one
      return;
    }
    for (const { seq, event } of outgoing || []) {
      if (seq <= sentUpTo.current) continue;
      sentUpTo.current = seq;
      if (!(connection.current && connection.current.send(event))) {
        call("onStatus", { status: "unsent", message: "Not connected: the message was not sent." });
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
