// What a GPT-Live call does differently in the browser: there is no client secret, so the offer
// goes to Python (which starts the session with the server's key) once ICE gathering is complete,
// and the answer comes back as a prop; hanging up is `session.close`; `session.closed` says why a
// session ended.

const GATHERING_MS = 3000; // host candidates only (no STUN): gathering takes milliseconds

// The offer with its candidates: the session is started from it in one request, with no trickle.
export function gathered(pc) {
  return new Promise((resolve) => {
    const done = () => {
      pc.removeEventListener("icegatheringstatechange", check);
      clearTimeout(timer);
      resolve(pc.localDescription.sdp);
    };
    const check = () => pc.iceGatheringState === "complete" && done();
    const timer = setTimeout(done, GATHERING_MS); // what was gathered by then
    pc.addEventListener("icegatheringstatechange", check);
    check();
  });
}

export const HANG_UP = { type: "session.close" };

const ENDED = {
  expired: "The GPT-Live session reached its time limit. Connect again to go on.",
  content: "The GPT-Live session was ended by OpenAI's safety checks.",
  remote_hangup: "The GPT-Live session was hung up.",
  connection_lost: "The GPT-Live session lost its connection: check your network, then connect again.",
  close_requested: "The GPT-Live session was closed by the server.",
};

// Why a session ended, from its `session.closed` reason; null: none was said.
export const endedBecause = (reason) => ENDED[reason] || null;
