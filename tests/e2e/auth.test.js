// Signing in, registering, restoring the session after a reload, signing out, deep links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, signIn, PEOPLE, PASSWORD } from './lib/harness.js';

let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse] }); });
after(async () => { if (server) await server.stop(); });

test('the server serves the client, with client-side routes at real URLs', { timeout: 30000 }, async () => {
  const res = await fetch(`${server.url}/register`);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<main[^>]*id="maincontent"/);
  assert.match(res.headers.get('content-security-policy') || '', /script-src 'self'/);
  // Every script and stylesheet the page names is served.
  for (const m of html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css|svg|ico|png))"/g)) {
    const r = await fetch(server.url + m[1]);
    assert.equal(r.status, 200, `${m[1]} should be served`);
  }
});

test('a signed-out deep link goes to sign in and comes back after signing in', { timeout: 60000 }, async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(`${server.url}/accessibility`);
    await b.page.getByRole('heading', { level: 1, name: /Accessibility statement/ }).waitFor();
    await b.page.goto(`${server.url}/search?q=rota`);
    await b.page.waitForURL(/\/sign-in\?next=/);
    assert.equal(new URL(b.page.url()).searchParams.get('next'), '/search?q=rota');

    // Empty form: the NHS.UK error summary links to the fields.
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    const summary = b.page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.equal(await summary.getByRole('link', { name: 'Enter your email address' }).getAttribute('href'), `#${await b.page.getByLabel('Email address').getAttribute('id')}`);
    assert.match(await b.page.title(), /^Error: /);
    await summary.getByRole('link', { name: 'Enter your email address' }).click();
    assert.equal(await b.page.evaluate(() => document.activeElement.getAttribute('type')), 'email');

    // Wrong password: one message, on the form.
    await b.page.getByLabel('Email address').fill(PEOPLE.nurse.email);
    await b.page.getByLabel('Password').fill('not the right password at all');
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByText('The email address or password is not right').first().waitFor();

    assert.deepEqual(b.problems, [], 'no console errors or CSP violations while signed out');
    await b.page.getByLabel('Password').fill(PASSWORD);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.waitForURL((u) => u.pathname === '/search');
    await b.page.getByRole('heading', { level: 1, name: 'Search ideas' }).waitFor();
  } finally { await b.close(); }
});

test('register, stay signed in after a reload, sign out', { timeout: 60000 }, async () => {
  const b = await openBrowser();
  try {
    const page = b.page;
    await page.goto(`${server.url}/register`);
    await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.nhsuk-error-summary').waitFor();
    assert.ok(await page.locator('.nhsuk-form-group--error').count() >= 4, 'each missing field is marked');

    await page.getByLabel('Your name').fill('Robin Registered');
    await page.getByLabel('Work email address').fill('robin.registered@example.org');
    await page.getByLabel('Your profession').selectOption('social_care');
    await page.getByLabel('Where you work').fill('Meadow View Care Home');
    await page.getByLabel('Create a password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('link', { name: /at least 12 characters/ }).waitFor();

    // A very common password is refused by the server, and shown on the field.
    await page.getByLabel('Create a password').fill('password1234');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('#maincontent .nhsuk-error-summary').waitFor();
    await page.waitForFunction(() => document.querySelector('.nhsuk-form-group--error input[type=password]'));

    await page.getByLabel('Create a password').fill('meadow kettle orbit lantern');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('navigation', { name: 'Account' }).getByText('Robin Registered').waitFor();

    await page.reload();
    await page.getByRole('navigation', { name: 'Account' }).getByText('Robin Registered').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`${server.url}/my-ideas`);
    await page.waitForURL(/\/sign-in\?next=%2Fmy-ideas/);

    await signIn(page, server.url, 'robin.registered@example.org', 'meadow kettle orbit lantern');
  } finally { await b.close(); }
});

test('keyboard only: the skip link leads to the main content', { timeout: 30000 }, async () => {
  const b = await openBrowser();
  try {
    await b.page.goto(`${server.url}/sign-in`);
    await b.page.getByRole('heading', { level: 1, name: 'Sign in to CareCrowd' }).waitFor();
    await b.page.keyboard.press('Tab');
    assert.equal(await b.page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content');
    await b.page.keyboard.press('Enter');
    assert.equal(await b.page.evaluate(() => document.activeElement.id), 'maincontent');
    // The next Tab reaches the form, inside main.
    await b.page.keyboard.press('Tab');
    assert.equal(await b.page.evaluate(() => !!document.activeElement.closest('main')), true);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('when the session ends, the next action leads to sign in with an explanation', { timeout: 30000 }, async () => {
  const b = await openBrowser();
  try {
    await signIn(b.page, server.url, PEOPLE.nurse.email);
    await b.page.goto(`${server.url}/accessibility`);
    await b.page.getByRole('heading', { level: 1, name: /Accessibility statement/ }).waitFor();
    await b.context.clearCookies();
    await b.page.getByRole('link', { name: 'Notifications' }).first().click();
    await b.page.waitForURL(/\/sign-in\?/);
    await b.page.getByText('Your session has ended').waitFor();
    assert.equal(new URL(b.page.url()).searchParams.get('expired'), '1');
  } finally { await b.close(); }
});
