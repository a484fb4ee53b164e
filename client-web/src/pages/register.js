import { h, add } from '../dom.js';
import * as ui from '../ui.js';
import * as session from '../session.js';
import { PROFESSIONS } from '../format.js';

export async function render(ctx) {
  ctx.setTitle('Create an account');
  const name = ui.textField({ name: 'display_name', label: 'Your name', hint: 'Other people will see this next to your ideas and comments, unless you share an idea anonymously.', autocomplete: 'name', maxlength: 100 });
  const email = ui.textField({ name: 'email', label: 'Work email address', type: 'email', autocomplete: 'email', spellcheck: 'false' });
  const profession = ui.selectField({
    name: 'profession', label: 'Your profession', hint: 'Choose the one closest to your work.',
    options: [['', 'Choose a profession'], ...PROFESSIONS],
  });
  const organisation = ui.textField({ name: 'organisation', label: 'Where you work', hint: 'For example, the name of your care home, practice, council or trust.', autocomplete: 'organization', maxlength: 200 });
  const password = ui.textField({ name: 'password', label: 'Create a password', type: 'password', autocomplete: 'new-password', hint: 'Use at least 12 characters. A few unrelated words together make a good password. Very common passwords are not accepted.' });
  const errors = new ui.FormErrors(ctx.page, { display_name: name, email, profession, organisation, password });
  const submit = ui.button('Create account', { type: 'submit' });

  const form = h('form', { novalidate: true, method: 'post', action: '/register' },
    name.group, email.group, profession.group, organisation.group, password.group, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems = [];
    if (!name.value.trim()) problems.push({ field: 'display_name', message: 'Enter your name' });
    if (!email.value.trim()) problems.push({ field: 'email', message: 'Enter your work email address' });
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim())) problems.push({ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' });
    if (!profession.value) problems.push({ field: 'profession', message: 'Choose your profession' });
    if (!organisation.value.trim()) problems.push({ field: 'organisation', message: 'Enter where you work' });
    if (password.value.length < 12) problems.push({ field: 'password', message: 'Your password must be at least 12 characters long' });
    else if (password.value.length > 128) problems.push({ field: 'password', message: 'Your password must be 128 characters or fewer' });
    if (problems.length) { errors.show(problems); return; }
    await ui.busy(submit, async () => {
      try {
        await session.register({
          display_name: name.value.trim(), email: email.value.trim(), profession: profession.value,
          organisation: organisation.value.trim(), password: password.value,
        });
        errors.clear();
        ctx.navigate('/', { replace: true });
      } catch (err) {
        errors.showApiError(err, {
          messages: {
            conflict: 'An account already uses this email address. Sign in instead, or use a different email address.',
          },
        });
      }
    });
  });

  add(ctx.page, h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
    ui.pageHeading('Create an account'),
    ui.para('You need an account to share ideas, vote and comment. It takes a minute.'),
    form,
    ui.para('Already have an account? ', ui.link('/sign-in', 'Sign in')),
  )));
}
