// The call this page has open, for the components that act on it besides the session (the image
// picker): they send on its data channel, or find none.
let active = null;

export const setActiveCall = (connection) => (active = connection);
export const clearActiveCall = (connection) => active === connection && (active = null);
export const sendOnCall = (event) => Boolean(active && active.send(event));
