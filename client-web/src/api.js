// The only way the client talks to the server over HTTP: JSON to and from /api/v1,
// the CSRF header on every state-changing request, errors as ApiError.

const BASE = '/api/v1';
let csrfToken = null;
const listeners = new Set();

export function setCsrfToken(token) { csrfToken = token || null; }
export function csrf() { return csrfToken; }

/** Called with the ApiError whenever the server says the session has ended (401). */
export function onUnauthenticated(fn) { listeners.add(fn); return () => listeners.delete(fn); }

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const err = (body && body.error) || {};
    super(err.message || defaultMessage(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = err.code || (status === 0 ? 'network' : 'unknown');
    this.field = err.field || null;
    this.retryAfter = retryAfter || null;
  }
}

function defaultMessage(status) {
  if (status === 0) return 'We could not reach CareCrowd. Check your connection and try again.';
  if (status === 401) return 'You need to sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'We could not find that. It may have been removed.';
  if (status === 409) return 'That could not be done right now.';
  if (status === 429) return 'You are doing that too often. Wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Try again in a few minutes.';
  return 'Something went wrong. Try again.';
}

export async function request(method, path, body, { signal, quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('application/json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.headers.get('Retry-After'));
    if (res.status === 401 && !quiet401) for (const fn of listeners) fn(err);
    throw err;
  }
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

/** Builds "?a=1&b=2" from an object, leaving out empty values. */
export function qs(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** Reads every page of a list (bounded), for small lists such as challenges or principles. */
export async function getAll(path, params = {}, { max = 500, signal } = {}) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path + qs({ ...params, limit: 100, cursor }), { signal });
    items.push(...((page && page.items) || []));
    cursor = page && page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}
