// One call: peer connection, data channel, microphone and the model's voice, and one idempotent
// close(). Reports through callbacks; knows nothing of React or Python.
import { makeBatcher } from "./batching.js";
import { readEvent, watchStats } from "./incoming.js";
import { HANG_UP, closeOnceStarted, endedBecause, gathered } from "./live.js";
import { audioContext } from "./audio_context.js";
import { withoutImageData } from "./images.js";
import { makeMeters } from "./meters.js";
import { listMicrophones, requestMicrophone } from "./microphone.js";
import { MESSAGES, callLimitReached, microphoneProblem, sessionEndsSoon } from "./messages.js";
import { makeRecorder } from "./recorder.js";
import { postOffer } from "./signaling.js";

const REPORT_LATER_MS = 1000;
const WARNED_BEFORE_END_S = 5 * 60;

// Creating the first RTCPeerConnection and an AudioContext blocks the page for tens of
// milliseconds: done once per page, ahead of the first Connect, so a click does not wait for it.
export function warmUp() {
  audioContext();
  new RTCPeerConnection({ iceServers: [] }).close();
}

// `options`: audio (element), bars (meter refs), log, deviceId, muted, maxCallSeconds,
// sessionSeconds, dataChannel, forwarded and deltaKinds (Sets of event types), maxEventChars,
// batchMs and unansweredMs (see batching.js), recording ({maxBytes, bitsPerSecond}, or null: not recorded),
// and the callbacks onEvents (batch, number), onFailure, onNotice, onDevices, onCall, onOffer (GPT-Live:
// the offer for Python), onRecording (see recorder.js).
// The microphone is asked for at once, while Python mints the client secret.
export function openConnection(options) {
  const { audio, bars, log, deviceId, maxCallSeconds, sessionSeconds, forwarded, maxEventChars } = options;
  let muted = options.muted;
  const startedAt = performance.now(); // events are stamped in ms since Connect
  const sinceStart = () => performance.now() - startedAt;
  let closed = false;
  let started = false;
  let channel = null;
  // Held until the session may hear it: the Realtime API's opening events (session.update, then
  // the conversation so far) until the channel opens; anything for GPT-Live until session.started,
  // as the API refuses a command before it ("wait for session.started ... before sending commands").
  let opening = [];
  let liveStarted = false;
  let lastError = null;
  let live = false; // a GPT-Live session: hung up with session.close
  let closedBecause = null; // GPT-Live's session.closed said why
  let stopStats = () => {};
  // The microphone first: the device opens while the rest is set up.
  const microphone = requestMicrophone(deviceId);
  microphone.catch(() => {}); // reported by start(), once the secret is here
  const pc = new RTCPeerConnection({ iceServers: [] });
  const batcher = makeBatcher(options.onEvents, options.deltaKinds, options.batchMs, options.unansweredMs);
  const meters = makeMeters(bars);
  const recorder = options.recording && makeRecorder({ ...options.recording, onRecording: options.onRecording });
  const timers = [
    maxCallSeconds && setTimeout(() => fail(callLimitReached(maxCallSeconds)), maxCallSeconds * 1000),
    sessionSeconds && setTimeout(() => options.onNotice(sessionEndsSoon(WARNED_BEFORE_END_S, sessionSeconds)),
      (sessionSeconds - WARNED_BEFORE_END_S) * 1000),
  ];
  // Python handles one event at a time per page: what the user does not wait for goes once the
  // call is up, so it never queues ahead of the session's first events.
  const later = (report) => timers.push(setTimeout(() => closed || report(), REPORT_LATER_MS));

  const fail = (message) => {
    if (closed) return;
    close();
    options.onFailure(message);
  };

  const onMessage = (message) => {
    const read = readEvent(message.data, maxEventChars);
    if (!read) return;
    const event = withoutImageData(read);
    const ms = sinceStart();
    log.add("server", event, ms);
    if (event.type === "error") lastError = event.error;
    if (event.type === "session.closed") closedBecause = endedBecause(event.reason);
    if (live && event.type === "session.started" && !liveStarted) {
      liveStarted = true;
      flush();
    }
    if (forwarded.has(event.type)) batcher.push({ ...event, received_ms: Math.round(ms) });
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
      track.onended = () => fail(MESSAGES.microphoneUnplugged);
      transceiver.sender.replaceTrack(track).catch(() => fail(MESSAGES.microphoneUnusable));
      meters.input(stream);
      if (recorder) recorder.add(stream, false);
      later(() => listMicrophones().then(options.onDevices).catch(() => {}));
    }, () => {});
    channel = pc.createDataChannel(options.dataChannel);
    channel.onopen = () => live || flush();
    channel.onmessage = onMessage;
    channel.onclose = () => fail(closedBecause || (lastError && lastError.code === "session_expired" ? lastError.message : MESSAGES.sessionEnded));
    pc.ontrack = (event) => {
      audio.srcObject = event.streams[0];
      audio.play().catch(() => {});
      meters.output(event.streams[0]);
      if (recorder) recorder.add(event.streams[0], true); // the call is up: the recording starts
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") fail(MESSAGES.networkFailed);
    };
    await pc.setLocalDescription(await pc.createOffer());
    return pc.localDescription.sdp;
  })();
  offer.catch(() => {}); // reported by start()

  // `openingEvents`: client events sent as the data channel opens, in order (the session's
  // settings, then the conversation so far), before anything the user says is answered.
  // The offer, once the microphone is open; null (the call has failed) when either cannot be had.
  // No call without a microphone: a refused one (a denied permission, no device) starts nothing
  // at the API. It was asked for at the click, so it is usually open by now.
  async function readyOffer() {
    try {
      await microphone;
    } catch (error) {
      fail(microphoneProblem(error));
      return null;
    }
    try {
      const sdp = await offer;
      return closed ? null : sdp;
    } catch (_) {
      fail(MESSAGES.offerFailed);
      return null;
    }
  }

  // GPT-Live: the offer, with its candidates, goes to Python, which starts the session.
  async function offerLive() {
    if (started || closed) return;
    started = live = true;
    if ((await readyOffer()) === null) return;
    const sdp = await gathered(pc);
    if (!closed) options.onOffer(sdp);
  }

  async function answerLive(answer) {
    if (!live || closed || pc.remoteDescription) return;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
    } catch (_) {
      return fail(MESSAGES.answerUnusable);
    }
    stopStats = watchStats(pc, audio);
  }

  async function start(secret, callsUrl, openingEvents) {
    if (started || closed) return;
    started = true;
    opening = (openingEvents || []).filter(Boolean);
    const sdp = await readyOffer();
    if (sdp === null) return;
    const { failure, callId, answer } = await postOffer(callsUrl, secret, sdp);
    if (closed) return;
    if (failure) return fail(failure);
    // At once: the call counts as connected only once the server holds its own connection to it.
    // None readable: the server says it can neither hear this call nor hang it up at the limit.
    options.onCall(callId);
    try {
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
    } catch (_) {
      return fail(MESSAGES.answerUnusable);
    }
    stopStats = watchStats(pc, audio);
  }

  const transmit = (event) => {
    channel.send(JSON.stringify(event));
    log.add("client", event, sinceStart());
  };
  const flush = () => opening.splice(0).forEach(transmit);

  // GPT-Live holds what is sent before session.started (a hang-up asked for early goes once the session is up).
  function send(event) {
    if (closed || !channel) return false;
    if (channel.readyState === "open" && (!live || liveStarted)) {
      transmit(event);
      return true;
    }
    return live && ["connecting", "open"].includes(channel.readyState) && opening.push(event) > 0;
  }

  function setMuted(value) {
    muted = value; // for a track not added yet
    for (const sender of pc.getSenders()) if (sender.track) sender.track.enabled = !muted;
  }

  // The one way a call ends: disconnect, failure and unmount all come here, as often as they like.
  function close() {
    if (closed) return;
    if (live) send(HANG_UP); // while the channel is open: the server then hears the session's final usage
    // Held for a session not started yet: only an answered offer's channel can still open.
    const waitForStart = live && !liveStarted && opening.length > 0 && pc.remoteDescription !== null;
    closed = true;
    batcher.flush(); // what arrived before the end still reaches Python, in order
    stopStats();
    timers.forEach(clearTimeout);
    meters.stop();
    if (recorder) recorder.stop(); // the recording is offered once its last bytes are in
    if (channel) channel.onclose = channel.onmessage = channel.onopen = null;
    if (channel && !waitForStart) channel.close();
    pc.onconnectionstatechange = pc.ontrack = null;
    for (const sender of pc.getSenders()) {
      if (sender.track) {
        sender.track.onended = null;
        sender.track.stop();
      }
    }
    microphone.then((stream) => stream.getTracks().forEach((track) => track.stop())).catch(() => {});
    if (waitForStart) closeOnceStarted(pc, channel, flush);
    else pc.close();
    audio.srcObject = null;
  }

  return {
    start, offerLive, answerLive, send, setMuted, close,
    handled: batcher.handled, // Python's word that it took a batch: the next may go
    get closed() {
      return closed;
    },
  };
}
