// Server events on their way to Python: fewer, larger calls, in arrival order.

const FRAME_MS = 16; // one batch per frame at most: no more calls to Python than the screen can show

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

// At most one batch per frame's time. The first event after a quiet spell goes at once (what
// arrived in the same task goes with it); during a burst the rest wait for the frame's time to
// pass. Timers, not animation frames: those pause in background tabs, and waiting for the next
// frame would add half a frame to every word on average.
export function makeBatcher(deliver, deltaKinds) {
  let queue = [];
  let timer = null;
  let last = -Infinity;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    last = performance.now();
    const batch = mergeDeltas(queue, deltaKinds);
    queue = [];
    deliver(batch);
  };
  return {
    push(event) {
      queue.push(event);
      if (timer !== null) return;
      timer = setTimeout(flush, Math.max(0, last + FRAME_MS - performance.now()));
    },
    flush,
  };
}
