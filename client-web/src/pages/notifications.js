// Your notifications, newest first; marking them read; new ones appear live.
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import { ideaStatusLabel } from '../format.js';
import * as shell from '../shell.js';

const TYPES = {
  'idea.outcome': 'A workshop decided on an idea',
  'workshop.outcome_recorded': 'A workshop decided on an idea',
  'idea.status_changed': 'The status of an idea changed',
  status_changed: 'The status of an idea changed',
  'idea.forwarded': 'An idea was sent to a workshop',
  forwarded: 'An idea was sent to a workshop',
  'idea.merged': 'An idea was joined with another',
  merged: 'An idea was joined with another',
  'workshop.outcome': 'A workshop recorded an outcome',
  outcome: 'A workshop recorded an outcome',
  'comment.created': 'Someone commented on your idea',
  comment: 'Someone commented on your idea',
};

export function describe(n) {
  if (n.message) return n.message;
  if (n.text) return n.text;
  const d = n.data || {};
  const title = d.title || d.idea_title || (d.idea && d.idea.title) || n.idea_title;
  if ((n.type === 'comment.created' || n.type === 'comment') && d.by) return `${d.by} commented on your idea${title ? `: ${title}` : ''}`;
  if (d.status && title && /status|forward|outcome|merge/.test(n.type || '')) return `${title}: now ${ideaStatusLabel(d.status).toLowerCase()}`;
  const base = TYPES[n.type] || 'Something changed';
  return title ? `${base}: ${title}` : base;
}

function target(n) {
  const d = n.data || {};
  const ideaId = n.idea_id ?? d.idea_id ?? (d.idea && d.idea.id);
  if (ideaId) return `/ideas/${ideaId}`;
  const chId = n.challenge_id ?? d.challenge_id;
  if (chId) return `/challenges/${chId}`;
  const wId = n.workshop_id ?? d.workshop_id;
  if (wId) return `/workshops/${wId}`;
  return null;
}

export async function render(ctx) {
  ctx.setTitle('Notifications');
  const list = h('ul', { class: 'nhsuk-list cc-notifications', id: 'notification-list' });
  const empty = h('p', { class: 'nhsuk-body', hidden: true }, 'You have no notifications yet. We will tell you here when something happens to ideas you shared, voted on, commented on or follow.');
  const msg = h('div', { role: 'status', class: 'cc-status-msg' });
  const seen = new Set();
  let cursor = null;
  const more = ui.button('Show older notifications', { secondary: true });

  // Opening a notification marks it read (without waiting: the link is followed at once).
  function markRead(n, unread) {
    if (!unread) return;
    api.post('/notifications/read', { ids: [n.id] }).then(() => shell.unreadRead(n.id)).catch(() => {});
  }

  function item(n, fresh = false) {
    seen.add(n.id);
    const unread = !(n.read || n.read_at);
    const href = target(n);
    const text = describe(n);
    return h('li', { class: ['cc-notification', unread && 'cc-notification--unread', fresh && 'cc-notification--fresh'], 'data-notification-id': n.id },
      h('p', { class: 'nhsuk-body cc-notification__text' },
        unread ? h('strong', { class: 'nhsuk-tag nhsuk-tag--blue cc-new-tag' }, 'New') : null, unread ? ' ' : null,
        href ? h('a', { class: 'nhsuk-link', href, onClick: () => markRead(n, unread) }, text) : text),
      n.note || (n.data && n.data.note) ? h('p', { class: 'nhsuk-body-s cc-prewrap' }, n.note || n.data.note) : null,
      h('p', { class: 'nhsuk-body-s cc-meta' }, fmt.timeEl(h, n.created_at, { relative: true })));
  }

  async function load() {
    const res = await api.get(`/notifications${api.qs({ limit: 50, cursor })}`);
    for (const n of res.items || []) if (!seen.has(n.id)) list.append(item(n));
    cursor = res.next_cursor || null;
    more.hidden = !cursor;
    empty.hidden = seen.size > 0;
  }
  more.addEventListener('click', () => ui.busy(more, () => load().catch((e) => { msg.textContent = ui.friendlyMessage(e); })));
  await load();

  const markAll = ui.button('Mark all as read', { secondary: true, small: true });
  markAll.addEventListener('click', () => ui.busy(markAll, async () => {
    try {
      await api.post('/notifications/read', { all: true });
      for (const li of list.querySelectorAll('.cc-notification--unread')) {
        li.classList.remove('cc-notification--unread');
        const tagEl = li.querySelector('.cc-new-tag');
        if (tagEl) { const next = tagEl.nextSibling; tagEl.remove(); if (next && next.nodeType === 3 && next.textContent === ' ') next.remove(); }
      }
      shell.unreadClear();
      msg.textContent = 'All notifications are marked as read.';
    } catch (e) { msg.textContent = ui.friendlyMessage(e); }
  }));

  const onLive = (ev) => {
    const n = ev.detail || {};
    if (n.id === undefined || seen.has(n.id)) return;
    list.prepend(item(n, true));
    empty.hidden = true;
  };
  document.addEventListener('cc:notification', onLive);
  ctx.onCleanup(() => document.removeEventListener('cc:notification', onLive));

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Notifications'),
    ui.para('What has happened to the ideas you shared, voted on, commented on or follow.'),
    markAll, msg, empty, list, more)));
}
