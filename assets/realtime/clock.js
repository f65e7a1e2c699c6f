// The session clock: how long the call has lasted, as mm:ss, from the moment the server saw it
// connect (`since`, an ISO time). Ticks once a second while shown.
import { createElement as h, useEffect, useState } from "react";

const TICK_MS = 1000;
const twoDigits = (n) => String(n).padStart(2, "0");

export function elapsed(ms) {
  const seconds = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  return `${twoDigits(Math.floor(seconds / 60))}:${twoDigits(seconds % 60)}`;
}

export function SessionClock(props) {
  const { since, ...element } = props;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return h("span", element, elapsed(now - Date.parse(since)));
}
