// The page's one AudioContext, shared by the meters and the recorder.

// Made once per page, ahead of the first Connect: creating an AudioContext blocks the page for
// tens of milliseconds, which a click should not wait for (see warmUp in connection.js).
let sharedAudio = null;
export function audioContext() {
  if (!sharedAudio) sharedAudio = new AudioContext();
  return sharedAudio;
}
