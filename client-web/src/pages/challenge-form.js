// Design group: create or edit a challenge (principles, dates, voting and forwarding rules).
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import { principles as loadPrinciples } from '../common.js';
import { setFlash } from '../flash.js';

function toLocalInput(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(v) { return v ? new Date(v).toISOString() : null; }

export async function render(ctx) {
  const editing = ctx.params.id !== undefined;
  const [principles, workshops, existing] = await Promise.all([
    loadPrinciples(),
    api.getAll('/workshops').catch(() => []),
    editing ? api.get(`/challenges/${ctx.params.id}`).then((r) => r.challenge) : Promise.resolve(null),
  ]);
  const parentIdeaId = editing ? existing.parent_idea_id : Number(ctx.query.get('parent_idea_id')) || null;
  let parentIdea = null;
  if (parentIdeaId) parentIdea = await api.get(`/ideas/${parentIdeaId}`).then((r) => r.idea).catch(() => null);
  const c = existing || {};
  const title = editing ? 'Edit challenge' : parentIdea ? 'Ask a follow-up question' : 'Create a challenge';
  ctx.setTitle(title);
  ctx.setBefore(ui.breadcrumbs(editing ? [['/', 'Challenges'], [`/challenges/${c.id}`, c.title]] : [['/', 'Challenges']]));

  const titleF = ui.textField({ name: 'title', label: 'Title', hint: 'A question people can answer, in plain words. Between 3 and 140 characters.', maxlength: 140, value: c.title || (parentIdea ? `Follow-up: ${parentIdea.title}`.slice(0, 140) : '') });
  const briefF = ui.textField({ name: 'brief', label: 'Brief', textarea: true, rows: 6, hint: 'Explain the background and what kind of ideas you are looking for. Up to 5,000 characters.', value: c.brief || '' });
  const principlesF = ui.choiceField({ name: 'principle_ids', legend: 'Which principles is it about?', hint: 'Select at least one.', multiple: true,
    items: principles.map((p) => ({ value: p.id, label: `${p.code}: ${p.title}` })), value: (c.principle_ids || []).map(String) });
  const statusF = editing ? null : ui.choiceField({ name: 'status', legend: 'When should staff see it?', value: 'draft',
    items: [{ value: 'draft', label: 'Save as a draft', hint: 'Only the design group can see it until you open it.' }, { value: 'open', label: 'Open it now', hint: 'Staff can see it and share ideas straight away.' }] });
  const opensF = ui.textField({ name: 'opens_at', label: 'Opens (optional)', type: 'datetime-local', value: toLocalInput(c.opens_at) });
  const closesF = ui.textField({ name: 'closes_at', label: 'Closes (optional)', type: 'datetime-local', hint: 'The challenge closes by itself at this time, and its top ideas are sent to the workshop.', value: toLocalInput(c.closes_at) });
  const voting = c.voting || {};
  const modelF = ui.choiceField({ name: 'voting_model', legend: 'How can people vote?', value: voting.model || 'up',
    items: [{ value: 'up', label: 'Votes for ideas only' }, { value: 'updown', label: 'Votes for or against ideas' }] });
  const budgetF = ui.textField({ name: 'votes_per_user', label: 'Votes each person can use (optional)', hint: 'Leave empty for no limit.', inputmode: 'numeric', width: 3, value: voting.votes_per_user ?? '' });
  const fwd = c.forward || {};
  const topF = ui.textField({ name: 'top_n', label: 'How many top ideas to send', inputmode: 'numeric', width: 3, value: fwd.top_n ?? 5 });
  const minF = ui.textField({ name: 'min_votes', label: 'Least number of votes an idea needs', inputmode: 'numeric', width: 3, value: fwd.min_votes ?? 1 });
  const wsF = ui.selectField({ name: 'workshop_id', label: 'Send them to this workshop', options: [['', 'No workshop yet'], ...workshops.map((w) => [w.id, w.title])], value: fwd.workshop_id ?? '' });

  const errors = new ui.FormErrors(ctx.page, {
    title: titleF, brief: briefF, principle_ids: principlesF, status: statusF, opens_at: opensF, closes_at: closesF,
    voting: modelF, 'voting.model': modelF, 'voting.votes_per_user': budgetF, votes_per_user: budgetF,
    forward: topF, 'forward.top_n': topF, 'forward.min_votes': minF, 'forward.workshop_id': wsF, top_n: topF, min_votes: minF, workshop_id: wsF,
  });
  const submit = ui.button(editing ? 'Save changes' : 'Create challenge', { type: 'submit' });

  const form = h('form', { novalidate: true },
    titleF.group, briefF.group, principlesF.group, statusF ? statusF.group : null,
    h('h2', { class: 'nhsuk-heading-m' }, 'Dates'), opensF.group, closesF.group,
    h('h2', { class: 'nhsuk-heading-m' }, 'Voting'), modelF.group, budgetF.group,
    h('h2', { class: 'nhsuk-heading-m' }, 'Sending ideas to a workshop'),
    ui.para('When the challenge closes, or when you ask, its top ideas are sent to a workshop queue.'),
    topF.group, minF.group, wsF.group, submit,
    h('p', { class: 'nhsuk-body' }, ui.link(editing ? `/challenges/${c.id}` : '/', 'Cancel')));

  const int = (v) => (String(v).trim() === '' ? null : Number(String(v).trim()));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems = [];
    const t = titleF.value.trim();
    if (t.length < 3 || t.length > 140) problems.push({ field: 'title', message: 'Enter a title between 3 and 140 characters' });
    if (briefF.value.length > 5000) problems.push({ field: 'brief', message: 'The brief must be 5,000 characters or fewer' });
    const pids = principlesF.value.map(Number);
    if (!pids.length) problems.push({ field: 'principle_ids', message: 'Select at least one principle' });
    const budget = int(budgetF.value);
    if (budget !== null && (!Number.isInteger(budget) || budget < 1)) problems.push({ field: 'votes_per_user', message: 'Enter a whole number of votes, like 5, or leave it empty' });
    const top = int(topF.value); const min = int(minF.value);
    if (top === null || !Number.isInteger(top) || top < 1) problems.push({ field: 'top_n', message: 'Enter how many top ideas to send, like 5' });
    if (min === null || !Number.isInteger(min) || min < 0) problems.push({ field: 'min_votes', message: 'Enter the least number of votes, like 1' });
    if (opensF.value && closesF.value && new Date(opensF.value) >= new Date(closesF.value)) problems.push({ field: 'closes_at', message: 'The closing time must be after the opening time' });
    if (problems.length) { errors.show(problems); return; }

    const body = {
      title: t, brief: briefF.value, principle_ids: pids,
      opens_at: fromLocalInput(opensF.value), closes_at: fromLocalInput(closesF.value),
      voting: { model: modelF.value || 'up', votes_per_user: budget },
      forward: { top_n: top, min_votes: min, workshop_id: wsF.value ? Number(wsF.value) : null },
    };
    if (!editing) { body.status = statusF.value || 'draft'; if (parentIdeaId) body.parent_idea_id = parentIdeaId; }
    await ui.busy(submit, async () => {
      try {
        const res = editing ? await api.patch(`/challenges/${c.id}`, body) : await api.post('/challenges', body);
        const saved = res.challenge || res;
        errors.clear();
        setFlash(editing ? 'Challenge saved' : 'Challenge created', saved.status === 'draft' ? 'It is a draft: only the design group can see it until you open it.' : null);
        ctx.navigate(`/challenges/${saved.id}`);
      } catch (e) { errors.showApiError(e); }
    });
  });

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading(title),
    parentIdea ? ui.insetText(h('p', null, 'This challenge follows up the idea ', ui.link(`/ideas/${parentIdea.id}`, parentIdea.title), '. It will be linked from the new challenge so people can see where the question came from.')) : null,
    form)));
}
