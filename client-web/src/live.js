// Live updates over the WebSocket /ws (SPEC §5): topic subscriptions shared by the pages,
// reconnection with backoff that resumes with `since` = the last seq seen, and the
// offline banner while the connection is down.

const MIN_DELAY = 1000;
const MAX_DELAY = 30000;

let ws = null;
let wanted = false;          // true while signed in
let open = false;
let lastSeq = null;          // highest event seq received
let attempt = 0;
let timer = null;
let everOpened = false;
const topics = new Map();    // topic -> Set(handler)
const seen = [];             // recent seqs, to drop any duplicate
const seenSet = new Set();
const statusListeners = new Set();
const missedListeners = new Set();
let ackSeq = null;           // the seq the server stood at when it acknowledged a subscribe
// Whether the subscribe last acknowledged resumed a dropped connection (sent with since on
// reconnecting). A page's first subscribe to a topic also sends since, but the page has
// just read its data: a replay too long for it means nothing was missed.
let resumeSent = false;
let resumeAcked = false;
let authCheck = null;        // async () => boolean (still signed in?)

export function isOnline() { return open; }
export function onStatus(fn) { statusListeners.add(fn); return () => statusListeners.delete(fn); }
/** Called when more happened while away than the server replays (too_far_behind): what the
 * page shows is out of date, and only loading it again brings it up to date. */
export function onMissed(fn) { missedListeners.add(fn); return () => missedListeners.delete(fn); }
export function setAuthCheck(fn) { authCheck = fn; }

function setStatus(isOpen) {
  // Marks the page so people's tools (and browser tests) can tell the live state.
  document.body.dataset.live = isOpen ? 'connected' : (wanted ? 'offline' : 'off');
  if (open === isOpen) return;
  open = isOpen;
  for (const fn of statusListeners) fn(open);
}

function url() {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/ws`;
}

function send(obj) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
}

function remember(seq) {
  if (seenSet.has(seq)) return false;
  seenSet.add(seq);
  seen.push(seq);
  if (seen.length > 2000) seenSet.delete(seen.shift());
  return true;
}

function dispatch(msg) {
  if (typeof msg.seq === 'number') {
    if (!remember(msg.seq)) return;
    if (lastSeq === null || msg.seq > lastSeq) lastSeq = msg.seq;
  }
  const handlers = topics.get(msg.topic);
  if (!handlers) return;
  for (const fn of [...handlers]) {
    try { fn(msg); } catch (e) { console.warn('live handler failed', e); }
  }
}

function connect() {
  if (!wanted || ws) return;
  clearTimeout(timer);
  let socket;
  try { socket = new WebSocket(url()); } catch { scheduleReconnect(); return; }
  ws = socket;
  let opened = false;
  socket.addEventListener('open', () => {
    opened = true;
    everOpened = true;
    attempt = 0;
    setStatus(true);
    const list = [...topics.keys()];
    if (list.length) {
      const msg = { op: 'subscribe', topics: list };
      if (lastSeq !== null) msg.since = lastSeq;
      resumeSent = lastSeq !== null;
      send(msg);
    }
  });
  socket.addEventListener('message', (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    if (!msg || typeof msg !== 'object') return;
    if (msg.op === 'event') dispatch(msg);
    else if (msg.op === 'subscribed') {
      if (typeof msg.seq === 'number') ackSeq = msg.seq;
      if (lastSeq === null && typeof msg.seq === 'number') lastSeq = msg.seq;
      // The server answers a connection's messages in order: this acknowledges the resume
      // if one was sent and not yet acknowledged.
      resumeAcked = resumeSent;
      resumeSent = false;
    } else if (msg.op === 'error' && msg.code === 'too_far_behind') {
      // Resume from where the server stood, so the next reconnect does not ask again for
      // what cannot be replayed; after a reconnect the page is told to load itself again.
      if (ackSeq !== null && (lastSeq === null || ackSeq > lastSeq)) lastSeq = ackSeq;
      if (!resumeAcked) return;
      for (const fn of [...missedListeners]) {
        try { fn(); } catch (e) { console.warn('live missed handler failed', e); }
      }
    } else if (msg.op === 'error') console.info('live:', msg.code, msg.message);
  });
  socket.addEventListener('close', () => {
    if (ws === socket) ws = null;
    setStatus(false);
    if (!wanted) return;
    if (!opened && authCheck) {
      // The upgrade was refused: maybe the session ended.
      authCheck().then((ok) => { if (ok) scheduleReconnect(); }).catch(() => scheduleReconnect());
    } else {
      scheduleReconnect();
    }
  });
  socket.addEventListener('error', () => { /* close follows */ });
}

function scheduleReconnect() {
  if (!wanted) return;
  clearTimeout(timer);
  const base = Math.min(MAX_DELAY, MIN_DELAY * 2 ** attempt);
  const delay = Math.round(base / 2 + Math.random() * base / 2);
  attempt = Math.min(attempt + 1, 10);
  timer = setTimeout(connect, delay);
}

/** Start (or keep) the connection while someone is signed in. */
export function start() {
  if (wanted) return;
  wanted = true;
  connect();
}

/** Stop after sign out; forget topics and seqs. */
export function stop() {
  wanted = false;
  clearTimeout(timer);
  const s = ws;
  ws = null;
  if (s) s.close(1000, 'signed out');
  topics.clear();
  lastSeq = null;
  ackSeq = null;
  resumeSent = false;
  resumeAcked = false;
  attempt = 0;
  everOpened = false;
  open = false;
  document.body.dataset.live = 'off';
  for (const fn of statusListeners) fn(true); // nothing to warn about when signed out
}

/** Whether a connection failure should be shown to the user (we are meant to be connected). */
export function isWanted() { return wanted && everOpened; }

/**
 * Listen to events of the given topics. Returns a function that stops listening.
 * handler({seq, topic, type, data})
 */
export function subscribe(topicList, handler) {
  const fresh = [];
  for (const t of topicList) {
    let set = topics.get(t);
    if (!set) { set = new Set(); topics.set(t, set); fresh.push(t); }
    set.add(handler);
  }
  // With since, the server replays what these topics saw since the last event we know of,
  // which covers the gap between the page's HTTP read and this subscription. Page handlers
  // are idempotent, so an event already reflected in that read changes nothing.
  if (fresh.length) send(lastSeq !== null ? { op: 'subscribe', topics: fresh, since: lastSeq } : { op: 'subscribe', topics: fresh });
  return () => {
    const gone = [];
    for (const t of topicList) {
      const set = topics.get(t);
      if (!set) continue;
      set.delete(handler);
      if (set.size === 0) { topics.delete(t); gone.push(t); }
    }
    if (gone.length) send({ op: 'unsubscribe', topics: gone });
  };
}

window.addEventListener('online', () => { if (wanted && !ws) { attempt = 0; connect(); } });
