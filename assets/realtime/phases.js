// A call's one phase in the browser (connection.js), and the only moves allowed between them.
// Pure: no browser API, so node can test it (tests/test_phases.py).

export const PHASES = Object.freeze({
  PREPARING: "preparing", // the microphone and the offer are being made; no API chosen yet
  OFFERING: "offering", // the offer goes to the API (GPT-Live's through Python), the answer awaited
  ANSWERED: "answered", // the answer is in: the channel opens, the session starts
  OPEN: "open", // the session hears what is sent
  CLOSED: "closed", // hung up, failed or dropped: final
});

const P = PHASES;
export const TRANSITIONS = Object.freeze({
  [P.PREPARING]: Object.freeze([P.OFFERING, P.CLOSED]),
  [P.OFFERING]: Object.freeze([P.ANSWERED, P.CLOSED]),
  [P.ANSWERED]: Object.freeze([P.OPEN, P.CLOSED]),
  [P.OPEN]: Object.freeze([P.CLOSED]),
  [P.CLOSED]: Object.freeze([]),
});

export const canMove = (from, to) => Boolean(TRANSITIONS[from]) && TRANSITIONS[from].includes(to);

// One call's phase. `to` is the one way it changes: it refuses (false) a move the table does not
// allow, so a late callback (an answer after a hang-up, a second Connect) changes nothing.
export function makePhase() {
  let current = P.PREPARING;
  return {
    get current() {
      return current;
    },
    is: (...phases) => phases.includes(current),
    to(next) {
      if (!canMove(current, next)) return false;
      current = next;
      return true;
    },
  };
}
