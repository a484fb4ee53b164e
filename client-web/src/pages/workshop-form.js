// Design group: create a workshop.
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import { setFlash } from '../flash.js';

export async function render(ctx) {
  ctx.setTitle('Create a workshop');
  ctx.setBefore(ui.breadcrumbs([['/workshops', 'Workshops']]));
  const title = ui.textField({ name: 'title', label: 'Title', maxlength: 140 });
  const description = ui.textField({ name: 'description', label: 'Description', textarea: true, rows: 4, hint: 'What the workshop is for and who will be there.' });
  const when = ui.textField({ name: 'scheduled_at', label: 'Date and time', type: 'datetime-local', hint: 'When the workshop takes place.' });
  const errors = new ui.FormErrors(ctx.page, { title, description, scheduled_at: when });
  const submit = ui.button('Create workshop', { type: 'submit' });
  const form = h('form', { novalidate: true }, title.group, description.group, when.group, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems = [];
    if (title.value.trim().length < 3) problems.push({ field: 'title', message: 'Enter a title of at least 3 characters' });
    if (!when.value) problems.push({ field: 'scheduled_at', message: 'Enter the date and time of the workshop' });
    if (problems.length) { errors.show(problems); return; }
    await ui.busy(submit, async () => {
      try {
        const res = await api.post('/workshops', { title: title.value.trim(), description: description.value.trim(), scheduled_at: new Date(when.value).toISOString() });
        const w = res.workshop || res;
        setFlash('Workshop created', null);
        ctx.navigate(`/workshops/${w.id}`);
      } catch (e) { errors.showApiError(e); }
    });
  });
  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' }, ui.pageHeading('Create a workshop'), form)));
}
