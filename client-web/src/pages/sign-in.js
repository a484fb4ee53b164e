import { h, add } from '../dom.js';
import * as ui from '../ui.js';
import * as session from '../session.js';
import { ApiError } from '../api.js';

export async function render(ctx) {
  ctx.setTitle('Sign in');
  const q = ctx.query;
  const email = ui.textField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', spellcheck: 'false' });
  const password = ui.textField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' });
  const errors = new ui.FormErrors(ctx.page, { email, password });
  const submit = ui.button('Sign in', { type: 'submit' });

  const form = h('form', { novalidate: true, method: 'post', action: '/sign-in' }, email.group, password.group, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problems = [];
    if (!email.value.trim()) problems.push({ field: 'email', message: 'Enter your email address' });
    if (!password.value) problems.push({ field: 'password', message: 'Enter your password' });
    if (problems.length) { errors.show(problems); return; }
    await ui.busy(submit, async () => {
      try {
        await session.signIn(email.value.trim(), password.value);
        errors.clear();
        const next = q.get('next');
        ctx.navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          errors.show([{ field: 'email', message: 'The email address or password is not right. Check them and try again.' }]);
        } else {
          errors.showApiError(err);
        }
      }
    });
  });

  add(ctx.page, 
    q.get('expired') ? ui.notificationBanner('Important', h('p', { class: 'nhsuk-notification-banner__heading' }, 'Your session has ended. Sign in again to carry on where you left off.')) : null,
    q.get('signed_out') ? ui.notificationBanner('Success', h('p', { class: 'nhsuk-notification-banner__heading' }, 'You have signed out.'), { success: true, role: 'region' }) : null,
    h('div', { class: 'nhsuk-grid-row' }, h('div', { class: 'nhsuk-grid-column-two-thirds' },
      ui.pageHeading('Sign in to CareCrowd'),
      ui.para('CareCrowd is where health and care staff share ideas, vote and comment on them, and see what happens to them.'),
      form,
      h('h2', { class: 'nhsuk-heading-m' }, 'New to CareCrowd?'),
      ui.para(ui.link('/register', 'Create an account')),
    )),
  );
}
