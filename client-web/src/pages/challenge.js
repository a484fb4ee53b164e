// One challenge and its ideas: sorting, voting, live updates without re-rendering the list.
import { h, replaceChildren, add, focusElement } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import * as live from '../live.js';
import * as session from '../session.js';
import { updateQuery } from '../router.js';
import {
  principles as loadPrinciples, challengeTag, statusTag, excerpt, flashBanner, textBlock, tagList,
  voteControl, ideaFromEvent, commentFromEvent, csvLink,
} from '../common.js';

const SORTS = [['top', 'Most votes'], ['new', 'Newest'], ['trending', 'Trending now'], ['discussed', 'Most discussed']];

export function votingRule(ch) {
  const v = ch.voting || {};
  const kind = v.model === 'updown' ? 'You can vote for or against each idea.' : 'You can vote for the ideas you support.';
  const budget = v.votes_per_user ? ` You have ${fmt.plural(v.votes_per_user, 'vote')} to use across this challenge.` : '';
  return kind + budget;
}

export async function render(ctx) {
  const id = ctx.params.id;
  const dg = session.isDesignGroup();
  const [{ challenge: initial }, principles] = await Promise.all([api.get(`/challenges/${id}`), loadPrinciples()]);
  let ch = initial;
  ctx.setTitle(ch.title);

  let sort = ctx.query.get('sort') || 'top';
  if (!SORTS.some(([v]) => v === sort)) sort = 'top';
  let statusFilter = ctx.query.get('status') || '';
  if (statusFilter && !fmt.IDEA_STATUSES.includes(statusFilter)) statusFilter = '';

  /* ----- header ----- */
  const titleEl = h('span', null, ch.title);
  const statusEl = h('span', null, challengeTag(ch.status));
  const datesEl = h('p', { class: 'nhsuk-body-s cc-meta' });
  const countsEl = h('p', { class: 'nhsuk-body cc-counts', id: 'challenge-counts' });
  const counts = { ...(ch.counts || {}) };
  const actions = h('div', { class: 'cc-actions' });
  const dgPanel = h('div');
  const ruleEl = h('p', { class: 'nhsuk-body' }, votingRule(ch));

  function renderDates() {
    const bits = [];
    if (ch.opens_at) bits.push(`Opens ${fmt.formatDateTime(ch.opens_at)}.`);
    const closesPast = ch.closes_at && new Date(ch.closes_at).getTime() <= Date.now();
    if (ch.status === 'closed' || ch.status === 'archived') bits.push(closesPast ? `Closed ${fmt.formatDateTime(ch.closes_at)}.` : 'Closed.');
    else if (ch.closes_at) bits.push(`Closes ${fmt.formatDateTime(ch.closes_at)}.`);
    datesEl.textContent = bits.join(' ');
    datesEl.hidden = bits.length === 0;
  }
  function renderCounts() {
    if (counts.ideas === undefined) { countsEl.hidden = true; return; }
    countsEl.hidden = false;
    countsEl.textContent = `${fmt.plural(counts.ideas, 'idea')}, ${fmt.plural(counts.comments || 0, 'comment')}, ${fmt.plural(counts.votes || 0, 'vote')}, ${fmt.plural(counts.participants || 0, 'person', 'people')} taking part.`;
  }
  let following = ch.following ?? null;
  const followBtn = ui.button('', { secondary: true, small: true });
  const followMsg = h('span', { class: 'cc-follow-msg', role: 'status' });
  function renderFollow() {
    followBtn.textContent = following ? 'Stop following this challenge' : 'Follow this challenge';
    followBtn.setAttribute('aria-pressed', following ? 'true' : 'false');
  }
  followBtn.addEventListener('click', () => ui.busy(followBtn, async () => {
    try {
      const res = await api.put(`/challenges/${id}/follow`, { follow: !following });
      following = !!res.following;
      renderFollow();
      followMsg.textContent = following ? 'You will be told about changes to this challenge.' : 'You have stopped following this challenge.';
    } catch (e) { followMsg.textContent = ui.friendlyMessage(e); }
  }));
  renderFollow();

  function renderActions() {
    const nodes = [];
    if (ch.status === 'open') nodes.push(ui.linkButton(`/challenges/${id}/ideas/new`, 'Share an idea'));
    else nodes.push(ui.insetText(h('p', null, ch.status === 'closed' ? 'This challenge has closed. You can still read the ideas and comments, and follow what happens to them.'
      : ch.status === 'draft' ? 'This challenge is a draft. Only the design group can see it.' : 'This challenge is archived.')));
    nodes.push(h('div', { class: 'cc-follow' }, followBtn, followMsg));
    replaceChildren(actions, nodes);
  }

  /* ----- design group panel ----- */
  const dgMsg = h('div', { role: 'status', class: 'cc-status-msg' });
  function renderDg() {
    if (!dg) return;
    const buttons = [];
    const setStatus = (status, label) => {
      const b = ui.button(label, { secondary: true, small: true });
      b.addEventListener('click', () => ui.busy(b, async () => {
        try {
          const res = await api.patch(`/challenges/${id}`, { status });
          applyChallenge(res.challenge || res);
          dgMsg.textContent = `The challenge is now: ${fmt.challengeStatusLabel(ch.status)}.`;
          focusElement(dgMsg); // the button pressed has been replaced
        } catch (e) { dgMsg.textContent = ui.friendlyMessage(e); }
      }));
      return b;
    };
    if (ch.status === 'draft') buttons.push(setStatus('open', 'Open for ideas'));
    if (ch.status === 'open') buttons.push(setStatus('closed', 'Close this challenge'));
    if (ch.status === 'closed') buttons.push(setStatus('open', 'Reopen'), setStatus('archived', 'Archive'));
    const fwd = ui.button('Send the top ideas to the workshop', { secondary: true, small: true });
    fwd.addEventListener('click', () => ui.busy(fwd, async () => {
      try {
        const res = await api.post(`/challenges/${id}/forward`);
        const n = (res.forwarded || []).length;
        const a = (res.already || []).length;
        dgMsg.textContent = n || a
          ? `${fmt.plural(n, 'idea')} sent to the workshop.${a ? ` ${fmt.plural(a, 'idea was', 'ideas were')} already in its queue.` : ''}`
          : 'No ideas met the rule for sending to the workshop yet.';
      } catch (e) { dgMsg.textContent = ui.friendlyMessage(e); }
    }));
    const f = ch.forward || {};
    replaceChildren(dgPanel, h('section', { class: 'nhsuk-card cc-dg-panel', 'aria-labelledby': 'dg-heading' },
      h('div', { class: 'nhsuk-card__content' },
        h('h2', { class: 'nhsuk-card__heading nhsuk-heading-s', id: 'dg-heading' }, 'Design group'),
        h('p', { class: 'nhsuk-body-s' }, f.workshop_id
          ? `Rule for sending ideas: the top ${f.top_n ?? '?'} ideas with at least ${fmt.plural(f.min_votes ?? 0, 'vote')} go to `
          : 'No workshop is set for sending ideas. Edit the challenge to choose one.',
        f.workshop_id ? ui.link(`/workshops/${f.workshop_id}`, 'the workshop') : null, f.workshop_id ? '.' : null),
        h('div', { class: 'cc-button-row' }, ui.linkButton(`/challenges/${id}/edit`, 'Edit challenge', { secondary: true, small: true }), buttons,
          f.workshop_id ? fwd : null),
        dgMsg,
        h('ul', { class: 'nhsuk-list' },
          h('li', null, ui.link(`/challenges/${id}/metrics`, 'See who is taking part (metrics)')),
          h('li', null, csvLink(id))))));
  }

  function applyChallenge(c) {
    if (!c || typeof c !== 'object') return;
    const wasOpen = ch.status === 'open';
    ch = { ...ch, ...c };
    titleEl.textContent = ch.title;
    replaceChildren(statusEl, challengeTag(ch.status));
    ruleEl.textContent = votingRule(ch);
    if (c.counts) Object.assign(counts, c.counts);
    renderDates(); renderCounts(); renderActions(); renderDg();
    for (const card of cards.values()) card.vote.setOpen(ch.status === 'open');
    if (wasOpen && ch.status !== 'open') ctx.announce('This challenge has closed.');
  }

  /* ----- ideas list ----- */
  const list = h('ol', { class: 'cc-idea-list', id: 'idea-list', 'aria-label': 'Ideas' });
  const empty = h('p', { class: 'nhsuk-body', hidden: true }, 'No ideas yet. Be the first to share one.');
  const more = ui.button('Show more ideas', { secondary: true });
  const listError = h('div');
  const cards = new Map(); // idea id -> {el, idea, vote, refs}
  let cursor = null;

  function ideaCard(idea, { fresh = false } = {}) {
    const vote = voteControl(idea, ch);
    const titleLink = h('a', { class: 'nhsuk-link cc-idea__link', href: `/ideas/${idea.id}`, 'data-key': `idea-${idea.id}` }, idea.title);
    const statusSlot = h('span', { class: 'cc-idea__status' }, statusTag(idea.status));
    const commentsEl = h('a', { class: 'nhsuk-link cc-idea__comments', href: `/ideas/${idea.id}#comments` }, fmt.plural(idea.comment_count || 0, 'comment'));
    const freshEl = h('strong', { class: 'nhsuk-tag nhsuk-tag--pink cc-idea__fresh', hidden: !fresh }, 'Just added');
    const bodyEl = h('p', { class: 'nhsuk-body-s cc-idea__body' }, excerpt(idea.body, 240));
    const byline = h('p', { class: 'nhsuk-body-s cc-meta' },
      `By ${fmt.authorName(idea.author, idea.anonymous)}`,
      idea.author && idea.author.profession ? ` (${fmt.professionLabel(idea.author.profession)})` : '',
      ', ', fmt.timeEl(h, idea.created_at, { relative: true }));
    const el = h('li', { class: ['cc-idea', fresh && 'cc-idea--fresh'], 'data-idea-id': idea.id },
      h('div', { class: 'cc-idea__main' },
        h('h3', { class: 'nhsuk-heading-s cc-idea__title' }, titleLink),
        h('p', { class: 'cc-idea__tags' }, statusSlot, ' ', freshEl),
        byline, bodyEl, tagList(idea.tags),
        h('p', { class: 'nhsuk-body-s cc-idea__footer' }, commentsEl)),
      h('div', { class: 'cc-idea__side' }, vote.el));
    const entry = { el, idea: { ...idea }, vote, refs: { titleLink, statusSlot, commentsEl, bodyEl }, commentIds: new Set() };
    cards.set(idea.id, entry);
    return el;
  }

  function updateCard(entry, patch) {
    Object.assign(entry.idea, patch);
    const i = entry.idea;
    if (patch.title !== undefined) entry.refs.titleLink.textContent = i.title;
    if (patch.status !== undefined) replaceChildren(entry.refs.statusSlot, statusTag(i.status));
    if (patch.body !== undefined) entry.refs.bodyEl.textContent = excerpt(i.body, 240);
    if (patch.comment_count !== undefined) entry.refs.commentsEl.textContent = fmt.plural(i.comment_count || 0, 'comment');
    if (patch.votes !== undefined || patch.score !== undefined) entry.vote.update({ votes: patch.votes, score: patch.score });
  }

  async function loadPage(reset) {
    const params = { sort, status: statusFilter || undefined, limit: 20, cursor: reset ? undefined : cursor };
    const res = await api.get(`/challenges/${id}/ideas${api.qs(params)}`);
    if (reset) { replaceChildren(list); cards.clear(); }
    for (const idea of res.items || []) if (!cards.has(idea.id)) list.append(ideaCard(idea));
    cursor = res.next_cursor || null;
    more.hidden = !cursor;
    empty.hidden = cards.size > 0;
    empty.textContent = statusFilter ? 'No ideas match this filter.' : ch.status === 'open' ? 'No ideas yet. Be the first to share one.' : 'No ideas were shared in this challenge.';
  }
  more.addEventListener('click', () => ui.busy(more, async () => {
    const before = cards.size;
    try {
      await loadPage(false);
      ui.inlineError(listError, null);
      const first = [...cards.values()][before];
      if (first) first.refs.titleLink.focus();
    } catch (e) { ui.inlineError(listError, e); }
  }));

  const sortField = ui.selectField({ name: 'sort', label: 'Sort ideas by', options: SORTS, value: sort });
  const statusField = ui.selectField({
    name: 'status', label: 'Show ideas that are',
    options: [['', 'Any status'], ...fmt.IDEA_STATUSES.map((s) => [s, fmt.ideaStatusLabel(s)])], value: statusFilter,
  });
  const sortForm = h('form', { class: 'cc-sort', novalidate: true, 'aria-label': 'Sort and filter ideas' },
    sortField.group, statusField.group, ui.button('Show ideas', { type: 'submit', secondary: true, small: true }));
  sortForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sort = sortField.value;
    statusFilter = statusField.value;
    updateQuery({ sort: sort === 'top' ? null : sort, status: statusFilter || null });
    try {
      await loadPage(true);
      ui.inlineError(listError, null);
      ctx.announce(`Showing ${fmt.plural(cards.size, 'idea')}, sorted by ${SORTS.find(([v]) => v === sort)[1].toLowerCase()}.`);
    } catch (e) { ui.inlineError(listError, e); }
  });

  await loadPage(true);

  /* ----- live updates ----- */
  const stop = live.subscribe([`challenge:${id}`], (ev) => {
    const d = ev.data || {};
    switch (ev.type) {
      case 'idea.created': {
        const idea = ideaFromEvent(d);
        if (!idea || cards.has(idea.id)) return;
        if (statusFilter && idea.status !== statusFilter) return;
        list.prepend(ideaCard(idea, { fresh: true }));
        empty.hidden = true;
        if (counts.ideas !== undefined) { counts.ideas += 1; renderCounts(); }
        ctx.announce(`New idea: ${idea.title}`);
        break;
      }
      case 'vote.changed': {
        const entry = cards.get(d.idea_id);
        if (!entry || !d.votes) return;
        const before = entry.idea.votes || { up: 0, down: 0 };
        const delta = ((d.votes.up || 0) + (d.votes.down || 0)) - ((before.up || 0) + (before.down || 0));
        if (d.votes.up === before.up && d.votes.down === before.down) return; // nothing new (a replay)
        updateCard(entry, { votes: d.votes, score: d.score });
        if (counts.votes !== undefined && delta) { counts.votes = Math.max(0, counts.votes + delta); renderCounts(); }
        ctx.announce(`Votes changed on ${entry.idea.title}: ${entry.vote.el.querySelector('[data-role=vote-count]').textContent}.`);
        break;
      }
      case 'comment.created':
      case 'comment.deleted': {
        const c = commentFromEvent(d);
        const ideaId = d.idea_id ?? (c && c.idea_id);
        const entry = cards.get(ideaId);
        if (!entry) return;
        let n = typeof d.comment_count === 'number' ? d.comment_count : null;
        if (n === null) {
          if (ev.type === 'comment.created') {
            if (c && entry.commentIds.has(c.id)) return;
            if (c) entry.commentIds.add(c.id);
            n = (entry.idea.comment_count || 0) + 1;
          } else n = entry.idea.comment_count || 0;
        }
        const delta = n - (entry.idea.comment_count || 0);
        if (delta === 0) return; // nothing new (a replay)
        if (counts.comments !== undefined) { counts.comments = Math.max(0, counts.comments + delta); renderCounts(); }
        updateCard(entry, { comment_count: n });
        if (ev.type === 'comment.created') ctx.announce(`New comment on ${entry.idea.title}.`);
        break;
      }
      case 'idea.updated':
      case 'idea.status_changed':
      case 'idea.merged': {
        const idea = ideaFromEvent(d) || (d.idea_id ? { id: d.idea_id, status: d.status } : null);
        const entry = idea && cards.get(idea.id);
        if (!entry) return;
        const patch = {};
        for (const k of ['title', 'body', 'status', 'status_note', 'votes', 'score', 'comment_count', 'tags']) if (idea[k] !== undefined) patch[k] = idea[k];
        const statusBefore = entry.idea.status;
        updateCard(entry, patch);
        if (ev.type !== 'idea.updated' && patch.status && patch.status !== statusBefore) ctx.announce(`${entry.idea.title} is now: ${fmt.ideaStatusLabel(patch.status)}.`);
        if (d.into && typeof d.into === 'object' && cards.has(d.into.id)) updateCard(cards.get(d.into.id), d.into);
        break;
      }
      case 'challenge.updated':
        applyChallenge(d.challenge || d);
        break;
      default:
    }
  });
  ctx.onCleanup(stop);

  const linked = (ch.principle_ids || []).map((pid) => principles.find((p) => p.id === pid)).filter(Boolean);
  renderDates(); renderCounts(); renderActions(); renderDg();

  ctx.setBefore(ui.breadcrumbs([['/', 'Challenges']]));
  add(ctx.page, 
    flashBanner(),
    h('h1', { class: 'nhsuk-heading-l', id: 'page-heading' },
      linked.length ? h('span', { class: 'nhsuk-caption-l' }, linked.map((p) => p.code).join(', '), h('span', { class: 'nhsuk-u-visually-hidden' }, ' - ')) : null,
      titleEl),
    h('p', { class: 'cc-status-line' }, statusEl),
    datesEl,
    h('div', { class: 'nhsuk-grid-row' },
      h('div', { class: 'nhsuk-grid-column-two-thirds' },
        textBlock(ch.brief, 'nhsuk-body-l'),
        ch.parent_idea_id ? ui.insetText(h('p', null, 'This challenge follows up an idea the design group discussed: ', ui.link(`/ideas/${ch.parent_idea_id}`, 'read the idea that led to it'), '.')) : null,
        linked.length ? h('details', { class: 'nhsuk-details' },
          h('summary', { class: 'nhsuk-details__summary' }, h('span', { class: 'nhsuk-details__summary-text' }, 'Which principles this challenge is about')),
          h('div', { class: 'nhsuk-details__text' }, linked.map((p) => [h('h3', { class: 'nhsuk-heading-xs' }, `${p.code}: ${p.title}`), h('p', { class: 'nhsuk-body-s' }, p.summary)]))) : null,
        ruleEl, countsEl, actions),
      h('div', { class: 'nhsuk-grid-column-one-third' }, dgPanel)),
    h('section', { 'aria-labelledby': 'ideas-heading', class: 'cc-ideas' },
      h('h2', { class: 'nhsuk-heading-m', id: 'ideas-heading' }, 'Ideas'),
      sortForm, listError, empty, list, more),
  );
}
