// The page frame: header with navigation and account, the notifications badge,
// the offline banner and the polite announcer for live changes.
import { h, svg, replaceChildren } from './dom.js';
import * as session from './session.js';

const SERVICE = 'CareCrowd';
let unread = 0;
let unreadMore = false;
let currentPath = '/';
const badgeEls = new Set();

export function setTitle(text) {
  document.title = text ? `${text} - ${SERVICE}` : SERVICE;
}

/* ---------- polite announcements (one live region for the whole app) ---------- */
let pending = [];
let flushTimer = null;
export function announce(text) {
  if (!text) return;
  pending.push(text);
  clearTimeout(flushTimer);
  // Group bursts of changes into one message so a screen reader is not flooded.
  flushTimer = setTimeout(() => {
    const region = document.getElementById('announcer');
    if (!region) return;
    const msgs = pending.slice(-3);
    const extra = pending.length - msgs.length;
    pending = [];
    region.textContent = '';
    setTimeout(() => { region.textContent = msgs.join(' ') + (extra > 0 ? ` And ${extra} more changes.` : ''); }, 50);
  }, 700);
}

/* ---------- notifications badge ---------- */
// Unread notifications are counted by id, so one that arrives live while the first count
// is being fetched (or is replayed) is never counted twice.
const unreadIds = new Set();
function refreshBadges() {
  unread = unreadIds.size;
  for (const el of badgeEls) renderBadge(el);
}
/** The unread ids from GET /notifications?unread=true (more: there are further pages). */
export function unreadLoaded(ids, more = false) { for (const id of ids) unreadIds.add(id); unreadMore = more; refreshBadges(); }
export function unreadArrived(id) { if (id === undefined || id === null) return false; const fresh = !unreadIds.has(id); unreadIds.add(id); refreshBadges(); return fresh; }
export function unreadRead(id) { unreadIds.delete(id); refreshBadges(); }
export function unreadClear() { unreadIds.clear(); unreadMore = false; refreshBadges(); }
export function getUnread() { return unread; }

function renderBadge(el) {
  if (unread <= 0) { el.hidden = true; replaceChildren(el); return; }
  el.hidden = false;
  replaceChildren(el, `${unread}${unreadMore ? '+' : ''}`, h('span', { class: 'nhsuk-u-visually-hidden' }, ' unread'));
}

/* ---------- header ---------- */
function navItems(user) {
  if (!user) return [['/sign-in', 'Sign in'], ['/register', 'Register'], ['/accessibility', 'Accessibility']];
  const items = [['/', 'Challenges'], ['/search', 'Search'], ['/my-ideas', 'My ideas'], ['/notifications', 'Notifications'], ['/workshops', 'Workshops']];
  if (session.isDesignGroup()) items.push(['/flags', 'Flags'], ['/challenges/new', 'New challenge']);
  return items;
}

function isCurrent(href) {
  if (href === '/') return currentPath === '/' || currentPath === '/challenges' || /^\/challenges\/\d+/.test(currentPath);
  if (href === '/challenges/new') return currentPath === '/challenges/new';
  return currentPath === href || currentPath.startsWith(`${href}/`);
}

function logo() {
  return svg('svg', { class: 'cc-logo', xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 40 40', height: 40, width: 40, focusable: 'false', 'aria-hidden': 'true' },
    svg('circle', { cx: 14, cy: 16, r: 8, fill: 'currentColor' }),
    svg('circle', { cx: 27, cy: 14, r: 6, fill: 'currentColor', opacity: '0.8' }),
    svg('circle', { cx: 24, cy: 28, r: 7, fill: 'currentColor', opacity: '0.9' }));
}

export function renderHeader(onSignOut) {
  const user = session.currentUser();
  badgeEls.clear();
  const searchForm = user ? h('search', { class: 'nhsuk-header__search' },
    h('form', { class: 'nhsuk-header__search-form', id: 'search', action: '/search', method: 'get', novalidate: true },
      h('div', { class: 'nhsuk-form-group' },
        h('label', { class: 'nhsuk-label nhsuk-u-visually-hidden', for: 'search-field' }, 'Search ideas'),
        h('div', { class: 'nhsuk-input-wrapper' },
          h('input', { class: 'nhsuk-input', id: 'search-field', name: 'q', type: 'search', autocomplete: 'off', placeholder: 'Search ideas' }),
          h('button', { class: 'nhsuk-button nhsuk-button--icon nhsuk-button--small', 'data-module': 'nhsuk-button', type: 'submit', 'aria-label': 'Search' },
            svg('svg', { class: 'nhsuk-icon nhsuk-icon--search', xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 24 24', width: 16, height: 16, focusable: 'false', 'aria-hidden': 'true' },
              svg('path', { d: 'm20.7 18.9-4.1-4.1a7 7 0 1 0-1.4 1.4l4 4.1a1 1 0 0 0 1.5 0c.4-.4.4-1 0-1.4ZM6 10.6a5 5 0 1 1 10 0 5 5 0 0 1-10 0Z' }))))))) : null;

  const account = user ? h('nav', { class: 'nhsuk-header__account', 'aria-label': 'Account' },
    h('ul', { class: 'nhsuk-header__account-list' },
      h('li', { class: 'nhsuk-header__account-item' },
        svg('svg', { class: 'nhsuk-icon nhsuk-icon--user', xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 24 24', width: 16, height: 16, focusable: 'false', 'aria-hidden': 'true' },
          svg('path', { d: 'M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 16.5V18a4 4 0 0 1 4-4h2a4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z' })),
        h('span', { class: 'cc-account-name' }, user.display_name)),
      h('li', { class: 'nhsuk-header__account-item' },
        h('form', { class: 'nhsuk-header__account-form', action: '/sign-out', method: 'post', novalidate: true, onSubmit: (ev) => { ev.preventDefault(); onSignOut(); } },
          h('button', { class: 'nhsuk-header__account-button', type: 'submit' }, 'Sign out'))))) : null;

  const items = navItems(user).map(([href, text]) => {
    const cur = isCurrent(href);
    const badge = href === '/notifications' ? h('span', { class: 'cc-badge', hidden: true }) : null;
    if (badge) { badgeEls.add(badge); renderBadge(badge); }
    return h('li', { class: ['nhsuk-header__navigation-item', cur && 'nhsuk-header__navigation-item--current'] },
      h('a', { class: 'nhsuk-header__navigation-link', href, 'aria-current': cur ? 'page' : null }, text, badge));
  });

  const header = h('header', { class: 'nhsuk-header', 'data-module': 'nhsuk-header', role: 'banner' },
    h('div', { class: 'nhsuk-header__container nhsuk-width-container' },
      h('div', { class: 'nhsuk-header__service' },
        h('a', { class: 'nhsuk-header__service-logo', href: '/', 'aria-label': `${SERVICE} homepage` },
          logo(),
          h('span', { class: 'nhsuk-header__service-name' }, SERVICE))),
      searchForm,
      account),
    h('nav', { class: 'nhsuk-header__navigation', 'aria-label': 'Menu' },
      h('div', { class: 'nhsuk-header__navigation-container nhsuk-width-container' },
        h('ul', { class: 'nhsuk-header__navigation-list' },
          items,
          h('li', { class: 'nhsuk-header__menu', hidden: true },
            h('button', { class: 'nhsuk-header__menu-toggle nhsuk-header__navigation-link', id: 'toggle-menu', 'aria-expanded': 'false', type: 'button' },
              h('span', { class: 'nhsuk-u-visually-hidden' }, 'Browse '), 'More'))))));
  const slot = document.getElementById('header-slot');
  replaceChildren(slot, header);
  return header;
}

/** Marks the current navigation item without rebuilding the header. */
export function setCurrentPath(path) {
  currentPath = path;
  for (const a of document.querySelectorAll('.nhsuk-header__navigation-link[href]')) {
    const cur = isCurrent(a.getAttribute('href'));
    a.parentElement.classList.toggle('nhsuk-header__navigation-item--current', cur);
    if (cur) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

/* ---------- missed-updates banner ---------- */
// After a long time away the server may hold more changes than it replays: the page says
// so and offers to load itself again (a reload would lose what someone is typing, so it
// is their choice).
export function showMissed(refresh) {
  const el = document.getElementById('missed-banner');
  if (!el) return;
  document.getElementById('missed-refresh').onclick = () => { el.hidden = true; refresh(); };
  if (el.hidden) announce('Some changes were made while you were away. Refresh the page to see them.');
  el.hidden = false;
}
export function hideMissed() {
  const el = document.getElementById('missed-banner');
  if (el) el.hidden = true;
}

/* ---------- offline banner ---------- */
let offlineTimer = null;
export function setOffline(offline) {
  const el = document.getElementById('offline-banner');
  if (!el) return;
  clearTimeout(offlineTimer);
  if (!offline) {
    if (!el.hidden) announce('You are back online. Live updates have resumed.');
    el.hidden = true;
    return;
  }
  // A short grace period so a quick reconnect does not flash the banner.
  offlineTimer = setTimeout(() => {
    if (el.hidden) announce('You are offline. We are trying to reconnect.');
    el.hidden = false;
  }, 1500);
}
