// Every page: axe-core finds no serious or critical problems; user text is escaped;
// the challenge page fits a 320 px wide screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, openBrowser, signIn, apiAs, openChallenge, axe, PEOPLE, repoRoot } from './lib/harness.js';

const XSS = '<img src=x onerror=alert(1)>';
const shots = join(repoRoot, 'tests', 'e2e', 'test-results');
let server;
before(async () => { server = await startServer({ users: [PEOPLE.nurse, PEOPLE.carer, PEOPLE.designer] }); });
after(async () => { if (server) await server.stop(); });

/**
 * Opens a page, waits for its main heading, runs axe; returns the problems found (a page
 * that does not show the expected heading is a problem too, so one test reports them all).
 */
async function check(b, path, { heading, before: prepare } = {}) {
  try {
    await b.page.goto(`${server.url}${path}`);
    await b.page.locator('#maincontent h1').first().waitFor({ timeout: 10000 });
    await b.page.waitForFunction(() => !document.getElementById('maincontent').hasAttribute('aria-busy'));
    if (heading) {
      const h1 = b.page.getByRole('heading', { level: 1, name: heading });
      if (!(await h1.count())) return [`${path}: expected the heading ${heading}, the page shows "${(await b.page.locator('#maincontent h1').first().textContent()).trim()}"`];
    }
    if (prepare) await prepare(b.page);
    const violations = await axe(b.page);
    return violations.map((v) => `${path}: ${v}`);
  } catch (e) {
    return [`${path}: ${e.message.split('\n')[0]}`];
  }
}

test('axe-core: no serious or critical violations on the signed-out pages', { timeout: 60000 }, async () => {
  const b = await openBrowser();
  try {
    const found = [];
    found.push(...await check(b, '/sign-in', { heading: 'Sign in to CareCrowd' }));
    found.push(...await check(b, '/sign-in', {
      heading: 'Sign in to CareCrowd',
      before: async (page) => { await page.getByRole('button', { name: 'Sign in' }).click(); await page.locator('.nhsuk-error-summary').waitFor(); },
    }));
    found.push(...await check(b, '/register', { heading: 'Create an account' }));
    found.push(...await check(b, '/register', {
      heading: 'Create an account',
      before: async (page) => { await page.getByRole('button', { name: 'Create account' }).click(); await page.locator('.nhsuk-error-summary').waitFor(); },
    }));
    found.push(...await check(b, '/accessibility', { heading: /Accessibility statement/ }));
    found.push(...await check(b, '/no/such/page', { heading: 'Page not found' }));
    for (const width of [320, 1280]) {
      await b.page.setViewportSize({ width, height: 800 });
      found.push(...(await check(b, '/sign-in')).map((v) => `${width}px ${v}`));
    }
    assert.deepEqual(found, []);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

let data = null;
async function seed() {
  if (data) return data;
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const carer = await apiAs(server.url, PEOPLE.carer.email);
  const { challenge } = await openChallenge(dg, { title: 'Support for leaders at every level', voting: { model: 'updown', votes_per_user: 5 } });
  const idea = (await nurse.post(`/challenges/${challenge.id}/ideas`, {
    title: 'Peer coaching circles across health and social care',
    body: 'Small groups of six meet monthly, mixing professions and organisations.\n\nA trained facilitator keeps time.',
    tags: ['coaching', 'peer support', 'cross-sector'],
  })).idea;
  const anon = (await carer.post(`/challenges/${challenge.id}/ideas`, { title: 'Anonymous: a mentoring scheme for new managers', body: 'Pair each new manager with an experienced one from another organisation.', anonymous: true })).idea;
  await carer.put(`/ideas/${idea.id}/vote`, { value: 1 });
  await nurse.put(`/ideas/${anon.id}/vote`, { value: -1 });
  const c = (await carer.post(`/ideas/${idea.id}/comments`, { body: 'We would love to join a circle.' })).comment;
  await nurse.post(`/ideas/${idea.id}/comments`, { body: 'Great, I will add you.', parent_id: c.id });
  await carer.post('/flags', { target: 'idea', id: anon.id, reason: 'Looks like a duplicate.' });
  await dg.patch(`/ideas/${anon.id}`, { status: 'under_review', status_note: 'We are looking at this with the training team.' });
  data = { challenge, idea, anon };
  return data;
}

test('axe-core: no serious or critical violations on every staff page', { timeout: 120000 }, async () => {
  const { challenge, idea } = await seed();
  const b = await openBrowser();
  try {
    await signIn(b.page, server.url, PEOPLE.nurse.email);
    const found = [];
    for (const [path, heading] of [
      ['/', 'Challenges'],
      [`/challenges/${challenge.id}`, /Support for leaders/],
      [`/challenges/${challenge.id}?sort=new`, /Support for leaders/],
      [`/challenges/${challenge.id}/ideas/new`, 'Share an idea'],
      [`/ideas/${idea.id}`, /Peer coaching circles/],
      [`/ideas/${idea.id}/edit`, 'Edit your idea'],
      ['/search?q=coaching', 'Search ideas'],
      ['/notifications', 'Notifications'],
      ['/my-ideas', 'My ideas'],
      ['/accessibility', /Accessibility statement/],
    ]) found.push(...await check(b, path, { heading }));
    // A form showing its error summary.
    found.push(...await check(b, `/challenges/${challenge.id}/ideas/new`, {
      before: async (page) => { await page.getByRole('button', { name: 'Share idea' }).click(); await page.locator('.nhsuk-error-summary').waitFor(); },
    }));
    assert.deepEqual(found, []);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('axe-core: no serious or critical violations on every design group page', { timeout: 120000 }, async () => {
  const { challenge, idea, anon } = await seed();
  const b = await openBrowser({ width: 1280 });
  try {
    await signIn(b.page, server.url, PEOPLE.designer.email);
    const found = [];
    for (const [path, heading] of [
      ['/?status=all', 'Challenges'],
      [`/challenges/${challenge.id}`, /Support for leaders/],
      ['/challenges/new', 'Create a challenge'],
      [`/challenges/${challenge.id}/edit`, 'Edit challenge'],
      [`/challenges/new?parent_idea_id=${idea.id}`, 'Ask a follow-up question'],
      [`/challenges/${challenge.id}/metrics`, 'Who is taking part'],
      [`/ideas/${idea.id}`, /Peer coaching circles/],
      [`/ideas/${anon.id}`, /mentoring scheme/],
      ['/flags', 'Reports to review'],
    ]) found.push(...await check(b, path, { heading }));
    // The CSV download link (on the challenge page and the metrics page) answers with a CSV file.
    await b.page.goto(`${server.url}/challenges/${challenge.id}`);
    const href = await b.page.getByRole('link', { name: /Download the ideas/ }).first().getAttribute('href');
    assert.equal(href, `/api/v1/export/challenges/${challenge.id}.csv`);
    const csv = await b.page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get('content-type') }; }, href);
    if (csv.status !== 200 || !/text\/csv/.test(csv.type || '')) found.push(`${href}: answered ${csv.status} ${csv.type}, not a CSV file`);
    assert.deepEqual(found, []);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('axe-core: no serious or critical violations on the workshop pages', { timeout: 120000 }, async () => {
  const { idea } = await seed();
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const workshop = (await dg.post('/workshops', { title: 'Design group workshop 1', description: 'First full-day workshop', scheduled_at: new Date(Date.now() + 7 * 864e5).toISOString() })).workshop;
  await dg.post(`/workshops/${workshop.id}/queue`, { idea_id: idea.id, note: 'Strong support' });
  const found = [];
  for (const [who, pages] of [
    [PEOPLE.nurse, [['/workshops', 'Workshops'], [`/workshops/${workshop.id}`, /Design group workshop 1/]]],
    [PEOPLE.designer, [['/workshops', 'Workshops'], ['/workshops/new', 'Create a workshop'], [`/workshops/${workshop.id}`, /Design group workshop 1/], [`/ideas/${idea.id}`, /Peer coaching circles/]]],
  ]) {
    const b = await openBrowser({ width: 1280 });
    try {
      await signIn(b.page, server.url, who.email);
      for (const [path, heading] of pages) found.push(...(await check(b, path, { heading })).map((v) => `${who.role}: ${v}`));
      assert.deepEqual(b.problems, []);
    } finally { await b.close(); }
  }
  assert.deepEqual(found, []);
});

test('an idea titled like HTML shows as text, never as markup', { timeout: 60000 }, async () => {
  const dg = await apiAs(server.url, PEOPLE.designer.email);
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  const { challenge } = await openChallenge(dg, { title: `Challenge ${XSS}` });
  const idea = (await nurse.post(`/challenges/${challenge.id}/ideas`, { title: XSS, body: `Body <script>window.__xss = 1</script> ${XSS}`, tags: ['<b>bold</b>'] })).idea;
  await nurse.post(`/ideas/${idea.id}/comments`, { body: `<img src=x onerror="window.__xss=1">` });
  const b = await openBrowser();
  let dialogs = 0;
  b.page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  try {
    await signIn(b.page, server.url, PEOPLE.carer.email);
    for (const path of [`/challenges/${challenge.id}`, `/ideas/${idea.id}`, '/', `/search?q=${encodeURIComponent('onerror')}`]) {
      await b.page.goto(`${server.url}${path}`);
      await b.page.locator('#maincontent h1').first().waitFor();
      await b.page.waitForFunction(() => !document.getElementById('maincontent').hasAttribute('aria-busy'));
      assert.equal(await b.page.locator('#maincontent img').count(), 0, `${path}: no <img> made from user text`);
      assert.equal(await b.page.locator('#maincontent script').count(), 0, `${path}: no <script> made from user text`);
      assert.equal(await b.page.evaluate(() => window.__xss), undefined);
    }
    await b.page.goto(`${server.url}/challenges/${challenge.id}`);
    await b.page.locator('#idea-list').getByText(XSS, { exact: true }).waitFor();
    await b.page.getByRole('heading', { level: 1 }).getByText(`Challenge ${XSS}`).waitFor();
    await b.page.goto(`${server.url}/ideas/${idea.id}`);
    await b.page.getByRole('heading', { level: 1 }).getByText(XSS, { exact: true }).waitFor();
    await b.page.getByText('<b>bold</b>', { exact: true }).waitFor();
    await b.page.locator('#comment-list').getByText('<img src=x onerror="window.__xss=1">').waitFor();
    assert.match(await b.page.title(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(dialogs, 0);
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});

test('the challenge page fits a 320 px wide screen with no sideways scrolling', { timeout: 60000 }, async () => {
  const { challenge, idea } = await seed();
  const nurse = await apiAs(server.url, PEOPLE.nurse.email);
  await nurse.post(`/challenges/${challenge.id}/ideas`, {
    title: 'Averyveryverylongwordwithoutanyspacesthatcouldpushthelayoutwiderthanthescreen',
    body: 'https://example.org/a/very/long/address/that/does/not/break/naturally/because/it/has/no/spaces/at/all',
    tags: ['supercalifragilisticexpialidoc'],
  });
  const b = await openBrowser({ width: 320, height: 640 });
  try {
    await signIn(b.page, server.url, PEOPLE.carer.email);
    mkdirSync(shots, { recursive: true });
    for (const [path, name] of [[`/challenges/${challenge.id}`, 'challenge-320.png'], ['/', 'challenges-320.png'], [`/ideas/${idea.id}`, 'idea-320.png']]) {
      await b.page.goto(`${server.url}${path}`);
      await b.page.locator('#maincontent h1').first().waitFor();
      await b.page.waitForFunction(() => !document.getElementById('maincontent').hasAttribute('aria-busy'));
      await b.page.screenshot({ path: join(shots, name), fullPage: true });
      const { scrollWidth, clientWidth } = await b.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= 320, `${path}: page is ${scrollWidth}px wide at 320px (client ${clientWidth}px)`);
    }
    assert.deepEqual(b.problems, []);
  } finally { await b.close(); }
});
