// Injected before either page runs: the same stopwatch for ours and the baseline.
// Arrival: when a data-channel message reaches the page (this listener is added first).
// Shown: when a numbered word ("w17") is first in the transcript's DOM text.
// Received: every data-channel message, as [time, text], for the backend-cost loads.
window.__bench = { click: null, connected: null, firstAudio: null, arrived: {}, shown: {}, received: [] };
window.__benchPeers = [];
(() => {
  const b = window.__bench;
  const create = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args);
    window.__benchPeers.push(this); // hung up between runs, so no call of the last run competes for CPU
    channel.addEventListener("message", (message) => {
      const now = performance.now();
      const data = message.data;
      b.received.push([now, data]);
      // The answer's voice starting (GPT-Live: its first words, which come with their voice).
      if (b.firstAudio === null && /output_audio_buffer\.started|session\.output_transcript\.delta/.test(data)) {
        const type = (() => { try { return JSON.parse(data).type; } catch (_) { return null; } })();
        if (type === "output_audio_buffer.started" || type === "session.output_transcript.delta") b.firstAudio = now;
      }
      const word = /"delta":\s*"(w\d+)/.exec(data);
      if (word && !(word[1] in b.arrived)) b.arrived[word[1]] = now;
    });
    return channel;
  };
  new MutationObserver(() => {
    const now = performance.now();
    const status = document.querySelector("[data-testid=status]");
    if (b.connected === null && status && /^\s*connected/.test(status.textContent)) b.connected = now;
    const transcript = document.querySelector("[data-testid=transcript]");
    if (!transcript) return;
    for (const match of transcript.textContent.matchAll(/w\d+/g)) {
      if (!(match[0] in b.shown)) b.shown[match[0]] = now;
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
