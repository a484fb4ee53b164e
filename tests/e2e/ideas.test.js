// Sharing an idea: validation in the NHS.UK error summary, the patient-data guard explained
// kindly (with the offer to confirm only where confirming is allowed), anonymity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, signIn, apiAs, openChallenge, PEOPLE } from './lib/harness.js';

let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse, PEOPLE.carer, PEOPLE.designer] }); });
after(async () => { if (server) await server.stop(); });

test('the patient-data guard is explained kindly, and confirming is offered only when allowed', { timeout: 60000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const { challenge } = await openChallenge(dg, { title: 'Safer handovers between teams' });
  const b = await openBrowser();
  try {
    const page = b.page;
    await signIn(page, server.url, PEOPLE.nurse.email);
    await page.goto(`${server.url}/challenges/${challenge.id}/ideas/new`);
    await page.getByRole('heading', { level: 1, name: 'Share an idea' }).waitFor();

    // Nothing filled in: the summary links to each field.
    await page.getByRole('button', { name: 'Share idea' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.getByRole('link', { name: 'Enter a title for your idea' }).waitFor();
    await summary.getByRole('link', { name: 'Describe your idea' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('nhsuk-error-summary')), true, 'focus moves to the summary');

    // An NHS number: refused, explained, and no offer to confirm.
    await page.getByLabel('Give your idea a short title').fill('Handover sheet that follows the person');
    await page.getByLabel('Describe your idea').fill('For example for the man with NHS number 943 476 5919 the sheet went missing twice.');
    await page.getByRole('button', { name: 'Share idea' }).click();
    await summary.getByRole('link', { name: /NHS number/ }).waitFor();
    assert.equal(await page.locator('.cc-confirm').isVisible(), false, 'no confirmation for an NHS number');
    await summary.getByRole('link', { name: /NHS number/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');

    // A postcode: refused, explained, and the person may confirm it is not about a patient.
    await page.getByLabel('Describe your idea').fill('A shared handover sheet kept at our hub, LS1 4AP, that moves with the person between teams.');
    await page.getByRole('button', { name: 'Share idea' }).click();
    await summary.getByRole('link', { name: /could identify a patient/ }).waitFor();
    await page.locator('.cc-confirm').waitFor({ state: 'visible' });
    await page.getByLabel(/I have checked: this does not contain details/).check();
    await page.getByRole('button', { name: 'Share idea' }).click();
    await page.waitForURL(/\/ideas\/\d+$/);
    await page.getByText('Your idea has been shared').waitFor();
    await page.getByRole('heading', { level: 1, name: /Handover sheet that follows the person/ }).waitFor();
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('an anonymous idea hides its author from other staff, and its author can still edit it', { timeout: 60000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const { challenge } = await openChallenge(dg, { title: 'Speaking up safely' });
  const a = await openBrowser();
  const b = await openBrowser();
  try {
    await signIn(a.page, server.url, PEOPLE.nurse.email);
    await a.page.goto(`${server.url}/challenges/${challenge.id}/ideas/new`);
    await a.page.getByLabel('Give your idea a short title').fill('A confidential line to the design group');
    await a.page.getByLabel('Describe your idea').fill('Staff can raise worries without giving their name.');
    await a.page.getByLabel('Share this idea anonymously').check();
    await a.page.getByRole('button', { name: 'Share idea' }).click();
    await a.page.waitForURL(/\/ideas\/\d+$/);
    const ideaPath = new URL(a.page.url()).pathname;
    await a.page.getByRole('link', { name: 'Edit your idea' }).click();
    await a.page.getByLabel('Give your idea a short title').fill('A confidential line to the design group, open all week');
    await a.page.getByRole('button', { name: 'Save changes' }).click();
    await a.page.getByRole('heading', { level: 1, name: /open all week/ }).waitFor();

    await signIn(b.page, server.url, PEOPLE.carer.email);
    await b.page.goto(`${server.url}${ideaPath}`);
    await b.page.getByRole('heading', { level: 1, name: /open all week/ }).waitFor();
    assert.equal(await b.page.getByText('Nia Nurse').count(), 0, 'the author is not shown to other staff');
    await b.page.getByText('Shared by Anonymous').waitFor();
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally { await a.close(); await b.close(); }
});
