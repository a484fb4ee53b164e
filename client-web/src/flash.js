// A one-time message shown on the next page (after a redirect), e.g. "Your idea has been shared".
let message = null;
export function setFlash(title, text) { message = { title, text }; }
export function takeFlash() { const m = message; message = null; return m; }
