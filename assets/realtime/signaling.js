// The SDP offer/answer exchange with the Realtime API's calls endpoint, authorised by the
// short-lived client secret.
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
