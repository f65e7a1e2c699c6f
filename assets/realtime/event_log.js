// Every event, both ways, for the event log panel: bounded, and sent only while it is open.

const FLUSH_MS = 1000; // the event log is for reading, not racing: once a second is plenty

// At most `kept` entries wait to be sent; older ones are dropped.
export function makeLog(deliver, kept) {
  let entries = [];
  let open = false;
  const timer = setInterval(() => {
    if (open && entries.length) {
      deliver(entries);
      entries = [];
    }
  }, FLUSH_MS);
  return {
    add(direction, event, ms) {
      entries.push({ direction, type: String(event.type), ms: Math.round(ms), json: JSON.stringify(event) });
      if (entries.length > kept) entries = entries.slice(-kept);
    },
    setOpen(value) {
      open = value;
    },
    setKept(value) {
      kept = value;
      if (entries.length > kept) entries = entries.slice(-kept);
    },
    stop: () => clearInterval(timer),
  };
}
