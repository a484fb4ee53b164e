// The list of challenges, grouped and filterable by principle, with counts; live.
import { h, replaceChildren, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import * as live from '../live.js';
import * as session from '../session.js';
import { updateQuery } from '../router.js';
import { principles as loadPrinciples, challengeTag, excerpt, flashBanner, keepFocus } from '../common.js';

export async function render(ctx) {
  ctx.setTitle('Challenges');
  const dg = session.isDesignGroup();
  const [principles, list] = await Promise.all([loadPrinciples(), api.getAll('/challenges')]);
  const byId = new Map(list.map((c) => [c.id, c]));
  const pById = new Map(principles.map((p) => [p.id, p]));

  const statusOptions = [['open', 'Open for ideas'], ['closed', 'Closed'], ['all', 'All challenges']];
  if (dg) statusOptions.splice(2, 0, ['draft', 'Drafts (not published)']);
  let status = ctx.query.get('status') || 'open';
  if (!statusOptions.some(([v]) => v === status)) status = 'open';
  let principle = ctx.query.get('principle') || '';
  if (principle && !principles.some((p) => p.code === principle)) principle = '';

  const results = h('div', { id: 'challenge-results' });
  const countLine = h('p', { class: 'nhsuk-body', id: 'challenge-count' });

  function visible() {
    return [...byId.values()].filter((c) => status === 'all' ? c.status !== 'archived' : c.status === status)
      .sort((a, b) => (b.id - a.id));
  }

  const statusField = ui.selectField({ name: 'status', label: 'Show', options: statusOptions, value: status });
  const principleField = ui.choiceField({
    name: 'principle', legend: 'Principle', small: true, value: principle,
    items: [{ value: '', label: 'All principles' }, ...principles.map((p) => ({ value: p.code, label: `${p.code}: ${p.title}` }))],
  });
  const principleInputs = principleField.inputs;

  function refreshCounts() {
    const vis = visible();
    principleInputs.forEach((input, i) => {
      const label = input.nextElementSibling;
      const n = i === 0 ? vis.length : vis.filter((c) => (c.principle_ids || []).includes(principles[i - 1].id)).length;
      const base = i === 0 ? 'All principles' : `${principles[i - 1].code}: ${principles[i - 1].title}`;
      label.textContent = `${base} (${n})`;
    });
  }

  function card(c) {
    const counts = c.counts || null;
    const linked = (c.principle_ids || []).map((id) => pById.get(id)).filter(Boolean);
    return h('li', { class: 'cc-card-list__item', 'data-challenge-id': c.id },
      h('div', { class: 'nhsuk-card nhsuk-card--clickable cc-card' },
        h('div', { class: 'nhsuk-card__content' },
          h('h3', { class: 'nhsuk-card__heading nhsuk-heading-s' },
            h('a', { class: 'nhsuk-card__link', href: `/challenges/${c.id}`, 'data-key': `challenge-${c.id}` }, c.title)),
          h('p', { class: 'nhsuk-body-s cc-meta' }, challengeTag(c.status),
            c.closes_at && c.status === 'open' ? ` Closes ${fmt.formatDate(c.closes_at)}.` : null),
          c.brief ? h('p', { class: 'nhsuk-card__description' }, excerpt(c.brief, 200)) : null,
          counts ? h('p', { class: 'nhsuk-body-s cc-meta' },
            `${fmt.plural(counts.ideas, 'idea')}, ${fmt.plural(counts.comments, 'comment')}, ${fmt.plural(counts.votes, 'vote')}, ${fmt.plural(counts.participants, 'person', 'people')} taking part`) : null,
          linked.length ? h('p', { class: 'nhsuk-body-s cc-meta' }, 'Principles: ', linked.map((p) => p.code).join(', ')) : null)));
  }

  function renderResults() {
    const vis = visible();
    refreshCounts();
    const groups = principle ? principles.filter((p) => p.code === principle) : principles;
    const nodes = [];
    let shown = 0;
    for (const p of groups) {
      const items = vis.filter((c) => (c.principle_ids || []).includes(p.id));
      shown += items.length;
      if (!items.length && principle === '') continue;
      nodes.push(h('section', { class: 'cc-group', 'aria-labelledby': `group-${p.code}` },
        h('h2', { class: 'nhsuk-heading-m', id: `group-${p.code}` }, `${p.code}: ${p.title}`,
          h('span', { class: 'cc-count' }, ` (${fmt.plural(items.length, 'challenge')})`)),
        h('p', { class: 'nhsuk-body-s cc-principle-summary' }, excerpt(p.summary, 260)),
        items.length ? h('ul', { class: 'nhsuk-list cc-card-list' }, items.map(card))
          : ui.para('There are no challenges for this principle yet.')));
    }
    const unlinked = principle ? [] : vis.filter((c) => !(c.principle_ids || []).some((id) => pById.has(id)));
    if (unlinked.length) {
      nodes.push(h('section', { class: 'cc-group', 'aria-labelledby': 'group-other' },
        h('h2', { class: 'nhsuk-heading-m', id: 'group-other' }, 'Other challenges'),
        h('ul', { class: 'nhsuk-list cc-card-list' }, unlinked.map(card))));
    }
    const total = principle ? shown : vis.length;
    countLine.textContent = total === 0
      ? 'There are no challenges to show.'
      : `Showing ${fmt.plural(total, 'challenge')}${principle ? ` linked to ${principle}` : ''}.`;
    keepFocus(() => replaceChildren(results, nodes));
  }

  const filterForm = h('form', { class: 'cc-filters', novalidate: true, 'aria-label': 'Filter challenges' },
    statusField.group, principleField.group,
    ui.button('Apply filters', { type: 'submit', secondary: true, small: true }));
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    status = statusField.value;
    principle = principleField.value || '';
    updateQuery({ status: status === 'open' ? null : status, principle: principle || null }, { replace: false });
    renderResults();
    ctx.announce(countLine.textContent);
  });

  renderResults();

  const stop = live.subscribe(['challenges'], (ev) => {
    if (ev.type !== 'challenge.created' && ev.type !== 'challenge.updated') return;
    const c = (ev.data && (ev.data.challenge || ev.data)) || null;
    if (!c || typeof c.id !== 'number') return;
    const known = byId.has(c.id);
    byId.set(c.id, { ...(byId.get(c.id) || {}), ...c });
    renderResults();
    if (!known && c.status === 'open') ctx.announce(`New challenge: ${c.title}`);
  });
  ctx.onCleanup(stop);

  add(ctx.page, 
    flashBanner(),
    ui.pageHeading('Challenges'),
    ui.para('Each challenge asks a question about how we lead and work together. Share your ideas, vote for the ones you like and comment to improve them. The design group takes the best ideas to its workshops and tells you what happened.'),
    dg ? ui.linkButton('/challenges/new', 'Create a challenge', { secondary: true }) : null,
    h('div', { class: 'nhsuk-grid-row' },
      h('div', { class: 'nhsuk-grid-column-one-third' },
        h('h2', { class: 'nhsuk-heading-s' }, 'Filter'),
        filterForm),
      h('div', { class: 'nhsuk-grid-column-two-thirds' }, countLine, results)),
  );
}
