// Design group tools on an idea: status with a public note, merge and unmerge, reports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, signIn, apiAs, openChallenge, waitLive, PEOPLE } from './lib/harness.js';

let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse, PEOPLE.carer, PEOPLE.designer] }); });
after(async () => { if (server) await server.stop(); });

test('design group changes a status with a note, merges a duplicate and undoes it', { timeout: 90000 }, async () => {
  const dgApi = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const carer = await apiAs(server.url, PEOPLE.carer.email);
  const { challenge } = await openChallenge(dgApi, { title: 'Making rotas fairer' });
  const keep = (await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'Self-rostering for ward teams', body: 'Teams set their own rota within agreed rules.' })).idea;
  const dup = (await carer.post(`/challenges/${challenge.id}/ideas`, { title: 'Let teams write their own rotas', body: 'Same idea in other words.' })).idea;
  await nurse.put(`/ideas/${dup.id}/vote`, { value: 1 });

  const b = await openBrowser({ width: 1280 });
  try {
    const page = b.page;
    await signIn(page, server.url, PEOPLE.designer.email);
    await page.goto(`${server.url}/ideas/${dup.id}`);
    await page.getByRole('heading', { level: 1, name: /Let teams write their own rotas/ }).waitFor();

    // A status change needs a note; the note is shown to everyone and joins the journey.
    await page.getByLabel('Being looked at').check();
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.getByRole('link', { name: 'Write a note explaining the change' }).waitFor();
    await page.getByLabel('Note for everyone').fill('The workforce team is checking this against the new rota policy.');
    await page.getByRole('button', { name: 'Change status' }).click();
    await page.locator('.cc-status-line').getByText('Being looked at').waitFor();
    await page.locator('#journey').getByText('The workforce team is checking this').waitFor();
    await page.getByRole('heading', { name: 'Latest update from the design group' }).waitFor();

    // Merge the duplicate into the other idea; its vote moves there.
    await page.getByLabel('Join this idea into').selectOption(String(keep.id));
    await page.getByRole('button', { name: 'Merge into the chosen idea' }).click();
    await page.waitForURL(new RegExp(`/ideas/${keep.id}$`));
    await page.getByRole('heading', { level: 1, name: /Self-rostering for ward teams/ }).waitFor();
    await page.locator('[data-role=vote-count]').getByText('1 vote').waitFor();

    // The merged idea says where it went; undoing the merge restores it.
    await page.goto(`${server.url}/ideas/${dup.id}`);
    await page.getByText('This idea was joined with a similar one').waitFor();
    await page.getByRole('link', { name: 'Read the idea it joined' }).waitFor();
    await page.getByRole('button', { name: 'Undo the merge' }).click();
    await page.getByText('The merge has been undone').waitFor();
    const back = (await dgApi.get(`/ideas/${dup.id}`)).idea;
    assert.notEqual(back.status, 'merged');
    assert.equal(back.votes.up, 1);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('staff report an idea and the design group resolves the report', { timeout: 60000 }, async () => {
  const dgApi = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const { challenge } = await openChallenge(dgApi, { title: 'Learning from incidents' });
  const idea = (await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'Monthly learning huddles', body: 'Short sessions to share what went wrong and what we changed.' })).idea;
  const staff = await openBrowser();
  const dg = await openBrowser({ width: 1280 });
  try {
    await signIn(staff.page, server.url, PEOPLE.carer.email);
    await staff.page.goto(`${server.url}/ideas/${idea.id}`);
    await staff.page.getByText('Report this idea').click();
    await staff.page.getByLabel('Why are you reporting this idea?').fill('I think this repeats another idea.');
    await staff.page.getByRole('button', { name: 'Send report' }).click();
    await staff.page.getByText('Thank you. The design group will look at your report.').waitFor();

    await signIn(dg.page, server.url, PEOPLE.designer.email);
    await dg.page.goto(`${server.url}/flags`);
    const report = dg.page.locator('#flag-list > li').filter({ hasText: 'I think this repeats another idea.' });
    await report.waitFor();
    await report.getByRole('link', { name: `Idea ${idea.id}` }).waitFor();
    await report.getByText('Monthly learning huddles').waitFor();
    await report.getByLabel('Leave it as it is').check();
    await report.getByRole('button', { name: 'Resolve report' }).click();
    await dg.page.getByText('Resolved: no action taken.').waitFor();
    assert.deepEqual(staff.problems, []);
    assert.deepEqual(dg.problems, []);
  } finally { await staff.close(); await dg.close(); }
});

test('design group edits a challenge and closes it; a staff member sees it close live', { timeout: 60000 }, async () => {
  const dgApi = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const { challenge } = await openChallenge(dgApi, { title: 'Time for improvement work' });
  await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'Protected Friday afternoons', body: 'Two hours a week for improvement projects.' });
  const staff = await openBrowser();
  const dg = await openBrowser({ width: 1280 });
  try {
    await signIn(staff.page, server.url, PEOPLE.carer.email);
    await staff.page.goto(`${server.url}/challenges/${challenge.id}`);
    await staff.page.locator('#idea-list li').first().getByRole('button', { name: /^Vote/ }).waitFor();
    await waitLive(staff.page);

    await signIn(dg.page, server.url, PEOPLE.designer.email);
    await dg.page.goto(`${server.url}/challenges/${challenge.id}/edit`);
    await dg.page.getByLabel('Title').fill('Protected time for improvement work');
    await dg.page.getByLabel('Votes for or against ideas').check();
    await dg.page.getByLabel('Votes each person can use (optional)').fill('3');
    await dg.page.getByRole('button', { name: 'Save changes' }).click();
    await dg.page.getByRole('heading', { level: 1, name: /Protected time for improvement work/ }).waitFor();
    await dg.page.getByText('You have 3 votes to use across this challenge.').waitFor();

    // The staff member's page follows: new title, then closed, and voting stops.
    await staff.page.getByRole('heading', { level: 1, name: /Protected time for improvement work/ }).waitFor({ timeout: 5000 });
    await dg.page.getByRole('button', { name: 'Close this challenge' }).click();
    await dg.page.getByText('The challenge is now: Closed.').waitFor();
    await staff.page.getByText('This challenge has closed.').first().waitFor({ timeout: 5000 });
    await staff.page.locator('#idea-list li').first().getByRole('button', { name: /^(Vote|For)/ }).waitFor({ state: 'hidden' });
    assert.equal(await staff.page.getByRole('link', { name: 'Share an idea' }).count(), 0);
    assert.deepEqual(staff.problems, []);
    assert.deepEqual(dg.problems, []);
  } finally { await staff.close(); await dg.close(); }
});
