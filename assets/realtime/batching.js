// Server events on their way to Python: fewer, larger calls, in arrival order, never faster than
// Python takes them.

// Adjacent deltas of one item become one event. `deltaKinds`: a Set of the event types merged.
export function mergeDeltas(events, deltaKinds) {
  const merged = [];
  for (const event of events) {
    const last = merged[merged.length - 1];
    if (last && deltaKinds.has(event.type) && last.type === event.type && last.item_id === event.item_id) {
      merged[merged.length - 1] = { ...last, delta: last.delta + event.delta };
    } else {
      merged.push(event);
    }
  }
  return merged;
}

// Numbers batches across the page's calls; a random start, so a number Python handled for an
// earlier page in this tab is not taken for this one's.
let lastNumber = Math.floor(Math.random() * 1e9);

// At most one batch per `frameMs`, and one at a time: the next waits until Python says it handled
// the last (`handled(number)`), or `unansweredMs` passed. When Python is busy (a loaded worker),
// what arrives meanwhile goes as one larger batch: the calls stay as few as it can take, and
// each waits behind at most one. The first event after a quiet spell goes at once (what arrived
// in the same task goes with it). Timers, not animation frames: those pause in background tabs.
export function makeBatcher(deliver, deltaKinds, frameMs, unansweredMs) {
  let queue = [];
  let timer = null;
  let last = -Infinity;
  let waiting = null; // the number of the batch Python has not yet handled
  let unanswered = null;
  const send = () => {
    clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    last = performance.now();
    const batch = mergeDeltas(queue, deltaKinds);
    queue = [];
    waiting = ++lastNumber;
    clearTimeout(unanswered);
    unanswered = setTimeout(release, unansweredMs);
    deliver(batch, waiting);
  };
  const schedule = () => {
    if (timer !== null || waiting !== null || queue.length === 0) return;
    timer = setTimeout(send, Math.max(0, last + frameMs - performance.now()));
  };
  function release() {
    clearTimeout(unanswered);
    waiting = null;
    schedule();
  }
  return {
    push(event) {
      queue.push(event);
      schedule();
    },
    handled(number) {
      if (number === waiting) release();
    },
    // At the end of a call: what arrived still reaches Python, in order, whatever is in flight.
    flush() {
      clearTimeout(unanswered);
      send();
    },
  };
}
