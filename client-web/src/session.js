// Who is signed in. The session cookie is HttpOnly; we keep the user and the CSRF token
// in memory and restore both from GET /me after a reload.
import * as api from './api.js';

let user = null;
const listeners = new Set();

export function currentUser() { return user; }
export function isDesignGroup() { return !!user && (user.role === 'design_group' || user.role === 'admin'); }
export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

function set(u, token) {
  user = u || null;
  api.setCsrfToken(token || null);
  for (const fn of listeners) fn(user);
}

export async function restore() {
  try {
    const me = await api.get('/me', { quiet401: true });
    set(me.user, me.csrf_token);
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) set(null, null);
    else throw e;
  }
  return user;
}

export async function signIn(email, password) {
  const res = await api.post('/auth/login', { email, password });
  set(res.user, res.csrf_token);
  return user;
}

export async function register(fields) {
  const res = await api.post('/auth/register', fields);
  set(res.user, res.csrf_token);
  return user;
}

export async function signOut() {
  try { await api.post('/auth/logout'); } catch (e) { if (!(e instanceof api.ApiError) || e.status !== 401) throw e; }
  set(null, null);
}

/** The server told us the session has ended (idle or absolute timeout). */
export function expired() { if (user) set(null, null); }
