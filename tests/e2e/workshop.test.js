// The loop that is the point of the product: the design group creates a challenge, sends the
// top ideas to a workshop, records an outcome, and the author sees the outcome and is notified.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, signIn, apiAs, waitLive, PEOPLE } from './lib/harness.js';

let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse, PEOPLE.carer, PEOPLE.designer] }); });
after(async () => { if (server) await server.stop(); });

test('design group creates a challenge, forwards ideas, records an outcome; the author sees it and is notified', { timeout: 120000 }, async () => {
  const dgB = await openBrowser({ width: 1280 });
  const author = await openBrowser();
  const viewer = await openBrowser();
  try {
    const dg = dgB.page;
    await signIn(dg, server.url, PEOPLE.designer.email);

    // 1. A workshop, through the form.
    await dg.goto(`${server.url}/workshops/new`);
    await dg.getByLabel('Title').fill('Workshop 1: decisions and voice');
    await dg.getByLabel('Description').fill('The first full-day design group workshop.');
    await dg.getByLabel('Date and time').fill('2030-03-14T09:30');
    await dg.getByRole('button', { name: 'Create workshop' }).click();
    await dg.waitForURL(/\/workshops\/\d+$/);
    const workshopId = Number(new URL(dg.url()).pathname.split('/').pop());
    await dg.getByText('Workshop created').waitFor();

    // 2. A challenge, through the form: principles, voting and forwarding rules, opened now.
    await dg.goto(`${server.url}/challenges/new`);
    await dg.getByLabel('Title').fill('How should care staff be heard in system decisions?');
    await dg.getByLabel('Brief').fill('We want ideas for bringing care staff into the rooms where decisions are made.');
    await dg.getByRole('group', { name: /Which principles/ }).getByRole('checkbox').first().check();
    await dg.getByLabel('Open it now').check();
    await dg.getByLabel('Votes for ideas only').check();
    await dg.getByLabel('How many top ideas to send').fill('2');
    await dg.getByLabel('Least number of votes an idea needs').fill('1');
    await dg.getByLabel('Send them to this workshop').selectOption(String(workshopId));
    await dg.getByRole('button', { name: 'Create challenge' }).click();
    await dg.waitForURL(/\/challenges\/\d+$/);
    const challengeId = Number(new URL(dg.url()).pathname.split('/').pop());
    await dg.getByText('Challenge created').waitFor();

    // 3. Staff share ideas and vote (set up through the API).
    const nurse = await apiAs(server.url, PEOPLE.nurse.email);
    const carer = await apiAs(server.url, PEOPLE.carer.email);
    const mine = (await nurse.post(`/challenges/${challengeId}/ideas`, { title: 'A care-sector seat on every planning board', body: 'Each board keeps one seat for someone working in social care.' })).idea;
    const theirs = (await carer.post(`/challenges/${challengeId}/ideas`, { title: 'Plain-language summaries of board papers', body: 'Every paper starts with a half-page summary without jargon.' })).idea;
    await nurse.post(`/challenges/${challengeId}/ideas`, { title: 'An idea nobody voted for', body: 'It should not be forwarded.' });
    await carer.put(`/ideas/${mine.id}/vote`, { value: 1 });
    await nurse.put(`/ideas/${theirs.id}/vote`, { value: 1 });
    await carer.put(`/ideas/${theirs.id}/vote`, { value: 1 });

    // The author is watching their idea.
    await signIn(author.page, server.url, PEOPLE.nurse.email);
    await author.page.goto(`${server.url}/ideas/${mine.id}`);
    await author.page.getByRole('heading', { level: 1, name: /care-sector seat/ }).waitFor();
    await waitLive(author.page);

    // 4. The design group forwards the top ideas.
    await dg.reload();
    await dg.getByRole('button', { name: 'Send the top ideas to the workshop' }).click();
    await dg.getByText('2 ideas sent to the workshop.').waitFor();

    // 5. The workshop queue: both ideas; reorder with the keyboard; record an outcome.
    //    A staff member watching the same queue sees each change live.
    await signIn(viewer.page, server.url, PEOPLE.carer.email);
    await viewer.page.goto(`${server.url}/workshops/${workshopId}`);
    await viewer.page.locator('#queue > li').nth(1).waitFor();
    await waitLive(viewer.page);
    await dg.goto(`${server.url}/workshops/${workshopId}`);
    const queue = dg.locator('#queue > li');
    await queue.filter({ hasText: 'care-sector seat' }).waitFor();
    assert.equal(await queue.count(), 2);
    const firstBefore = await queue.first().locator('h3 a').textContent();
    assert.equal(await viewer.page.locator('#queue > li:first-child h3 a').textContent(), firstBefore);
    assert.equal(await viewer.page.getByRole('button', { name: /^Move/ }).count(), 0, 'staff cannot reorder');
    const down = queue.first().getByRole('button', { name: /^Move down/ });
    await down.focus();
    await dg.keyboard.press('Enter');
    await dg.waitForFunction((t) => document.querySelector('#queue > li:first-child h3 a').textContent !== t, firstBefore, { timeout: 5000 });
    assert.match(await dg.evaluate(() => document.activeElement.textContent), /Move (up|down)/, 'focus stays on the moved item\'s buttons');
    await viewer.page.waitForFunction((t) => document.querySelector('#queue > li:first-child h3 a').textContent !== t, firstBefore, { timeout: 5000 });

    const item = queue.filter({ hasText: 'care-sector seat' });
    await item.getByText('Record the outcome').click();
    await item.getByLabel('Take it forward', { exact: true }).check();
    await item.getByLabel('Outcome note for everyone').fill('Agreed: from April each place-based board keeps a seat for a social care worker.');
    await item.getByRole('button', { name: 'Record outcome' }).click();
    await item.locator('.nhsuk-tag', { hasText: 'Outcome recorded' }).waitFor();
    await viewer.page.locator('#queue > li', { hasText: 'care-sector seat' }).getByText('from April each place-based board keeps a seat').waitFor({ timeout: 5000 });

    // 6. The author sees the outcome live on the idea and a notification.
    await author.page.getByRole('heading', { name: 'Outcome: Taken forward' }).waitFor({ timeout: 10000 });
    await author.page.getByText('from April each place-based board keeps a seat').first().waitFor();
    await author.page.locator('#journey').getByText('Sent to a workshop').first().waitFor();
    await author.page.locator('#journey').getByRole('link', { name: 'Workshop 1: decisions and voice' }).waitFor();
    const badge = author.page.locator('.cc-badge');
    await badge.waitFor({ state: 'visible', timeout: 10000 });
    assert.match(await badge.textContent(), /^\d+\+? unread$/);

    await author.page.getByRole('link', { name: /^Notifications/ }).click();
    await author.page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const note = author.page.locator('#notification-list li').filter({ has: author.page.locator(`a[href="/ideas/${mine.id}"]`) });
    assert.ok(await note.count() >= 1, 'a notification links to the idea');

    // Marking all as read clears the badge.
    await author.page.getByRole('button', { name: 'Mark all as read' }).click();
    await badge.waitFor({ state: 'hidden' });

    // 7. A follow-up question goes back to the crowd from the queue item.
    await item.getByRole('link', { name: /follow-up question/ }).click();
    await dg.waitForURL(/\/challenges\/new\?parent_idea_id=/);
    await dg.getByRole('heading', { level: 1, name: 'Ask a follow-up question' }).waitFor();
    await dg.getByRole('group', { name: /Which principles/ }).getByRole('checkbox').nth(1).check();
    await dg.getByLabel('Open it now').check();
    await dg.getByRole('button', { name: 'Create challenge' }).click();
    await dg.waitForURL(/\/challenges\/\d+$/);
    await dg.getByRole('link', { name: 'read the idea that led to it' }).waitFor();

    assert.deepEqual(dgB.problems, []);
    assert.deepEqual(author.problems, []);
    assert.deepEqual(viewer.problems, []);
  } finally { await dgB.close(); await author.close(); await viewer.close(); }
});
