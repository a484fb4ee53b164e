// Design group: reports from staff about ideas and comments, and resolving them.
import { h, replaceChildren, focusElement, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import * as fmt from '../format.js';

export async function render(ctx) {
  ctx.setTitle('Reports to review');
  const flags = await api.getAll('/flags', { state: 'open' });
  // Show what was reported: the idea's title (comments are shown by number).
  const ideaIds = [...new Set(flags.filter((f) => (f.target || f.target_type) === 'idea').map((f) => f.target_id))];
  const titles = new Map(await Promise.all(ideaIds.map((iid) => api.get(`/ideas/${iid}`).then((r) => [iid, r.idea.title]).catch(() => [iid, null]))));
  const list = h('ul', { class: 'nhsuk-list cc-results', id: 'flag-list' });
  const summary = h('p', { class: 'nhsuk-body', role: 'status' });
  let open = flags.length;
  const setSummary = () => { summary.textContent = open ? `${fmt.plural(open, 'report')} to review.` : 'There are no reports to review.'; };

  function targetLink(f) {
    const t = f.target || f.target_type;
    const tid = f.target_id ?? f.id_target ?? (f.idea && f.idea.id) ?? (f.comment && f.comment.id);
    const ideaId = t === 'idea' ? tid : (f.idea_id ?? (f.comment && f.comment.idea_id));
    const label = t === 'comment' ? `Comment ${tid ?? ''}` : `Idea ${tid ?? ''}`;
    const text = (t === 'idea' && titles.get(tid)) || (f.idea && f.idea.title) || (f.comment && f.comment.body) || f.excerpt || '';
    return [ideaId ? ui.link(t === 'comment' ? `/ideas/${ideaId}#comment-${tid}` : `/ideas/${ideaId}`, label.trim()) : label.trim(),
      text ? h('p', { class: 'nhsuk-body-s cc-quote' }, text.length > 300 ? `${text.slice(0, 299)}…` : text) : null];
  }

  for (const f of flags) {
    const actionF = ui.choiceField({ name: `action-${f.id}`, legend: 'What to do', small: true, value: 'none',
      items: [{ value: 'none', label: 'Leave it as it is' }, { value: 'hide', label: 'Hide it from everyone' }] });
    const noteF = ui.textField({ name: `note-${f.id}`, label: 'Note (shown if hidden)', textarea: true, rows: 2 });
    const save = ui.button('Resolve report', { type: 'submit', small: true });
    const form = h('form', { novalidate: true }, actionF.group, noteF.group, save);
    const errs = new ui.FormErrors(form, { action: actionF, note: noteF });
    const li = h('li', { class: 'cc-result', 'data-flag-id': f.id },
      h('h2', { class: 'nhsuk-heading-s' }, targetLink(f)[0]), targetLink(f)[1],
      h('p', { class: 'nhsuk-body-s' }, h('strong', null, 'Reason given: '), f.reason || ''),
      h('p', { class: 'nhsuk-body-s cc-meta' }, f.created_by && f.created_by.display_name ? `Reported by ${f.created_by.display_name}, ` : 'Reported ', fmt.timeEl(h, f.created_at, { relative: true })),
      form);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (actionF.value === 'hide' && !noteF.value.trim()) { errs.show([{ field: 'note', message: 'Write a short note saying why it is hidden' }]); return; }
      await ui.busy(save, async () => {
        try {
          await api.patch(`/flags/${f.id}`, { state: 'resolved', action: actionF.value || 'none', note: noteF.value.trim() });
          replaceChildren(li, h('p', { class: 'nhsuk-body' }, actionF.value === 'hide' ? 'Resolved: it is now hidden.' : 'Resolved: no action taken.'));
          open -= 1; setSummary();
          focusElement(li.firstChild);
        } catch (e) { errs.showApiError(e); }
      });
    });
    list.append(li);
  }
  setSummary();
  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Reports to review'),
    ui.para('Staff can report ideas and comments that should not be here, for example because they include personal details.'),
    summary, list)));
}
