// One call: peer connection, data channel, microphone and the model's voice, as a small interface
// (connect, send, mute, close, status). What differs between the two APIs is in realtime_api.js
// and live.js; the call's one phase is in phases.js. Reports through callbacks; knows nothing of
// React or Python.
import { makeBatcher } from "./batching.js";
import { readEvent, watchStats } from "./incoming.js";
import { audioContext } from "./audio_context.js";
import { withoutImageData } from "./images.js";
import { makeMedia } from "./media.js";
import { requestMicrophone } from "./microphone.js";
import { MESSAGES, callLimitReached, microphoneProblem, sessionEndsSoon } from "./messages.js";
import { PHASES, makePhase } from "./phases.js";

const WARNED_BEFORE_END_S = 5 * 60;
const { OFFERING, ANSWERED, OPEN, CLOSED } = PHASES;

// Creating the first RTCPeerConnection and an AudioContext blocks the page for tens of
// milliseconds: done once per page, ahead of the first Connect, so a click does not wait for it.
export function warmUp() {
  audioContext();
  new RTCPeerConnection({ iceServers: [] }).close();
}

// `options`: audio (element), bars (meter refs), log, deviceId, muted, maxCallSeconds,
// sessionSeconds, dataChannel, forwarded and deltaKinds (Sets of event types), maxEventChars,
// batchMs and unansweredMs (see batching.js), recording ({maxBytes, bitsPerSecond}, or null: not
// recorded), and the callbacks onEvents (batch, number), onFailure, onNotice, onDevices, onCall,
// onRecording (see recorder.js).
// All that needs no API starts at once, while Python checks the click and mints its secret: the
// microphone, the data channel and the offer. `connect(api)` then takes it to the API chosen.
export function openConnection(options) {
  const { log, maxCallSeconds, sessionSeconds, forwarded, maxEventChars } = options;
  const phase = makePhase();
  let api = null; // realtimeApi(...) or liveApi(...), from connect()
  let held = []; // what waits for the session to hear it (the API's opening events; GPT-Live: all until it starts)
  let ended = null; // why the session ended, as the API said
  let stopStats = () => {};
  const startedAt = performance.now(); // events are stamped in ms since Connect
  const sinceStart = () => performance.now() - startedAt;
  const microphone = requestMicrophone(options.deviceId); // first: the device opens while the rest is set up
  microphone.catch(() => {}); // reported by connect()
  const pc = new RTCPeerConnection({ iceServers: [] });
  const batcher = makeBatcher(options.onEvents, options.deltaKinds, options.batchMs, options.unansweredMs);
  const timers = [
    maxCallSeconds && setTimeout(() => fail(callLimitReached(maxCallSeconds)), maxCallSeconds * 1000),
    sessionSeconds && setTimeout(() => options.onNotice(sessionEndsSoon(WARNED_BEFORE_END_S, sessionSeconds)),
      (sessionSeconds - WARNED_BEFORE_END_S) * 1000),
  ];
  const media = makeMedia(pc, microphone, options, { fail, isClosed: () => phase.is(CLOSED), timers });

  function fail(message) {
    if (phase.is(CLOSED)) return;
    close();
    options.onFailure(message);
  }

  const transmit = (event) => {
    channel.send(JSON.stringify(event));
    log.add("client", event, sinceStart());
  };
  const flush = () => held.splice(0).forEach(transmit);
  const opened = () => phase.to(OPEN) && flush();

  const channel = pc.createDataChannel(options.dataChannel);
  channel.onopen = () => api && !api.startedBy && opened();
  channel.onclose = () => fail(ended || MESSAGES.sessionEnded);
  channel.onmessage = (message) => {
    const read = readEvent(message.data, maxEventChars);
    if (!read || !api) return;
    const event = withoutImageData(read);
    const ms = sinceStart();
    log.add("server", event, ms);
    ended = api.endedBy(event) || ended;
    if (event.type === api.startedBy) opened();
    if (forwarded.has(event.type)) batcher.push({ ...event, received_ms: Math.round(ms) });
  };
  pc.onconnectionstatechange = () => pc.connectionState === "failed" && fail(MESSAGES.networkFailed);

  // The offer does not wait for the device to open (tens of ms): it has an audio transceiver,
  // which takes the microphone's track once it is open.
  const offer = pc.createOffer().then((made) => pc.setLocalDescription(made)).then(() => pc.localDescription.sdp);
  offer.catch(() => {}); // reported by connect()

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
      return phase.is(CLOSED) ? null : sdp;
    } catch (_) {
      fail(MESSAGES.offerFailed);
      return null;
    }
  }

  // The one start of a call at `chosen` (realtime_api.js or live.js); later ones are refused.
  async function connect(chosen) {
    if (!phase.to(OFFERING)) return;
    api = chosen;
    held = [...api.opening];
    const local = await readyOffer();
    if (local === null) return;
    const sdp = await api.prepare(pc, local);
    if (phase.is(CLOSED)) return;
    const { failure, callId, answer } = await api.exchange(sdp);
    if (phase.is(CLOSED)) return;
    if (failure) return fail(failure);
    // At once: the call counts as connected only once the server holds its own connection to it.
    // None readable: the server says it can neither hear this call nor hang it up at the limit.
    if (callId !== undefined) options.onCall(callId);
    if (!phase.to(ANSWERED)) return;
    try {
      await pc.setRemoteDescription({ type: "answer", sdp: answer });
    } catch (_) {
      return fail(MESSAGES.answerUnusable);
    }
    stopStats = watchStats(pc, options.audio);
  }

  // True: sent, or held for a session that will hear it (GPT-Live before session.started).
  function send(event) {
    if (phase.is(OPEN)) return channel.readyState === "open" && (transmit(event), true);
    const holds = api && api.startedBy && phase.is(OFFERING, ANSWERED) && ["connecting", "open"].includes(channel.readyState);
    return Boolean(holds) && held.push(event) > 0;
  }

  // The one way a call ends: disconnect, failure and unmount all come here, as often as they like.
  function close() {
    if (phase.is(CLOSED)) return;
    if (api && api.hangUp) send(api.hangUp); // while the channel is open: the server then hears the session's final usage
    // Held for a session not started yet: only an answered offer's channel can still open.
    const lingering = Boolean(api && api.linger) && phase.is(ANSWERED) && held.length > 0 && pc.remoteDescription !== null;
    phase.to(CLOSED);
    batcher.flush(); // what arrived before the end still reaches Python, in order
    stopStats();
    timers.forEach(clearTimeout);
    media.stop();
    channel.onclose = channel.onmessage = channel.onopen = null;
    pc.onconnectionstatechange = null;
    if (lingering) api.linger(pc, channel, flush);
    else {
      channel.close();
      pc.close();
    }
  }

  return {
    connect, send, close,
    mute: media.mute,
    handled: batcher.handled, // Python's word that it took a batch: the next may go
    get status() {
      return phase.current;
    },
  };
}
