// What the user reads when a call cannot start or ends: each message says what to do next.

export const MESSAGES = {
  microphoneUnplugged: "The microphone was disconnected. Plug it back in or choose another, then connect again.",
  microphoneUnusable: "This browser could not use the microphone for the call: reload the page and connect again.",
  offerFailed: "This browser could not prepare the call (WebRTC offer): reload the page and connect again.",
  unreachable: "Could not reach the Realtime API to start the call: check your network, then connect again.",
  answerUnusable: "The Realtime API answered the call with something this browser cannot use.",
  networkFailed: "The network path to the model failed (ICE/DTLS): check your network or firewall, then connect again.",
  sessionEnded: "The session ended: the connection to the model closed.",
  unsent: "Not connected: the message was not sent.",
};

export function microphoneProblem(error) {
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

export async function callRefusal(response) {
  let said = "";
  try {
    said = ((await response.json()).error || {}).message || "";
  } catch (_) {
    // not JSON: the status says enough
  }
  return `The Realtime API refused the call (${response.status})${said ? ": " + said : "."}`;
}

const duration = (seconds) => (seconds < 120 ? `${seconds} seconds` : `${Math.round(seconds / 60)} minutes`);

export const callLimitReached = (maxCallSeconds) =>
  `This call reached this server's limit of ${duration(maxCallSeconds)}. Connect again to go on.`;

export const sessionEndsSoon = (warnedSeconds, sessionSeconds) =>
  `This session ends in about ${duration(warnedSeconds)} (sessions last at most ${duration(sessionSeconds)}).`;
