// Signs that a click on Connect ([data-starts-call]) is coming, so Python can mint its secret
// before it: a pointer coming onto Connect from elsewhere (a touch: pressing on it), or the
// keyboard's focus reaching it. A pointer that stays where Disconnect was, or the focus a click
// gives, is none.

// The Connect button that `target` is in, if it is in one.
export const startsCall = (target) => (target instanceof Element ? target.closest("[data-starts-call]") : null);

// Calls onIntent() on each sign while `idle()` (no call open); returns the function that stops.
export function listenForIntent(idle, onIntent) {
  let pointer = null; // where the pointer was before
  const onPointer = (event) => {
    const from = pointer;
    pointer = { x: event.clientX, y: event.clientY };
    const button = startsCall(event.target);
    if (!button || !idle()) return;
    const box = button.getBoundingClientRect();
    if (!from || from.x < box.left || from.x > box.right || from.y < box.top || from.y > box.bottom) onIntent();
  };
  const onFocus = (event) => {
    const button = startsCall(event.target);
    if (button && button.matches(":focus-visible") && idle()) onIntent();
  };
  document.addEventListener("pointermove", onPointer, true);
  document.addEventListener("pointerdown", onPointer, true);
  document.addEventListener("focusin", onFocus, true);
  return () => {
    document.removeEventListener("pointermove", onPointer, true);
    document.removeEventListener("pointerdown", onPointer, true);
    document.removeEventListener("focusin", onFocus, true);
  };
}
