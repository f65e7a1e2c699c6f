// A call's recording: both voices, the microphone and the model's, mixed in the browser and
// recorded there. Nothing leaves the page unless the user asks to keep it (upload()).
// No React here: a test imports it into a bare page (tests/e2e/test_recording.py).
import { audioContext } from "./audio_context.js";

const SLICE_MS = 1000; // the recorder hands over its bytes each second, so the size is known
const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"];

export const recordingType = () =>
  typeof MediaRecorder === "undefined" ? null : TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || null;

// `maxBytes`: the recording stops before it grows past this; `bitsPerSecond`: the Opus rate.
// Reports through onRecording({state: "recording"}), then once, as it ends: {state: "done",
// url (an object URL of the Blob), bytes, type, full (it stopped at maxBytes)}, or {state: "failed"}
// (this browser cannot record).
export function makeRecorder({ maxBytes, bitsPerSecond, onRecording }) {
  const type = recordingType();
  const context = audioContext();
  const mix = context.createMediaStreamDestination();
  const sources = [];
  const chunks = [];
  let bytes = 0;
  let full = false;
  let recorder = null;

  const release = () => sources.forEach((source) => source.disconnect());
  const stop = () => {
    if (recorder && recorder.state !== "inactive") recorder.stop(); // its last bytes, then onstop
    else if (!recorder) release(); // the call ended before it was up: nothing was recorded
  };

  const finish = () => {
    release();
    const blob = new Blob(chunks, { type: recorder.mimeType || type });
    onRecording({ state: "done", url: URL.createObjectURL(blob), bytes: blob.size, type: blob.type, full });
  };

  const start = () => {
    if (recorder) return;
    if (!type) return onRecording({ state: "failed" });
    try {
      recorder = new MediaRecorder(mix.stream, { mimeType: type, audioBitsPerSecond: bitsPerSecond });
    } catch (_) {
      return onRecording({ state: "failed" });
    }
    recorder.ondataavailable = (event) => {
      if (full || !event.data.size) return;
      if (bytes + event.data.size > maxBytes) {
        full = true; // this slice would pass the limit: the recording ends with the one before
        return stop();
      }
      bytes += event.data.size;
      chunks.push(event.data);
    };
    recorder.onstop = finish;
    recorder.onerror = () => onRecording({ state: "failed" });
    recorder.start(SLICE_MS);
    onRecording({ state: "recording" });
  };

  return {
    // Each voice joins the mix as it arrives; the recording starts with the model's (the call is up).
    add(stream, startsRecording) {
      const source = context.createMediaStreamSource(stream);
      source.connect(mix);
      sources.push(source);
      if (startsRecording) start();
    },
    stop,
  };
}

// Sends a finished recording (its object URL) to be kept with its conversation; resolves to ""
// or to why it was not kept.
export async function upload(url, target) {
  try {
    const blob = await (await fetch(url)).blob();
    const response = await fetch(target, { method: "POST", body: blob, headers: { "Content-Type": blob.type } });
    if (response.ok) return "";
    const { message } = await response.json().catch(() => ({}));
    return message || `The recording was not kept (${response.status}).`;
  } catch (_) {
    return "The recording could not be sent: check the connection and try again.";
  }
}
