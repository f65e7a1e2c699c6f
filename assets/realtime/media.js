// A call's audio: the microphone's track into the offer's transceiver, the model's voice into the
// <audio> element, the level meters and the recording (opt-in). Stopped once, with the call.
import { makeMeters } from "./meters.js";
import { listMicrophones } from "./microphone.js";
import { MESSAGES } from "./messages.js";
import { makeRecorder } from "./recorder.js";

const REPORT_LATER_MS = 1000;

// `microphone`: the promise of its stream; `call`: {fail(message), isClosed(), timers (cleared
// with the call)}. The transceiver is added at once: the offer is made before the device opens.
export function makeMedia(pc, microphone, options, call) {
  const { audio } = options;
  let muted = options.muted;
  const meters = makeMeters(options.bars);
  const recorder = options.recording && makeRecorder({ ...options.recording, onRecording: options.onRecording });
  // Python handles one event at a time per page: what the user does not wait for goes once the
  // call is up, so it never queues ahead of the session's first events.
  const later = (report) => call.timers.push(setTimeout(() => call.isClosed() || report(), REPORT_LATER_MS));
  const transceiver = pc.addTransceiver("audio", { direction: "sendrecv" });

  microphone.then((stream) => {
    const [track] = stream.getAudioTracks();
    if (call.isClosed() || !track) return;
    track.enabled = !muted;
    track.onended = () => call.fail(MESSAGES.microphoneUnplugged);
    transceiver.sender.replaceTrack(track).catch(() => call.fail(MESSAGES.microphoneUnusable));
    meters.input(stream);
    if (recorder) recorder.add(stream, false);
    later(() => listMicrophones().then(options.onDevices).catch(() => {}));
  }, () => {});

  pc.ontrack = (event) => {
    audio.srcObject = event.streams[0];
    audio.play().catch(() => {});
    meters.output(event.streams[0]);
    if (recorder) recorder.add(event.streams[0], true); // the call is up: the recording starts
  };

  function mute(value) {
    muted = value; // for a track not added yet
    for (const sender of pc.getSenders()) if (sender.track) sender.track.enabled = !muted;
  }

  function stop() {
    meters.stop();
    if (recorder) recorder.stop(); // the recording is offered once its last bytes are in
    pc.ontrack = null;
    for (const sender of pc.getSenders()) {
      if (sender.track) {
        sender.track.onended = null;
        sender.track.stop();
      }
    }
    microphone.then((stream) => stream.getTracks().forEach((track) => track.stop())).catch(() => {});
    audio.srcObject = null;
  }

  return { mute, stop };
}
