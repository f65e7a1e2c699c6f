// What comes in from the API besides audio: data-channel messages as events, and the bytes of
// the model's voice received (the page shows them as data-bytes-received on the audio element).

// A server event from a data-channel message, or null: too large (dropped unread, so memory
// stays bounded), not JSON, or with no type.
export function readEvent(data, maxChars) {
  if (typeof data !== "string" || data.length > maxChars) return null;
  try {
    const event = JSON.parse(data);
    return event && typeof event.type === "string" ? event : null;
  } catch (_) {
    return null;
  }
}

// Every second, the bytes of audio received so far; returns the function that stops it.
export function watchStats(pc, audio) {
  const timer = setInterval(async () => {
    const stats = await pc.getStats().catch(() => null);
    stats && stats.forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "audio") audio.dataset.bytesReceived = String(report.bytesReceived);
    });
  }, 1000);
  return () => clearInterval(timer);
}
