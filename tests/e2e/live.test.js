// Live updates across two browsers: new ideas, votes and comments appear without a reload,
// and so do the admin CLI's changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, openBrowser, signIn, apiAs, openChallenge, waitLive, PEOPLE } from './lib/harness.js';

let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse, PEOPLE.carer, PEOPLE.designer] }); });
after(async () => { if (server) await server.stop(); });

test('a staff member submits an idea and a second browser sees it appear live', { timeout: 90000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const { challenge } = await openChallenge(dg, { title: 'Ideas for joined-up discharge planning' });
  const a = await openBrowser();
  const b = await openBrowser();
  try {
    await Promise.all([signIn(a.page, server.url, PEOPLE.nurse.email), signIn(b.page, server.url, PEOPLE.carer.email)]);
    await b.page.goto(`${server.url}/challenges/${challenge.id}`);
    await b.page.getByRole('heading', { level: 1, name: /joined-up discharge planning/ }).waitFor();
    await waitLive(b.page);
    await b.page.evaluate(() => { window.__sameDocument = true; });

    // Browser A shares an idea through the form.
    await a.page.goto(`${server.url}/challenges/${challenge.id}`);
    await a.page.getByRole('button', { name: 'Share an idea' }).or(a.page.getByRole('link', { name: 'Share an idea' })).first().click();
    await a.page.waitForURL(/\/ideas\/new$/);
    await a.page.getByLabel('Give your idea a short title').fill('Weekly discharge huddle with care homes');
    await a.page.getByLabel('Describe your idea').fill('Ward nurses and care home managers meet for 15 minutes each week to plan the next discharges together.');
    await a.page.getByLabel('Tags (optional)').fill('discharge, care homes');
    await a.page.getByRole('button', { name: 'Share idea' }).click();
    await a.page.waitForURL(/\/ideas\/\d+$/);
    await a.page.getByText('Your idea has been shared').waitFor();

    // Browser B sees it in the list, without a reload, and it is announced politely.
    const card = b.page.locator('#idea-list li', { hasText: 'Weekly discharge huddle with care homes' });
    await card.waitFor({ timeout: 5000 });
    assert.equal(await b.page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    await b.page.waitForFunction(() => /New idea: Weekly discharge huddle/.test(document.getElementById('announcer').textContent), null, { timeout: 5000 });
    assert.equal(await b.page.locator('#announcer').getAttribute('aria-live'), 'polite');
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally { await a.close(); await b.close(); }
});

test('votes and comments update live across two browsers', { timeout: 90000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const { challenge } = await openChallenge(dg, { title: 'Protected time for leadership work' });
  const { idea } = await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'Half a day a month for improvement work', body: 'Every team lead gets half a day each month, backfilled, to work on improvements.' });
  const other = (await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'A shared calendar of leadership sessions', body: 'One place to see every session.' })).idea;

  const a = await openBrowser();
  const b = await openBrowser();
  try {
    await Promise.all([signIn(a.page, server.url, PEOPLE.nurse.email), signIn(b.page, server.url, PEOPLE.carer.email)]);
    await a.page.goto(`${server.url}/challenges/${challenge.id}`);
    const cardA = a.page.locator(`#idea-list li[data-idea-id="${idea.id}"]`);
    await cardA.waitFor();
    await waitLive(a.page);
    await b.page.goto(`${server.url}/ideas/${idea.id}`);
    await b.page.getByRole('heading', { level: 1, name: /Half a day a month/ }).waitFor();
    await waitLive(b.page);

    // Focus sits on another idea's link in A while changes arrive: the list must not be redrawn under it.
    const otherLink = a.page.locator(`#idea-list li[data-idea-id="${other.id}"] a.cc-idea__link`);
    await otherLink.focus();
    const marker = await a.page.evaluate((id) => { const el = document.querySelector(`#idea-list li[data-idea-id="${id}"]`); el.__marker = 'kept'; return true; }, idea.id);
    assert.ok(marker);

    // B votes: A's count changes live.
    await b.page.getByRole('button', { name: /^Vote/ }).click();
    await b.page.locator('[data-role=vote-count]').getByText('1 vote').waitFor();
    await cardA.locator('[data-role=vote-count]').getByText('1 vote').waitFor({ timeout: 5000 });

    // A votes: B's count changes live.
    await cardA.getByRole('button', { name: /^Vote/ }).click();
    await b.page.locator('[data-role=vote-count]').getByText('2 votes').waitFor({ timeout: 5000 });
    await otherLink.focus();

    // B comments: A's comment count changes live.
    await b.page.getByLabel('Add a comment').fill('We tried this on our ward and it worked well.');
    await b.page.getByRole('button', { name: 'Post comment' }).click();
    await b.page.locator('#comment-list').getByText('We tried this on our ward').waitFor();
    await cardA.getByText('1 comment').waitFor({ timeout: 5000 });

    assert.equal(await a.page.evaluate((id) => document.querySelector(`#idea-list li[data-idea-id="${id}"]`).__marker, idea.id), 'kept', 'the card was updated in place, not re-rendered');
    assert.equal(await a.page.evaluate(() => document.activeElement && document.activeElement.classList.contains('cc-idea__link')), true, 'focus stayed where it was');
    await a.page.waitForFunction(() => /comment|Votes changed/i.test(document.getElementById('announcer').textContent), null, { timeout: 5000 });

    // A opens the idea; B replies to the comment; A sees the reply live, under the comment.
    await a.page.locator(`#idea-list li[data-idea-id="${idea.id}"] a.cc-idea__link`).click();
    await a.page.getByRole('heading', { level: 1, name: /Half a day a month/ }).waitFor();
    await a.page.locator('#comment-list').getByText('We tried this on our ward').waitFor();
    await b.page.getByRole('button', { name: /^Reply/ }).first().click();
    await b.page.getByLabel(/^Reply to/).fill('Which ward was that? I would like to visit.');
    await b.page.getByRole('button', { name: 'Post reply' }).click();
    await a.page.locator('.cc-comments--replies').getByText('Which ward was that?').waitFor({ timeout: 5000 });

    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally { await a.close(); await b.close(); }
});

test('after the server restarts the client reconnects by itself and catches up', { timeout: 90000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const { challenge } = await openChallenge(dg, { title: 'Reconnection check' });
  const a = await openBrowser();
  try {
    await signIn(a.page, server.url, PEOPLE.carer.email);
    await a.page.goto(`${server.url}/challenges/${challenge.id}`);
    await a.page.getByRole('heading', { level: 1, name: /Reconnection check/ }).waitFor();
    await waitLive(a.page);

    // While the server is down the page says it is offline.
    await server.restart({
      whileDown: async () => {
        await a.page.locator('#offline-banner').waitFor({ state: 'visible', timeout: 10000 });
        await a.page.getByText('You are offline. We are trying to reconnect.').waitFor();
      },
    });
    // An idea shared just after the restart reaches the page once it is back (replayed with since, or live).
    const nurse = await apiAs(server.url, PEOPLE.nurse.email);
    await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'Shared while you were away', body: 'Posted right after the restart.' });
    await waitLive(a.page, 40000);
    await a.page.locator('#idea-list li', { hasText: 'Shared while you were away' }).waitFor({ timeout: 10000 });
    await a.page.locator('#offline-banner').waitFor({ state: 'hidden', timeout: 5000 });
  } finally { await a.close(); }
});

test('the author sees a status change live on their idea, and the notifications badge counts it', { timeout: 60000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const { challenge } = await openChallenge(dg, { title: 'Listening to night staff' });
  const { idea } = await nurse.post(`/challenges/${challenge.id}/ideas`, { title: 'A night-shift forum each quarter', body: 'Meet at 3am, when night staff are free.' });
  const a = await openBrowser();
  try {
    await signIn(a.page, server.url, PEOPLE.nurse.email);
    await a.page.goto(`${server.url}/ideas/${idea.id}`);
    await a.page.getByRole('heading', { level: 1, name: /night-shift forum/ }).waitFor();
    await waitLive(a.page);
    // Earlier tests in this file may have left the nurse some notifications: the badge
    // shows the server's unread count, then one more.
    const before = (await nurse.get('/notifications?unread=true&limit=100')).items.length;

    await dg.patch(`/ideas/${idea.id}`, { status: 'shortlisted', status_note: 'Shortlisted for the next workshop.' });
    await a.page.locator('.cc-status-line').getByText('Shortlisted').waitFor({ timeout: 5000 });
    await a.page.locator('#journey').getByText('Shortlisted for the next workshop.').waitFor();
    await a.page.waitForFunction((n) => {
      const el = document.querySelector('.cc-badge');
      return el && !el.hidden && el.textContent === `${n} unread`;
    }, before + 1, { timeout: 5000 });
    await a.page.waitForFunction(() => /now: shortlisted|New notification/i.test(document.getElementById('announcer').textContent), null, { timeout: 5000 });

    await a.page.getByRole('link', { name: /^Notifications/ }).click();
    await a.page.locator('#notification-list li').filter({ hasText: 'night-shift forum' }).first().waitFor();
    assert.deepEqual(a.problems, []);
  } finally { await a.close(); }
});

/** Signs the carer in on the challenges page and waits for its live connection. */
async function openChallengesLive(page, url) {
  await signIn(page, url, PEOPLE.carer.email);
  await page.goto(`${url}/challenges`);
  await page.getByRole('heading', { level: 1, name: 'Challenges' }).waitFor();
  await waitLive(page);
}

/** Open challenges with these titles, written by the admin CLI (`challenge import`). */
function importChallenges(srv, titles) {
  const file = join(srv.dir, `import-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ challenges: titles.map((title) => ({ title, principles: ['P2'], status: 'open' })) }));
  srv.admin(['challenge', 'import', file]);
}

test('a challenge the admin CLI imports appears on an open challenges page', { timeout: 90000 }, async () => {
  const b = await openBrowser();
  try {
    await openChallengesLive(b.page, server.url);
    await b.page.evaluate(() => { window.__sameDocument = true; });

    // The server writes nothing meanwhile: the event comes from the log it watches.
    importChallenges(server, ['Safer weekend handovers between teams']);

    const card = b.page.locator('li[data-challenge-id]', { hasText: 'Safer weekend handovers between teams' });
    await card.waitFor({ timeout: 5000 });
    assert.equal(await b.page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
    await b.page.waitForFunction(() => /New challenge: Safer weekend handovers/.test(document.getElementById('announcer').textContent), null, { timeout: 5000 });
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('after more changes than the server replays, the page offers to refresh and then shows them', { timeout: 90000 }, async () => {
  // A server of its own that replays at most two missed events.
  const small = await startServer({ users: [PEOPLE.carer], settings: { 'limits.ws_replay_events': 2 } });
  const b = await openBrowser();
  try {
    await openChallengesLive(b.page, small.url);
    const titles = ['Missed one: rota swaps', 'Missed two: handover notes', 'Missed three: quiet rooms'];
    await small.restart({ whileDown: async () => importChallenges(small, titles) });
    // Back online, the three events are more than the server replays: the page says so.
    await waitLive(b.page, 40000);
    const banner = b.page.locator('#missed-banner');
    await banner.waitFor({ state: 'visible', timeout: 10000 });
    await b.page.waitForFunction(() => /changes were made while you were away/.test(document.getElementById('announcer').textContent), null, { timeout: 5000 });
    assert.equal(await b.page.locator('li[data-challenge-id]', { hasText: titles[0] }).count(), 0, 'not shown before the refresh');

    await b.page.getByRole('button', { name: 'Refresh this page' }).click();
    for (const t of titles) await b.page.locator('li[data-challenge-id]', { hasText: t }).waitFor({ timeout: 5000 });
    await banner.waitFor({ state: 'hidden', timeout: 5000 });
    // The refused connections while the server was down are logged; nothing else may be.
    assert.deepEqual(b.problems.filter((p) => !/WebSocket connection|ERR_CONNECTION_REFUSED/.test(p)), []);
  } finally { await b.close(); await small.stop(); }
});

test('a page that starts listening to a busy challenge shows no missed-changes banner: it has just read them', { timeout: 90000 }, async () => {
  // A server of its own that replays at most two missed events.
  const small = await startServer({ users: [PEOPLE.carer, PEOPLE.designer], settings: { 'limits.ws_replay_events': 2 } });
  const b = await openBrowser();
  try {
    // The server's answers on the page's live connection, so that the test knows the
    // resume was refused rather than hoping it was.
    let tooFarBehind = 0;
    b.page.on('websocket', (ws) => ws.on('framereceived', (f) => {
      if (String(f.payload).includes('"too_far_behind"')) tooFarBehind += 1;
    }));
    await openChallengesLive(b.page, small.url);
    const dg = await apiAs(small.url, PEOPLE.designer.email);
    const { challenge } = await openChallenge(dg, { title: 'Busy while you looked elsewhere' });
    await b.page.getByRole('link', { name: 'Busy while you looked elsewhere' }).first().waitFor({ timeout: 5000 });
    // Three ideas on its topic, which the challenges page does not listen to: more than
    // the server replays from where this connection last heard.
    for (const title of ['Busy one', 'Busy two', 'Busy three'])
      await dg.post(`/challenges/${challenge.id}/ideas`, { title, body: 'Posted while the reader was on the list.' });

    await b.page.evaluate(() => { window.__sameDocument = true; });
    await b.page.getByRole('link', { name: 'Busy while you looked elsewhere' }).first().click();
    for (const t of ['Busy one', 'Busy two', 'Busy three']) await b.page.locator('#idea-list li', { hasText: t }).waitFor({ timeout: 5000 });
    assert.equal(await b.page.evaluate(() => window.__sameDocument), true, 'navigated within the page');
    // The subscribe's answer is too_far_behind; once it has come (and a moment for the
    // page to handle it), the banner is still hidden.
    const deadline = Date.now() + 10000;
    while (tooFarBehind === 0 && Date.now() < deadline) await b.page.waitForTimeout(50);
    assert.ok(tooFarBehind >= 1, 'the server refused the resume as too far behind');
    await b.page.waitForTimeout(300);
    assert.equal(await b.page.locator('#missed-banner').isVisible(), false);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); await small.stop(); }
});
