// What a Realtime API call does differently in the browser: the page posts its offer to the calls
// endpoint itself, authorised by the short-lived client secret; the session hears events once the
// data channel opens, and the session's settings and the conversation so far go first;
// `session_expired` says why a session ended.
import { MESSAGES, callRefusal } from "./messages.js";

// {callId, answer}, or {failure}: a message for the user.
export async function postOffer(callsUrl, secret, sdp) {
  let response;
  try {
    response = await fetch(callsUrl, {
      method: "POST",
      body: sdp,
      headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/sdp" },
    });
  } catch (_) {
    return { failure: MESSAGES.unreachable };
  }
  if (!response.ok) return { failure: await callRefusal(response) };
  // The call's id lets the server hang it up at its length limit, whatever this page does.
  const callId = (response.headers.get("location") || "").split("/").pop();
  return { callId, answer: await response.text() };
}

// The API, as connection.js's `connect` takes one (live.js's liveApi is the other).
// `openingEvents`: client events sent as the data channel opens, in order.
export function realtimeApi(secret, callsUrl, openingEvents) {
  return {
    name: "realtime",
    opening: (openingEvents || []).filter(Boolean),
    startedBy: null, // the open data channel: no event to wait for
    hangUp: null, // closing the peer connection ends the call
    prepare: (pc, sdp) => sdp, // posted as it is, not held for ICE candidates
    exchange: (sdp) => postOffer(callsUrl, secret, sdp),
    endedBy: (event) => (event.type === "error" && event.error && event.error.code === "session_expired" ? event.error.message : null),
    linger: null,
  };
}
