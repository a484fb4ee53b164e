// Boot: NHS.UK frontend, the session, the router and live updates.
import { createAll, Button, CharacterCount, Header, SkipLink, Radios, Checkboxes } from '../vendor/nhsuk-frontend.min.js';
import { h, replaceChildren, focusElement } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import * as router from './router.js';
import * as live from './live.js';
import * as shell from './shell.js';
import * as ui from './ui.js';
import { describe as describeNotification } from './pages/notifications.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');

const quiet = { onError: (e) => { if (e && e.name !== 'InitError') console.warn(e); } };

/** Progressive enhancement of NHS.UK components inside freshly rendered content. */
export function enhance(scope) {
  for (const C of [Button, CharacterCount, Radios, Checkboxes]) createAll(C, undefined, { scope, ...quiet });
}

const page = (loader) => () => loader();
router.route('/', page(() => import('./pages/challenges.js')), { auth: 'user' });
router.route('/challenges', page(() => import('./pages/challenges.js')), { auth: 'user' });
router.route('/sign-in', page(() => import('./pages/sign-in.js')), { auth: 'guest' });
router.route('/register', page(() => import('./pages/register.js')), { auth: 'guest' });
router.route('/accessibility', page(() => import('./pages/accessibility.js')), { auth: 'any' });
router.route('/challenges/new', page(() => import('./pages/challenge-form.js')), { auth: 'design_group' });
router.route('/challenges/:id', page(() => import('./pages/challenge.js')), { auth: 'user' });
router.route('/challenges/:id/edit', page(() => import('./pages/challenge-form.js')), { auth: 'design_group' });
router.route('/challenges/:id/ideas/new', page(() => import('./pages/idea-form.js')), { auth: 'user' });
router.route('/challenges/:id/metrics', page(() => import('./pages/metrics.js')), { auth: 'design_group' });
router.route('/ideas/:id', page(() => import('./pages/idea.js')), { auth: 'user' });
router.route('/ideas/:id/edit', page(() => import('./pages/idea-form.js')), { auth: 'user' });
router.route('/search', page(() => import('./pages/search.js')), { auth: 'user' });
router.route('/notifications', page(() => import('./pages/notifications.js')), { auth: 'user' });
router.route('/my-ideas', page(() => import('./pages/my-ideas.js')), { auth: 'user' });
router.route('/flags', page(() => import('./pages/flags.js')), { auth: 'design_group' });
router.route('/workshops', page(() => import('./pages/workshops.js')), { auth: 'user' });
router.route('/workshops/new', page(() => import('./pages/workshop-form.js')), { auth: 'design_group' });
router.route('/workshops/:id', page(() => import('./pages/workshop.js')), { auth: 'user' });

let cleanups = [];
function runCleanups() {
  const list = cleanups; cleanups = [];
  for (const fn of list) { try { fn(); } catch (e) { console.warn(e); } }
}

function safeNext(next) {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function messagePage(title, ...body) {
  return [ui.pageHeading(title), ...body];
}

async function render({ match, url, focus, isCurrent }) {
  runCleanups();
  shell.setCurrentPath(url.pathname);
  shell.hideMissed();  // a page rendered afresh reads the latest
  const pageEl = document.getElementById('page');
  const before = document.getElementById('before-content');
  const main = document.getElementById('maincontent');
  const user = session.currentUser();

  const show = (nodes, title) => {
    replaceChildren(before);
    replaceChildren(pageEl, nodes);
    shell.setTitle(title);
    enhance(pageEl);
    if (focus) { window.scrollTo(0, 0); focusElement(pageEl.querySelector('h1') || main); }
  };

  if (!match) {
    show(messagePage('Page not found', ui.para('If you typed the web address, check it is correct.'),
      ui.para('If you pasted the web address, check you copied the entire address.'),
      ui.para(ui.link('/', 'Go to the list of challenges'))), 'Page not found');
    return;
  }
  const { route, params } = match;
  if (route.auth !== 'any' && route.auth !== 'guest' && !user) {
    const next = url.pathname + url.search;
    router.navigate(`/sign-in${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`, { replace: true, focus });
    return;
  }
  if (route.auth === 'guest' && user) {
    router.navigate(safeNext(url.searchParams.get('next')), { replace: true, focus });
    return;
  }
  if (route.auth === 'design_group' && !session.isDesignGroup()) {
    show(messagePage('You cannot see this page', ui.para('This page is for members of the design group.'),
      ui.para(ui.link('/', 'Go to the list of challenges'))), 'You cannot see this page');
    return;
  }

  main.setAttribute('aria-busy', 'true');
  const container = h('div');
  let title = '';
  const ctx = {
    params, url, query: url.searchParams, user, page: container, before,
    setTitle: (t) => { title = t; if (isCurrent()) shell.setTitle(t); },
    onCleanup: (fn) => { if (isCurrent()) cleanups.push(fn); else fn(); },
    isCurrent,
    navigate: router.navigate,
    announce: shell.announce,
    enhance,
  };
  let beforeNodes = null;
  ctx.setBefore = (nodes) => { beforeNodes = nodes; };
  try {
    const mod = await route.loader();
    if (!isCurrent()) return;
    await mod.render(ctx);
  } catch (err) {
    if (!isCurrent()) return;
    if (err && err.name === 'AbortError') return;
    if (err instanceof api.ApiError && err.status === 401) return; // handled by the session listener
    let heading = 'Sorry, there is a problem';
    let text = ui.friendlyMessage(err);
    if (err instanceof api.ApiError && err.status === 404) { heading = 'Page not found'; text = 'We could not find what you were looking for. It may have been removed, or the address may be wrong.'; }
    else if (err instanceof api.ApiError && err.status === 403) { heading = 'You cannot see this page'; text = 'You do not have permission to see this.'; }
    else if (!(err instanceof api.ApiError)) console.error(err);
    replaceChildren(container, messagePage(heading, ui.para(text), ui.para(ui.link('/', 'Go to the list of challenges'))));
    title = heading;
  } finally {
    if (isCurrent()) main.removeAttribute('aria-busy');
  }
  if (!isCurrent()) return;
  replaceChildren(before, beforeNodes);
  replaceChildren(pageEl, container);
  shell.setTitle(title || (container.querySelector('h1') || {}).textContent || '');
  enhance(pageEl);
  if (ctx.afterRender) ctx.afterRender();
  if (focus) {
    window.scrollTo(0, 0);
    const target = url.hash ? document.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
    if (target) { focusElement(target); target.scrollIntoView(); } else focusElement(pageEl.querySelector('h1') || main);
  } else if (url.hash) {
    const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
}

/* ---------- notifications badge ---------- */
let userUnsub = null;
async function startUserFeeds() {
  const user = session.currentUser();
  if (userUnsub) { userUnsub(); userUnsub = null; }
  if (!user) return;
  live.start();
  userUnsub = live.subscribe([`user:${user.id}`], (ev) => {
    if (ev.type !== 'notification') return;
    const n = (ev.data && (ev.data.notification || ev.data)) || {};
    if (!shell.unreadArrived(n.id)) return; // already counted
    shell.announce(`New notification: ${describeNotification(n)}`);
    document.dispatchEvent(new CustomEvent('cc:notification', { detail: n }));
  });
  try {
    const res = await api.get('/notifications?unread=true&limit=100');
    shell.unreadLoaded((res.items || []).map((x) => x.id), !!res.next_cursor);
  } catch (e) {
    if (!(e instanceof api.ApiError)) console.warn(e);
  }
}

let signingOut = false;
async function signOut() {
  signingOut = true;
  try { await session.signOut(); } catch (e) { if (!(e instanceof api.ApiError)) console.warn(e); } finally { signingOut = false; }
}

function chrome() {
  const header = shell.renderHeader(signOut);
  createAll(Header, undefined, { scope: header.parentElement, ...quiet });
  createAll(Button, undefined, { scope: header, ...quiet });
  const form = header.querySelector('form.nhsuk-header__search-form');
  if (form) {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = form.querySelector('input[name=q]').value.trim();
      router.navigate(`/search${q ? `?q=${encodeURIComponent(q)}` : ''}`);
    });
  }
}

let lastUserId;
session.onChange((user) => {
  const id = user ? user.id : null;
  if (id === lastUserId) return;
  const wasSignedIn = lastUserId !== undefined && lastUserId !== null;
  lastUserId = id;
  chrome();
  if (user) startUserFeeds();
  else {
    if (userUnsub) { userUnsub(); userUnsub = null; }
    live.stop();
    shell.unreadClear();
    if (wasSignedIn) {
      const here = window.location.pathname + window.location.search;
      const expired = !signingOut;
      const next = here.startsWith('/sign-in') || here.startsWith('/register') ? '' : here;
      const params = new URLSearchParams();
      if (next && next !== '/' && expired) params.set('next', next);
      if (expired) params.set('expired', '1');
      else params.set('signed_out', '1');
      router.navigate(`/sign-in?${params.toString()}`, { replace: true });
    }
  }
});

api.onUnauthenticated(() => session.expired());
live.setAuthCheck(async () => {
  try { await api.get('/me', { quiet401: true }); return true; } catch (e) {
    if (e instanceof api.ApiError && e.status === 401) { session.expired(); return false; }
    return true;
  }
});
live.onStatus((isOpen) => shell.setOffline(!isOpen && live.isWanted() && !!session.currentUser()));
live.onMissed(() => shell.showMissed(() => router.run({ focus: true })));

async function boot() {
  createAll(SkipLink, undefined, { scope: document, ...quiet });
  router.onRender(render);
  try {
    await session.restore();
  } catch (e) {
    console.warn(e);
  }
  if (lastUserId === undefined) { lastUserId = null; chrome(); }
  await router.start();
}

boot();
