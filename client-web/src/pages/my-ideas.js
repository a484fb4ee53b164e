// The ideas you have shared, across every challenge you can see, with where each one got to.
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import { statusTag, excerpt } from '../common.js';

export async function render(ctx) {
  ctx.setTitle('My ideas');
  const me = ctx.user;
  const challenges = (await api.getAll('/challenges')).filter((c) => c.status !== 'draft');
  const groups = [];
  // The API lists ideas per challenge; we read each challenge's ideas and keep yours.
  const pages = await Promise.all(challenges.map((c) => api.getAll(`/challenges/${c.id}/ideas`, { sort: 'new' }, { max: 2000 })
    .then((items) => ({ c, items })).catch(() => ({ c, items: [] }))));
  for (const { c, items } of pages) {
    const mine = items.filter((i) => i.mine === true || (i.author && i.author.id === me.id));
    if (mine.length) groups.push({ c, mine });
  }
  const total = groups.reduce((n, g) => n + g.mine.length, 0);

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('My ideas'),
    ui.para(total ? `You have shared ${fmt.plural(total, 'idea')}. Follow each one to see what the design group decided.` : 'You have not shared any ideas yet.'),
    total ? null : ui.para(ui.link('/', 'Find a challenge to share an idea')),
    groups.map(({ c, mine }) => h('section', { class: 'cc-section', 'aria-labelledby': `my-c-${c.id}` },
      h('h2', { class: 'nhsuk-heading-m', id: `my-c-${c.id}` }, ui.link(`/challenges/${c.id}`, c.title)),
      h('ul', { class: 'nhsuk-list cc-results' }, mine.map((i) => h('li', { class: 'cc-result' },
        h('h3', { class: 'nhsuk-heading-s' }, ui.link(`/ideas/${i.id}`, i.title)),
        h('p', { class: 'cc-idea__tags' }, statusTag(i.status), i.anonymous ? ' Shared anonymously.' : ''),
        i.status_note ? h('p', { class: 'nhsuk-body-s' }, 'Latest update: ', excerpt(i.status_note, 200)) : null,
        h('p', { class: 'nhsuk-body-s cc-meta' }, `${fmt.plural(i.votes ? i.votes.up : 0, 'vote')}, ${fmt.plural(i.comment_count || 0, 'comment')}. Shared `, fmt.timeEl(h, i.created_at, { relative: true }), '.')))))))));
}
