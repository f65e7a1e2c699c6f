// Show the model an image mid-call: a file from the device, a camera snapshot, or a frame of a
// shared screen. The image goes on the call's data channel as a user message (its bytes never
// pass through Python); Python gets the item's id and a thumbnail to show, or what went wrong.
import { Button } from "@radix-ui/themes";
import { createElement as h } from "react";
import { sendOnCall } from "./active_call.js";
import { ImageProblem, grabFrame, prepareImage } from "./images.js";

const BUTTON = { size: "2", variant: "soft" }; // Radix Themes' own Button, as Python's rx.button renders it
const newItemId = () => `item_img_${crypto.randomUUID().replaceAll("-", "").slice(0, 22)}`; // the API takes 32 at most

export function ImagePicker(props) {
  const { enabled, maxSide, maxChars, thumbnailSide, thumbnailChars, onImage, onProblem, ...element } = props;
  const report = (name, value) => props[name] && props[name](value);

  const show = async (source) => {
    try {
      const image = await prepareImage(await source(), { maxSide, maxChars, thumbnailSide, thumbnailChars });
      const item = { id: newItemId(), type: "message", role: "user", content: [{ type: "input_image", image_url: image.uri }] };
      if (!sendOnCall({ type: "conversation.item.create", item })) return report("onProblem", "no_call");
      report("onImage", { item_id: item.id, width: image.width, height: image.height, thumbnail: image.thumbnail });
    } catch (error) {
      report("onProblem", error instanceof ImageProblem ? error.message : "unreadable");
    }
  };
  const onFile = (event) => {
    const [file] = event.target.files || [];
    event.target.value = ""; // the same file may be chosen again
    if (file) show(async () => file);
  };
  const camera = () => show(() => grabFrame(() => navigator.mediaDevices.getUserMedia({ video: true }), "camera"));
  const screen = () => show(() => grabFrame(() => navigator.mediaDevices.getDisplayMedia({ video: true }), "screen"));

  return h(
    "div",
    { ...element, style: { display: "flex", gap: "8px", flexWrap: "wrap", alignItems: "center", ...(element.style || {}) } },
    // The file input is inside a label drawn as a button (asChild): a click on it opens the chooser.
    h(Button, { ...BUTTON, asChild: true },
      h("label", { "aria-disabled": !enabled, "data-disabled": enabled ? undefined : "", style: { cursor: enabled ? "pointer" : "default" } },
        "Show an image",
        h("input", { type: "file", accept: "image/*", disabled: !enabled, onChange: onFile, "data-testid": "image-input",
          style: { position: "absolute", width: 1, height: 1, opacity: 0, overflow: "hidden" } }))),
    h(Button, { ...BUTTON, type: "button", disabled: !enabled, onClick: camera, "data-testid": "camera-snapshot" }, "Camera snapshot"),
    h(Button, { ...BUTTON, type: "button", disabled: !enabled, onClick: screen, "data-testid": "screen-frame" }, "Screen frame"),
  );
}
