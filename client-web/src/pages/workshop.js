// A workshop and its queue of ideas (live). The design group reorders the queue with
// buttons, records outcomes, sends top ideas from challenges, and poses follow-up challenges.
import { h, replaceChildren, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';
import * as live from '../live.js';
import * as session from '../session.js';
import { statusTag, flashBanner, textBlock, keepFocus, ideaIdOf } from '../common.js';

export async function render(ctx) {
  const id = ctx.params.id;
  const dg = session.isDesignGroup();
  const data = await api.get(`/workshops/${id}`);
  const workshop = data.workshop || data;
  ctx.setTitle(workshop.title);
  ctx.setBefore(ui.breadcrumbs([['/workshops', 'Workshops']]));

  const ideaCache = new Map();
  async function ideaFor(item) {
    if (item.idea && typeof item.idea === 'object' && item.idea.title !== undefined) { ideaCache.set(item.idea.id, item.idea); return item.idea; }
    const iid = ideaIdOf(item);
    if (!ideaCache.has(iid)) ideaCache.set(iid, api.get(`/ideas/${iid}`).then((r) => r.idea).catch(() => ({ id: iid, title: `Idea ${iid}` })));
    return ideaCache.get(iid);
  }

  const list = h('ol', { class: 'cc-queue', id: 'queue', 'aria-label': 'Queue of ideas' });
  const empty = h('p', { class: 'nhsuk-body' }, 'No ideas have been sent to this workshop yet.');
  const entries = new Map(); // item id -> {item, idea, el}

  function sorted() { return [...entries.values()].sort((a, b) => (a.item.position - b.item.position) || (a.item.id - b.item.id)); }

  function sortDom() {
    keepFocus(() => {
      sorted().forEach((e, i) => {
        if (list.children[i] !== e.el) list.insertBefore(e.el, list.children[i] || null);
      });
    });
    const all = sorted();
    all.forEach((e, i) => {
      const pos = e.el.querySelector('.cc-queue__pos');
      if (pos) pos.textContent = `${i + 1}.`;
      const up = e.el.querySelector('[data-move=up]');
      const down = e.el.querySelector('[data-move=down]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
    empty.hidden = entries.size > 0;
  }

  function reasonText(item) {
    const who = item.forwarded_by && typeof item.forwarded_by === 'object' ? item.forwarded_by.display_name : null;
    const when = item.forwarded_at ? fmt.formatDate(item.forwarded_at) : '';
    const how = item.reason === 'top_n' ? 'Sent by the challenge\'s rule for top ideas' : `Sent by hand${who ? ` by ${who}` : ''}`;
    return `${how}${when ? ` on ${when}` : ''}.`;
  }

  function fillItem(entry) {
    const { item, idea } = entry;
    const title = idea.title || `Idea ${ideaIdOf(item)}`;
    const nodes = [
      h('h3', { class: 'nhsuk-heading-s cc-queue__title' }, h('span', { class: 'cc-queue__pos' }, ''), ' ',
        h('a', { class: 'nhsuk-link', href: `/ideas/${idea.id}`, 'data-key': `qi-link-${item.id}` }, title)),
      h('p', { class: 'cc-idea__tags' }, ui.tag(fmt.itemStateLabel(item.state), item.state === 'actioned' ? 'nhsuk-tag--green' : item.state === 'parked' ? 'nhsuk-tag--grey' : 'nhsuk-tag--blue'),
        ' ', idea.status ? statusTag(idea.status) : null),
      h('p', { class: 'nhsuk-body-s cc-meta' }, reasonText(item), idea.score !== undefined ? ` Score ${idea.score}, ${fmt.plural(idea.comment_count || 0, 'comment')}.` : ''),
      item.note ? h('p', { class: 'nhsuk-body-s' }, 'Note: ', item.note) : null,
      item.outcome_note ? h('div', { class: 'cc-outcome-note' }, h('h4', { class: 'nhsuk-heading-xs' }, 'Outcome'), textBlock(item.outcome_note, 'nhsuk-body-s')) : null,
    ];
    if (dg) nodes.push(controls(entry, title));
    replaceChildren(entry.el, nodes);
  }

  function controls(entry, title) {
    const { item } = entry;
    const up = h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small', 'data-move': 'up', 'data-key': `qi-up-${item.id}` },
      'Move up', h('span', { class: 'nhsuk-u-visually-hidden' }, `: ${title}`));
    const down = h('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small', 'data-move': 'down', 'data-key': `qi-down-${item.id}` },
      'Move down', h('span', { class: 'nhsuk-u-visually-hidden' }, `: ${title}`));
    const moveMsg = h('div', { class: 'cc-move-error' });
    const move = async (dir, btn) => {
      const all = sorted();
      const i = all.indexOf(entry);
      const other = all[i + dir];
      if (!other) return;
      await ui.busy(btn, async () => {
        try {
          const res = await api.patch(`/workshops/${id}/queue/${item.id}`, { position: other.item.position });
          applyItem(res.item || res);
          await resync();
          const pos = sorted().indexOf(entry) + 1;
          ctx.announce(`Moved ${title} to position ${pos} of ${entries.size}.`);
          ui.inlineError(moveMsg, null);
        } catch (e) { ui.inlineError(moveMsg, e); }
      });
      if (btn.disabled) { const other2 = btn.dataset.move === 'up' ? down : up; if (!other2.disabled) other2.focus(); }
      else btn.focus();
    };
    up.addEventListener('click', () => move(-1, up));
    down.addEventListener('click', () => move(1, down));

    const stateF = ui.selectField({ name: `state-${item.id}`, label: 'Stage', options: fmt.ITEM_STATES.map((s) => [s, fmt.itemStateLabel(s)]), value: item.state });
    const stateSave = ui.button('Save stage', { type: 'submit', small: true, secondary: true });
    const stateMsg = h('div', { role: 'status', class: 'cc-status-msg' });
    const stateForm = h('form', { novalidate: true, class: 'cc-inline-form' }, stateF.group, stateSave, stateMsg);
    stateForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      await ui.busy(stateSave, async () => {
        try { const res = await api.patch(`/workshops/${id}/queue/${item.id}`, { state: stateF.value }); applyItem(res.item || res); stateMsg.textContent = 'Saved.'; }
        catch (e) { stateMsg.textContent = ui.friendlyMessage(e); }
      });
    });

    const outcomeF = ui.choiceField({ name: `outcome-${item.id}`, legend: 'What did the workshop decide?', small: true,
      items: [{ value: 'adopted', label: 'Take it forward' }, { value: 'not_progressed', label: 'Do not take it forward' }] });
    const noteF = ui.textField({ name: `outcome_note-${item.id}`, label: 'Outcome note for everyone', textarea: true, rows: 3, hint: 'Explain the decision in plain words. The person who shared the idea, and everyone who voted, commented or follows it, will be told.', value: item.outcome_note || '' });
    const outcomeSave = ui.button('Record outcome', { type: 'submit', small: true });
    const outcomeForm = h('form', { novalidate: true, class: 'cc-outcome-form' }, outcomeF.group, noteF.group, outcomeSave);
    const outcomeErrors = new ui.FormErrors(outcomeForm, { idea_status: outcomeF, outcome_note: noteF });
    outcomeForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const problems = [];
      if (!outcomeF.value) problems.push({ field: 'idea_status', message: 'Choose what the workshop decided' });
      if (!noteF.value.trim()) problems.push({ field: 'outcome_note', message: 'Write a note explaining the decision' });
      if (problems.length) { outcomeErrors.show(problems); return; }
      await ui.busy(outcomeSave, async () => {
        try {
          const res = await api.patch(`/workshops/${id}/queue/${item.id}`, { state: 'actioned', outcome_note: noteF.value.trim(), idea_status: outcomeF.value });
          outcomeErrors.clear();
          ideaCache.delete(entry.idea.id);
          applyItem(res.item || res, { refreshIdea: true });
          ctx.announce(`Outcome recorded for ${title}.`);
        } catch (e) { outcomeErrors.showApiError(e); }
      });
    });

    return h('div', { class: 'cc-queue__controls' },
      h('div', { class: 'cc-button-row' }, up, down), moveMsg,
      stateForm,
      h('details', { class: 'nhsuk-details' },
        h('summary', { class: 'nhsuk-details__summary' }, h('span', { class: 'nhsuk-details__summary-text' }, 'Record the outcome', h('span', { class: 'nhsuk-u-visually-hidden' }, ` for ${title}`))),
        h('div', { class: 'nhsuk-details__text' }, outcomeForm)),
      h('p', { class: 'nhsuk-body-s' }, ui.link(`/challenges/new?parent_idea_id=${entry.idea.id}`, 'Ask the crowd a follow-up question', { 'aria-label': `Ask the crowd a follow-up question about ${title}` })));
  }

  async function addItem(item, { announce = false } = {}) {
    if (entries.has(item.id)) { applyItem(item); return; }
    const entry = { item: { ...item }, idea: { id: ideaIdOf(item), title: '' }, el: h('li', { class: 'cc-queue__item', 'data-item-id': item.id }) };
    entries.set(item.id, entry);
    entry.idea = await ideaFor(item);
    fillItem(entry);
    list.append(entry.el);
    sortDom();
    if (announce) ctx.announce(`Added to the queue: ${entry.idea.title}.`);
  }

  async function applyItem(item, { refreshIdea = false } = {}) {
    if (!item || item.id === undefined) return;
    const entry = entries.get(item.id);
    if (!entry) { await addItem(item, { announce: true }); return; }
    const before = entry.item.state;
    Object.assign(entry.item, item);
    if (refreshIdea || item.idea) { ideaCache.delete(entry.idea.id); entry.idea = await ideaFor(entry.item); }
    keepFocus(() => fillItem(entry));
    sortDom();
    if (before !== entry.item.state) ctx.announce(`${entry.idea.title}: ${fmt.itemStateLabel(entry.item.state)}.`);
  }

  async function resync() {
    const fresh = await api.get(`/workshops/${id}`);
    for (const it of fresh.queue || []) {
      const e = entries.get(it.id);
      if (e) e.item.position = it.position; else await addItem(it);
    }
    sortDom();
  }

  for (const item of data.queue || []) {
    const entry = { item: { ...item }, idea: null, el: h('li', { class: 'cc-queue__item', 'data-item-id': item.id }) };
    entries.set(item.id, entry);
  }
  await Promise.all([...entries.values()].map(async (e) => { e.idea = await ideaFor(e.item); fillItem(e); list.append(e.el); }));
  sortDom();

  /* ----- send top ideas from challenges ----- */
  const forwardSlot = h('div');
  if (dg) {
    const challenges = (await api.getAll('/challenges').catch(() => [])).filter((c) => c.forward && Number(c.forward.workshop_id) === id && c.status !== 'draft');
    const msg = h('div', { role: 'status', class: 'cc-status-msg' });
    replaceChildren(forwardSlot, h('section', { class: 'nhsuk-card cc-dg-panel', 'aria-labelledby': 'fwd-heading' }, h('div', { class: 'nhsuk-card__content' },
      h('h2', { class: 'nhsuk-card__heading nhsuk-heading-s', id: 'fwd-heading' }, 'Send top ideas to this workshop'),
      challenges.length ? h('ul', { class: 'nhsuk-list' }, challenges.map((c) => {
        const b = ui.button('Send top ideas', { small: true, secondary: true });
        b.append(h('span', { class: 'nhsuk-u-visually-hidden' }, ` from ${c.title}`));
        b.addEventListener('click', () => ui.busy(b, async () => {
          try {
            const res = await api.post(`/challenges/${c.id}/forward`);
            const n = (res.forwarded || []).length; const a = (res.already || []).length;
            msg.textContent = `${c.title}: ${fmt.plural(n, 'idea')} sent.${a ? ` ${fmt.plural(a, 'was', 'were')} already here.` : ''}`;
            await resync();
          } catch (e) { msg.textContent = ui.friendlyMessage(e); }
        }));
        const f = c.forward;
        return h('li', null, h('p', { class: 'nhsuk-body-s' }, ui.link(`/challenges/${c.id}`, c.title), `: top ${f.top_n ?? '?'} with at least ${fmt.plural(f.min_votes ?? 0, 'vote')}.`), b);
      })) : h('p', { class: 'nhsuk-body-s' }, 'No challenge sends its ideas to this workshop. Choose this workshop in a challenge\'s forwarding rule, or send ideas one by one from their pages.'),
      msg)));
  }

  const stop = live.subscribe([`workshop:${id}`], (ev) => {
    const d = ev.data || {};
    const item = d.item || d;
    if (ev.type === 'workshop.item_added') addItem(item, { announce: true });
    else if (ev.type === 'workshop.item_updated') {
      // A move comes with the whole queue's new order.
      if (Array.isArray(d.order)) {
        for (const o of d.order) { const e = entries.get(o.id); if (e) e.item.position = o.position; }
        sortDom();
      }
      applyItem(item, { refreshIdea: !!(item.outcome_note || item.state === 'actioned') });
    }
  });
  ctx.onCleanup(stop);

  add(ctx.page, flashBanner(),
    h('div', { class: 'nhsuk-grid-row' },
      h('div', { class: 'nhsuk-grid-column-two-thirds' },
        ui.pageHeading(workshop.title, { caption: 'Workshop' }),
        h('p', { class: 'nhsuk-body cc-meta' }, fmt.workshopStatusLabel(workshop.status), workshop.scheduled_at ? ['. ', fmt.timeEl(h, workshop.scheduled_at)] : null, '.'),
        workshop.description ? textBlock(workshop.description) : null,
        h('h2', { class: 'nhsuk-heading-m' }, 'Queue'),
        ui.para('Ideas are discussed in this order. Outcomes are shared with everyone who took part.'),
        empty, list),
      h('div', { class: 'nhsuk-grid-column-one-third' }, forwardSlot)));
}
