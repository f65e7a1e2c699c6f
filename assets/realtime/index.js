// The browser side of a Realtime API call over WebRTC, as Reflex imports it. One job per module:
//   session.js     the React component: Python's props in, callbacks out
//   connection.js  one call as a small interface: connect, send, mute, close, status
//   phases.js      the call's one phase and the moves allowed between them
//   realtime_api.js  what a Realtime API call does differently (the offer to the calls endpoint)
//   live.js        what a GPT-Live call does differently (the offer through Python, session.started)
//   media.js       the call's audio: microphone track, the model's voice, meters, recording
//   microphone.js  asking for the microphone, listing microphones
//   batching.js    server events to Python in batches, adjacent deltas merged
//   meters.js      input and output level bars
//   audio_context.js  the page's one AudioContext, for the meters and the recorder
//   recorder.js    the call's recording (opt-in): both voices mixed, offered after the call
//   event_log.js   every event both ways, for the event log panel
//   shortcuts.js   M mutes, holding Space talks
//   intent.js      signs that a click on Connect is coming (Python mints ahead of it)
//   messages.js    what the user reads when a call fails
//   image_picker.js  the component that shows the model an image (images.js: scaling, frames)
//   active_call.js   the call the page has open, for components other than the session
//   clock.js       the session clock (mm:ss since the call connected)
// What Python also knows (event names, the data channel, limits) comes in as props.
export { RealtimeSession } from "./session.js";
export { ImagePicker } from "./image_picker.js";
export { SessionClock } from "./clock.js";
