// Share an idea in a challenge (/challenges/:id/ideas/new) or edit your own (/ideas/:id/edit).
import { h, add } from '../dom.js';
import * as api from '../api.js';
import * as ui from '../ui.js';
import { setFlash } from '../flash.js';
import { containsNhsNumber } from '../patient-data.js';

export const PATIENT_DATA_HELP = 'CareCrowd is for ideas about how we work, never for details about patients or the people we care for.';

/** Explains a possible_patient_data refusal kindly. Returns the message for the field. */
export function patientDataMessage(fieldLabel, confirmedAlready) {
  return confirmedAlready
    ? `Your ${fieldLabel} seems to include an NHS number. Remove it before you send this. You cannot send an NHS number on CareCrowd, even by mistake.`
    : `Your ${fieldLabel} may include details about a person, such as an NHS number, a date of birth next to a name, or a full postcode. Remove anything that could identify a patient or someone you care for.`;
}

export function confirmBox(name = 'confirm_no_patient_data') {
  const field = ui.choiceField({
    name, legend: 'Check for personal details', multiple: true, small: true,
    hint: 'If you have checked and there is nothing that could identify a patient or someone you care for (for example, the date is not a birthday, or the postcode is your workplace), you can confirm and send it as it is.',
    items: [{ value: 'yes', label: 'I have checked: this does not contain details about a patient or someone I care for' }],
  });
  field.group.classList.add('cc-confirm');
  field.group.hidden = true;
  return field;
}

export async function render(ctx) {
  const editing = ctx.url.pathname.startsWith('/ideas/');
  let idea = null;
  let challenge;
  if (editing) {
    idea = (await api.get(`/ideas/${ctx.params.id}`)).idea;
    challenge = (await api.get(`/challenges/${idea.challenge_id}`)).challenge;
  } else {
    challenge = (await api.get(`/challenges/${ctx.params.id}`)).challenge;
  }
  const title = editing ? 'Edit your idea' : 'Share an idea';
  ctx.setTitle(title);
  ctx.setBefore(ui.breadcrumbs([['/', 'Challenges'], [`/challenges/${challenge.id}`, challenge.title]]));

  if (!editing && challenge.status !== 'open') {
    add(ctx.page, ui.pageHeading('This challenge is not taking ideas'),
      ui.para(challenge.status === 'closed' ? 'This challenge has closed, so you cannot share new ideas in it. You can still read and follow the ideas already shared.' : 'This challenge is not open yet.'),
      ui.para(ui.link(`/challenges/${challenge.id}`, 'Go back to the challenge')));
    return;
  }

  const titleF = ui.textField({ name: 'title', label: 'Give your idea a short title', hint: 'Between 3 and 140 characters. For example: "A monthly drop-in where care staff and nurses plan discharges together".', maxlength: 140, value: idea ? idea.title : '' });
  const bodyF = ui.textField({ name: 'body', label: 'Describe your idea', textarea: true, rows: 8, hint: 'What would you change, who would it help, and what would it need? Up to 5,000 characters.', value: idea ? idea.body : '' });
  bodyF.group.classList.add('nhsuk-character-count');
  bodyF.group.setAttribute('data-module', 'nhsuk-character-count');
  bodyF.group.setAttribute('data-maxlength', '5000');
  bodyF.input.classList.add('nhsuk-js-character-count');
  bodyF.input.setAttribute('aria-describedby', `${bodyF.id}-info ${bodyF.id}-hint`);
  bodyF.describedBy = `${bodyF.id}-info ${bodyF.id}-hint`;
  bodyF.group.append(h('div', { class: 'nhsuk-hint nhsuk-character-count__message', id: `${bodyF.id}-info` }, 'You can enter up to 5000 characters'));
  const tagsF = ui.textField({ name: 'tags', label: 'Tags (optional)', hint: 'Up to 8 words or short phrases that help people find your idea, separated by commas. For example: discharge, rotas, training.', value: idea ? (idea.tags || []).join(', ') : '' });
  const anonF = editing ? null : ui.choiceField({
    name: 'anonymous', legend: 'How your name is shown', multiple: true,
    hint: 'Other staff will not see your name. The design group can still see who shared it, so they can follow up if needed.',
    items: [{ value: 'yes', label: 'Share this idea anonymously' }],
  });
  const confirm = confirmBox();
  const errors = new ui.FormErrors(ctx.page, { title: titleF, body: bodyF, tags: tagsF, anonymous: anonF, confirm_no_patient_data: confirm });
  const submit = ui.button(editing ? 'Save changes' : 'Share idea', { type: 'submit' });

  function parseTags() {
    return tagsF.value.split(',').map((t) => t.trim()).filter(Boolean);
  }

  const form = h('form', { novalidate: true, method: 'post', action: ctx.url.pathname },
    titleF.group, bodyF.group, tagsF.group, anonF ? anonF.group : null, confirm.group, submit,
    h('p', { class: 'nhsuk-body' }, ui.link(editing ? `/ideas/${idea.id}` : `/challenges/${challenge.id}`, 'Cancel')));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems = [];
    const t = titleF.value.trim();
    const tags = parseTags();
    if (t.length < 3) problems.push({ field: 'title', message: t ? 'The title must be at least 3 characters' : 'Enter a title for your idea' });
    else if (t.length > 140) problems.push({ field: 'title', message: 'The title must be 140 characters or fewer' });
    if (!bodyF.value.trim()) problems.push({ field: 'body', message: 'Describe your idea' });
    else if (bodyF.value.length > 5000) problems.push({ field: 'body', message: 'The description must be 5,000 characters or fewer' });
    if (tags.length > 8) problems.push({ field: 'tags', message: 'Use 8 tags or fewer' });
    else if (tags.some((x) => x.length > 30)) problems.push({ field: 'tags', message: 'Each tag must be 30 characters or fewer' });
    if (problems.length) { errors.show(problems); return; }

    const payload = { title: t, body: bodyF.value, tags };
    if (anonF) payload.anonymous = anonF.value.includes('yes');
    const confirmed = !confirm.group.hidden && confirm.value.includes('yes');
    if (confirmed) payload.confirm_no_patient_data = true;

    await ui.busy(submit, async () => {
      try {
        const res = editing
          ? await api.patch(`/ideas/${idea.id}`, payload)
          : await api.post(`/challenges/${challenge.id}/ideas`, payload);
        const saved = res.idea || res;
        errors.clear();
        setFlash(editing ? 'Your changes have been saved' : 'Your idea has been shared',
          editing ? null : 'Everyone in this challenge can now see, vote and comment on it. We will tell you when anything happens to it.');
        ctx.navigate(`/ideas/${saved.id}`);
      } catch (err) {
        if (err instanceof api.ApiError && err.code === 'possible_patient_data') {
          const label = { title: 'title', body: 'description', tags: 'tags' }[err.field] || 'idea';
          const text = err.field === 'title' ? payload.title : err.field === 'tags' ? tags.join(' ') : payload.body;
          const nhsNumber = confirmed || containsNhsNumber(text);
          confirm.group.hidden = nhsNumber;
          if (nhsNumber) confirm.value = [];
          errors.show([{ field: err.field in { title: 1, body: 1, tags: 1 } ? err.field : 'body', message: patientDataMessage(label, nhsNumber) }]);
          return;
        }
        if (err instanceof api.ApiError && err.status === 409 && !editing) {
          errors.show([{ field: null, message: 'This challenge is no longer taking new ideas. Your idea has not been shared. Copy your text if you want to keep it.' }]);
          return;
        }
        errors.showApiError(err);
      }
    });
  });

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading(title, { caption: challenge.title }),
    ui.warningCallout('Do not include personal details about patients', h('p', { class: 'nhsuk-body' }, PATIENT_DATA_HELP,
      ' Leave out names, dates of birth, NHS numbers, addresses and anything else that could identify someone.')),
    form)));
}
