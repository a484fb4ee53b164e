// Pieces shared by several pages: principles, idea summaries, vote controls, snippets.
import { h } from './dom.js';
import * as api from './api.js';
import * as ui from './ui.js';
import * as fmt from './format.js';
import { takeFlash } from './flash.js';

let principlesCache = null;
export async function principles() {
  if (!principlesCache) {
    principlesCache = api.get('/principles').then((r) => r.items || []).catch((e) => { principlesCache = null; throw e; });
  }
  return principlesCache;
}

export function principleLabel(p) { return p ? `${p.code}: ${p.title}` : ''; }

export function flashBanner() {
  const f = takeFlash();
  if (!f) return null;
  return ui.notificationBanner('Success', [
    h('h3', { class: 'nhsuk-notification-banner__heading' }, f.title),
    f.text ? h('p', { class: 'nhsuk-body' }, f.text) : null,
  ], { success: true });
}

/** Text with line breaks kept, as paragraphs. */
export function textBlock(text, cls = 'nhsuk-body') {
  const parts = String(text || '').split(/\n{2,}/);
  return parts.map((p) => h('p', { class: [cls, 'cc-prewrap'] }, p));
}

export function excerpt(text, n = 220) {
  const s = String(text || '').replace(/\s+/g, ' ').trim();
  return s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s;
}

export function statusTag(status) { return ui.tag(fmt.ideaStatusLabel(status), fmt.ideaStatusClass(status)); }
export function challengeTag(status) { return ui.tag(fmt.challengeStatusLabel(status), fmt.challengeStatusClass(status)); }

export function tagList(tags) {
  if (!tags || !tags.length) return null;
  return h('ul', { class: 'cc-tags', 'aria-label': 'Tags' }, tags.map((t) => h('li', { class: 'cc-tags__item' }, t)));
}

/**
 * Renders a search snippet as text with <mark> around the matches. The server sends plain
 * text plus highlights: [[start, length], ...] in UTF-16 units (what JS strings count).
 * Older forms with <mark>/<b> tags in the text are also understood, still only as text.
 */
export function snippet(text, highlights) {
  const out = h('p', { class: 'nhsuk-body-s cc-snippet' });
  const s = String(text || '');
  if (Array.isArray(highlights) && highlights.length) {
    let pos = 0;
    const spans = highlights.map((x) => (Array.isArray(x) ? x : [x.start, x.length]))
      .filter(([a, n]) => Number.isInteger(a) && Number.isInteger(n) && a >= 0 && n > 0)
      .sort((a, b) => a[0] - b[0]);
    for (const [start, len] of spans) {
      if (start < pos || start >= s.length) continue;
      out.append(document.createTextNode(s.slice(pos, start)));
      out.append(h('mark', null, s.slice(start, start + len)));
      pos = start + len;
    }
    out.append(document.createTextNode(s.slice(pos)));
    return out;
  }
  const tokens = s.split(/(<\/?(?:mark|b|strong|em)>)/i);
  let mark = null;
  for (const t of tokens) {
    if (/^<(mark|b|strong|em)>$/i.test(t)) { mark = h('mark'); out.append(mark); continue; }
    if (/^<\/(mark|b|strong|em)>$/i.test(t)) { mark = null; continue; }
    if (t) (mark || out).append(document.createTextNode(t));
  }
  return out;
}

export function ideaIdOf(item) {
  if (!item) return null;
  if (item.idea && typeof item.idea === 'object') return item.idea.id;
  return item.idea_id ?? null;
}

/* ---------- votes ---------- */

export function votesText(idea, model) {
  const up = (idea.votes && idea.votes.up) || 0;
  const down = (idea.votes && idea.votes.down) || 0;
  if (model === 'updown') return `Score ${idea.score ?? up - down} (${up} for, ${down} against)`;
  return fmt.plural(up, 'vote');
}

/**
 * A vote control for one idea. Returns {el, update(idea-ish)} where update takes
 * {votes, score, my_vote?}. challenge: {status, voting}.
 */
export function voteControl(idea, challenge, { onError, onChange } = {}) {
  const model = (challenge && challenge.voting && challenge.voting.model) || 'up';
  const canVote = !challenge || challenge.status === 'open';
  const state = { votes: idea.votes || { up: 0, down: 0 }, score: idea.score ?? 0, my_vote: idea.my_vote || 0 };
  const count = h('span', { class: 'cc-vote__count', 'data-role': 'vote-count' });
  const err = h('div', { class: 'cc-vote__error' });
  const title = idea.title || 'this idea';
  const upBtn = h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small cc-vote__button', 'data-key': `vote-up-${idea.id}` },
    ui.icon('up'), h('span', null, model === 'updown' ? 'For' : 'Vote'), h('span', { class: 'nhsuk-u-visually-hidden' }, `: ${title}`));
  const downBtn = model === 'updown'
    ? h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small cc-vote__button', 'data-key': `vote-down-${idea.id}` },
      ui.icon('down'), h('span', null, 'Against'), h('span', { class: 'nhsuk-u-visually-hidden' }, `: ${title}`))
    : null;

  function render() {
    count.textContent = votesText(state, model);
    upBtn.setAttribute('aria-pressed', state.my_vote === 1 ? 'true' : 'false');
    if (downBtn) downBtn.setAttribute('aria-pressed', state.my_vote === -1 ? 'true' : 'false');
    upBtn.classList.toggle('cc-vote__button--on', state.my_vote === 1);
    if (downBtn) downBtn.classList.toggle('cc-vote__button--on', state.my_vote === -1);
  }

  async function cast(value, btn) {
    const next = state.my_vote === value ? 0 : value;
    await ui.busy(btn, async () => {
      try {
        const res = await api.put(`/ideas/${idea.id}/vote`, { value: next });
        update(res);
        ui.inlineError(err, null);
        if (onChange) onChange(res);
      } catch (e) {
        let msg = ui.friendlyMessage(e);
        if (e instanceof api.ApiError && e.status === 409) {
          msg = /budget|votes left|used/i.test(e.message)
            ? 'You have used all your votes in this challenge. Take a vote back from another idea to vote for this one.'
            : `You cannot vote on this idea right now. ${ui.friendlyMessage(e)}`;
        }
        ui.inlineError(err, msg);
        if (onError) onError(e);
      }
    });
  }
  upBtn.addEventListener('click', () => cast(1, upBtn));
  if (downBtn) downBtn.addEventListener('click', () => cast(-1, downBtn));

  function update(d) {
    if (!d) return;
    if (d.votes) state.votes = d.votes;
    if (typeof d.score === 'number') state.score = d.score;
    else if (d.votes) state.score = (d.votes.up || 0) - (d.votes.down || 0);
    if (typeof d.my_vote === 'number') state.my_vote = d.my_vote;
    render();
  }
  function setOpen(open) {
    upBtn.hidden = !open; if (downBtn) downBtn.hidden = !open;
  }

  render();
  const el = h('div', { class: 'cc-vote' },
    h('p', { class: 'nhsuk-body-s cc-vote__summary' }, count),
    h('div', { class: 'cc-vote__buttons' }, upBtn, downBtn),
    err);
  setOpen(canVote);
  return { el, update, setOpen, state };
}

/** Reads the idea object out of an event's data (data.idea, or data itself). */
export function ideaFromEvent(data) {
  if (!data) return null;
  if (data.idea && typeof data.idea === 'object') return data.idea;
  if (typeof data.id === 'number' && (data.title !== undefined || data.status !== undefined)) return data;
  return null;
}
export function commentFromEvent(data) {
  if (!data) return null;
  if (data.comment && typeof data.comment === 'object') return data.comment;
  if (typeof data.id === 'number') return data;
  return null;
}

/** Runs fn (which may rebuild part of the page) and puts focus back on the same control. */
export function keepFocus(fn) {
  const active = document.activeElement;
  const key = active && active.dataset ? active.dataset.key : null;
  fn();
  if (key && !document.activeElement?.dataset?.key) {
    const again = document.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

export function csvLink(challengeId) {
  return h('a', { class: 'nhsuk-link', href: `/api/v1/export/challenges/${challengeId}.csv`, download: `challenge-${challengeId}-ideas.csv` },
    'Download the ideas as a spreadsheet (CSV)');
}
