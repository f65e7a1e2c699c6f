// What a GPT-Live call does differently in the browser: there is no client secret, so the offer
// goes to Python (which starts the session with the server's key) once its candidates are in,
// and the answer comes back as a prop; the API refuses commands before `session.started`, so
// what is sent earlier is held until it comes; hanging up is `session.close`; `session.closed`
// says why a session ended.

const GATHERING_MS = 3000; // at most: then what was gathered by then
// Host candidates over UDP come within milliseconds of each other; Chromium's TCP ones come about
// 120 ms later, and an API server does not dial them: the offer goes this long after the first.
const QUIET_MS = 20;

// The offer with its candidates: the session is started from it in one request, with no trickle.
export function gathered(pc) {
  return new Promise((resolve) => {
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      pc.removeEventListener("icecandidate", soon);
      resolve(pc.localDescription.sdp);
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(done, QUIET_MS);
      pc.removeEventListener("icecandidate", soon);
    };
    const check = () => pc.iceGatheringState === "complete" && done();
    timer = setTimeout(done, GATHERING_MS);
    pc.addEventListener("icegatheringstatechange", check);
    if (pc.localDescription.sdp.includes("a=candidate")) soon();
    else pc.addEventListener("icecandidate", soon);
    check();
  });
}

export const HANG_UP = { type: "session.close" };

// Hung up before session.started: the API refuses a command before it, so the channel stays (the
// rest of the call is gone) until the session starts, then sends the held session.close (`flush`);
// or until it closes, or GOODBYE_MS, after which the server's own hang-up (service/hang_ups.py) ends it.
const GOODBYE_MS = 10000;

export function closeOnceStarted(pc, channel, flush) {
  const done = () => {
    clearTimeout(timer);
    channel.onclose = channel.onmessage = null;
    channel.close();
    pc.close();
  };
  const timer = setTimeout(done, GOODBYE_MS);
  channel.onclose = done;
  channel.onmessage = (message) => {
    let type = null;
    try {
      type = JSON.parse(message.data).type;
    } catch (_) {} // not an event
    if (type !== "session.started") return;
    flush();
    done();
  };
}

const ENDED = {
  expired: "The GPT-Live session reached its time limit. Connect again to go on.",
  content: "The GPT-Live session was ended by OpenAI's safety checks.",
  remote_hangup: "The GPT-Live session was hung up.",
  connection_lost: "The GPT-Live session lost its connection: check your network, then connect again.",
  close_requested: "The GPT-Live session was closed by the server.",
};

// Why a session ended, from its `session.closed` reason; null: none was said.
export const endedBecause = (reason) => ENDED[reason] || null;

// The API, as connection.js's `connect` takes one (realtime_api.js's realtimeApi is the other).
// `onOffer(sdp)`: the offer for Python; `answered(sdp)`: Python's answer, once it has one.
export function liveApi(onOffer) {
  let answered = null;
  const answer = new Promise((resolve) => (answered = resolve));
  return {
    name: "live",
    opening: [],
    startedBy: "session.started", // "wait for session.started on the data channel before sending commands"
    hangUp: HANG_UP,
    prepare: (pc) => gathered(pc),
    exchange: async (sdp) => {
      onOffer(sdp);
      return { answer: await answer };
    },
    answered: (sdp) => answered(sdp),
    endedBy: (event) => (event.type === "session.closed" ? endedBecause(event.reason) : null),
    linger: closeOnceStarted, // hung up before session.started: the held session.close goes once it comes
  };
}
