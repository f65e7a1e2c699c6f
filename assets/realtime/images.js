// Images the user shows the model: decoded here, scaled to the limits Python gives (long side,
// characters of the data URI), encoded as JPEG, which the API takes; and a small thumbnail for
// the transcript. A frame from the camera or a shared screen goes the same way.

// What could not be done, as a key Python turns into words: "unreadable", "too_big", "camera", "screen".
export class ImageProblem extends Error {}

const decode = async (source) => {
  try {
    return await createImageBitmap(source);
  } catch (_) {
    throw new ImageProblem("unreadable");
  }
};

// The image scaled so its long side is at most `side`, as a JPEG data URI of at most `maxChars`
// (lower quality first, then a smaller side), with its size; null if it never fits.
function encode(bitmap, side, maxChars) {
  const canvas = document.createElement("canvas");
  for (let long = side; long >= Math.min(side, 256); long = Math.floor(long * 0.75)) {
    const scale = Math.min(1, long / Math.max(bitmap.width, bitmap.height));
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG becomes white, not black, as JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.85, 0.7, 0.55, 0.4]) {
      const uri = canvas.toDataURL("image/jpeg", quality);
      if (uri.length <= maxChars) return { uri, width: canvas.width, height: canvas.height };
    }
  }
  return null;
}

// `limits`: {maxSide, maxChars, thumbnailSide, thumbnailChars}. Returns {uri, width, height, thumbnail}.
export async function prepareImage(source, limits) {
  const bitmap = await decode(source);
  try {
    const image = encode(bitmap, limits.maxSide, limits.maxChars);
    const thumbnail = encode(bitmap, limits.thumbnailSide, limits.thumbnailChars);
    if (!image || !thumbnail) throw new ImageProblem("too_big");
    return { ...image, thumbnail: thumbnail.uri };
  } finally {
    bitmap.close();
  }
}

// One frame of a camera or a shared screen (`ask` opens the stream); the stream is stopped at once.
export async function grabFrame(ask, problem) {
  let stream;
  try {
    stream = await ask();
  } catch (_) {
    throw new ImageProblem(problem);
  }
  try {
    const video = document.createElement("video");
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    if (!video.videoWidth) await new Promise((done) => (video.onloadeddata = done));
    return await createImageBitmap(video);
  } finally {
    stream.getTracks().forEach((track) => track.stop());
  }
}

// A server event as Python gets it: an image's bytes (up to the data channel's largest message)
// stay here; Python reads the item's words, and the page reports the thumbnail itself.
export function withoutImageData(event) {
  const item = event.item;
  if (!item || !Array.isArray(item.content) || !item.content.some((part) => part && part.image_url)) return event;
  const content = item.content.map((part) => (part && part.image_url ? { ...part, image_url: "" } : part));
  return { ...event, item: { ...item, content } };
}
