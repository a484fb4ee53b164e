// History API routing: each page has a real URL; links are followed without a reload;
// back, forward, reload and deep links all work (the server answers any extension-less
// path with index.html).

const routes = [];
let renderFn = null;
let currentToken = 0;

/** pattern like '/challenges/:id/ideas/new' */
export function route(pattern, loader, options = {}) {
  const keys = [];
  const re = new RegExp(`^${pattern.replace(/\/:([a-z_]+)/g, (_, k) => { keys.push(k); return '/([0-9]+)'; })}/?$`);
  routes.push({ pattern, re, keys, loader, ...options });
}

export function match(pathname) {
  for (const r of routes) {
    const m = r.re.exec(pathname);
    if (m) {
      const params = {};
      r.keys.forEach((k, i) => { params[k] = Number(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

export function onRender(fn) { renderFn = fn; }

export function navigate(href, { replace = false, state = null, focus = true } = {}) {
  const u = new URL(href, window.location.href);
  if (u.origin !== window.location.origin) { window.location.assign(u.href); return Promise.resolve(); }
  const same = u.pathname + u.search + u.hash === window.location.pathname + window.location.search + window.location.hash;
  if (replace || same) window.history.replaceState(state, '', u.pathname + u.search + u.hash);
  else window.history.pushState(state, '', u.pathname + u.search + u.hash);
  return run({ focus });
}

/** Change the query string (filters, sort) without a new page render. */
export function updateQuery(params, { replace = true } = {}) {
  const u = new URL(window.location.href);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, String(v));
  }
  const s = u.pathname + u.search + u.hash;
  if (replace) window.history.replaceState(window.history.state, '', s);
  else window.history.pushState(window.history.state, '', s);
}

export function run({ focus = false } = {}) {
  currentToken += 1;
  const token = currentToken;
  const url = new URL(window.location.href);
  const m = match(url.pathname);
  return renderFn ? renderFn({ match: m, url, focus, isCurrent: () => token === currentToken }) : Promise.resolve();
}

function shouldIntercept(ev, a) {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return false;
  if (!a || !a.href || a.target && a.target !== '_self') return false;
  if (a.hasAttribute('download') || a.dataset.external !== undefined) return false;
  const u = new URL(a.href, window.location.href);
  if (u.origin !== window.location.origin) return false;
  if (u.pathname.startsWith('/api/')) return false;                 // downloads such as CSV
  if (/\.[a-z0-9]+$/i.test(u.pathname)) return false;                // files
  if (u.pathname === window.location.pathname && u.search === window.location.search && u.hash) return false; // in-page anchors
  return true;
}

export function start() {
  document.addEventListener('click', (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest('a') : null;
    if (!shouldIntercept(ev, a)) return;
    ev.preventDefault();
    navigate(a.href);
  });
  window.addEventListener('popstate', () => { run({ focus: true }); });
  return run({ focus: false });
}
