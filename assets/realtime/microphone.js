// The microphone: asked for at the click, listed once a call is up.

function constraints(deviceId) {
  const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return { audio };
}

// A promise of the stream; `deviceId` "" for the browser's default.
export function requestMicrophone(deviceId) {
  return navigator.mediaDevices
    ? navigator.mediaDevices.getUserMedia(constraints(deviceId))
    : Promise.reject({ name: "InsecureContext" });
}

// [{id, label}]: labels are readable only once the page may use a microphone.
export async function listMicrophones() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === "audioinput")
    .map((device, index) => ({ id: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}
