// Keyboard shortcuts: M mutes, holding Space talks (push-to-talk). Not while typing.

const KEYS = new Set(["m", " "]);

function isTyping(target) {
  const tag = target && target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
}

// Calls onKey({key, down}) for each press and release; returns what removes the listeners.
export function listenForShortcuts(onKey) {
  const onKeyChange = (down) => (event) => {
    const key = event.key.toLowerCase();
    if (!KEYS.has(key) || event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (key === " ") event.preventDefault(); // no page scroll, no button press
    onKey({ key, down });
  };
  const keydown = onKeyChange(true);
  const keyup = onKeyChange(false);
  window.addEventListener("keydown", keydown);
  window.addEventListener("keyup", keyup);
  return () => {
    window.removeEventListener("keydown", keydown);
    window.removeEventListener("keyup", keyup);
  };
}
