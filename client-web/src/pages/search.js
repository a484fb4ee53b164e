// Full-text search over ideas, filterable by principle and challenge.
import { h, focusElement, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import { principles as loadPrinciples, statusTag, snippet, excerpt } from '../common.js';

export async function render(ctx) {
  const q = (ctx.query.get('q') || '').trim();
  const principle = ctx.query.get('principle') || '';
  const challenge = ctx.query.get('challenge') || '';
  ctx.setTitle(q ? `Search results for ${q}` : 'Search ideas');
  const principles = await loadPrinciples();

  const qF = ui.textField({ name: 'q', label: 'Search for ideas', type: 'search', value: q, hint: 'Words from an idea\'s title, description or tags.', labelClass: 'nhsuk-label--s' });
  const pF = ui.selectField({ name: 'principle', label: 'Principle', options: [['', 'All principles'], ...principles.map((p) => [p.code, `${p.code}: ${p.title}`])], value: principle });
  const form = h('form', { novalidate: true, role: 'search', action: '/search', method: 'get', class: 'cc-search-form' }, qF.group, pF.group, ui.button('Search', { type: 'submit' }));
  const errors = new ui.FormErrors(ctx.page, { q: qF });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams();
    if (qF.value.trim()) params.set('q', qF.value.trim());
    if (pF.value) params.set('principle', pF.value);
    if (challenge) params.set('challenge', challenge);
    if (!qF.value.trim()) { errors.show([{ field: 'q', message: 'Enter words to search for' }]); return; }
    ctx.navigate(`/search?${params.toString()}`);
  });

  const results = h('ol', { class: 'nhsuk-list cc-results', 'aria-labelledby': 'results-heading' });
  const summary = h('p', { class: 'nhsuk-body', id: 'results-summary' });
  const more = ui.button('Show more results', { secondary: true });
  more.hidden = true;
  let cursor = null;
  let count = 0;
  const principleObj = principles.find((p) => p.code === principle);

  async function load() {
    const params = { q, principle: principleObj ? principleObj.id : undefined, challenge: challenge || undefined, limit: 20, cursor };
    const res = await api.get(`/search${api.qs(params)}`);
    const items = res.items || [];
    for (const hit of items) {
      const idea = hit.idea || hit;
      count += 1;
      results.append(h('li', { class: 'cc-result' },
        h('h3', { class: 'nhsuk-heading-s' }, h('a', { class: 'nhsuk-link', href: `/ideas/${idea.id}`, 'data-key': `result-${idea.id}` }, idea.title)),
        h('p', { class: 'cc-idea__tags' }, statusTag(idea.status)),
        hit.snippet ? snippet(hit.snippet, hit.highlights) : h('p', { class: 'nhsuk-body-s' }, excerpt(idea.body)),
        h('p', { class: 'nhsuk-body-s cc-meta' }, `Score ${idea.score ?? 0}, ${fmt.plural(idea.comment_count || 0, 'comment')}. Shared by ${fmt.authorName(idea.author, idea.anonymous)}.`)));
    }
    cursor = res.next_cursor || null;
    more.hidden = !cursor;
    summary.textContent = count === 0 ? `No ideas match "${q}". Try fewer or different words.` : `${fmt.plural(count, 'idea')}${cursor ? ' so far' : ''} found for "${q}".`;
    return items.length;
  }
  more.addEventListener('click', () => ui.busy(more, async () => {
    const before = count;
    try { await load(); const first = results.children[before]; if (first) focusElement(first.querySelector('a')); } catch (e) { errors.showApiError(e); }
  }));

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Search ideas'), form,
    q ? h('section', { 'aria-labelledby': 'results-heading' },
      h('h2', { class: 'nhsuk-heading-m', id: 'results-heading' }, 'Results'), summary, results, more) : null)));
  if (q) {
    try { await load(); } catch (e) { errors.showApiError(e); }
  }
}
