// The browser side of a Realtime API call over WebRTC, as Reflex imports it. One job per module:
//   session.js     the React component: Python's props in, callbacks out
//   connection.js  one call: peer connection, data channel, microphone, send, close
//   signaling.js   the SDP offer/answer exchange with the calls endpoint
//   microphone.js  asking for the microphone, listing microphones
//   batching.js    server events to Python in batches, adjacent deltas merged
//   meters.js      input and output level bars
//   audio_context.js  the page's one AudioContext, for the meters and the recorder
//   recorder.js    the call's recording (opt-in): both voices mixed, offered after the call
//   event_log.js   every event both ways, for the event log panel
//   shortcuts.js   M mutes, holding Space talks
//   messages.js    what the user reads when a call fails
//   image_picker.js  the component that shows the model an image (images.js: scaling, frames)
//   active_call.js   the call the page has open, for components other than the session
// What Python also knows (event names, the data channel, limits) comes in as props.
export { RealtimeSession } from "./session.js";
export { ImagePicker } from "./image_picker.js";
