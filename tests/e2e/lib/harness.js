// Test harness: a real CareCrowd server on a scratch database, and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..', '..');
export const buildDir = resolve(process.env.CARECROWD_BUILD_DIR || join(repoRoot, 'build'));
export const webRoot = join(repoRoot, 'client-web', 'dist');
const require = createRequire(import.meta.url);
const axeSource = require('node:fs').readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'correct horse battery staple 42';
const CHROMIUM = process.env.CARECROWD_CHROMIUM || '/usr/bin/chromium';

function admin(db, args, input) {
  return execFileSync(join(buildDir, 'carecrowd-admin'), ['--db', db, ...args], {
    input, encoding: 'utf8', timeout: 30000, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Starts a server on a fresh database with the given users.
 * users: [{email, name, role, organisation?, profession?}]
 * settings: {key: value} of the server's configuration (--set), beside its defaults
 */
export async function startServer({ users = [], settings = {} } = {}) {
  for (const bin of ['carecrowd', 'carecrowd-admin']) {
    if (!existsSync(join(buildDir, bin))) throw new Error(`missing ${join(buildDir, bin)}: build the server first (or set CARECROWD_BUILD_DIR)`);
  }
  if (!existsSync(join(webRoot, 'index.html'))) throw new Error('client-web/dist is missing: run `npm ci && npm run build` in client-web');
  const dir = mkdtempSync(join(tmpdir(), 'carecrowd-e2e-'));
  const db = join(dir, 'carecrowd.db');
  admin(db, ['init']);
  for (const u of users) {
    admin(db, ['user', 'add', '--email', u.email, '--name', u.name, '--role', u.role || 'staff',
      '--profession', u.profession || 'nursing', '--organisation', u.organisation || 'Riverside Care Home',
      '--password-stdin'], `${u.password || PASSWORD}\n`);
  }
  let log = '';
  let proc = null;
  async function launch(port) {
    const sets = Object.entries(settings).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
    proc = spawn(join(buildDir, 'carecrowd'), ['--db', db, '--port', String(port), '--listen', '127.0.0.1', '--web-root', webRoot, ...sets], {
      stdio: ['ignore', 'pipe', 'pipe'], cwd: dir,
    });
    const p = proc;
    p.stderr.on('data', (d) => { log += d; if (log.length > 200000) log = log.slice(-100000); });
    const found = await new Promise((resolveUrl, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`server did not say it was listening within 15 s\n${log}`)), 15000);
      p.stdout.on('data', (d) => {
        buf += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(buf);
        if (m) { clearTimeout(timer); resolveUrl(m[1]); }
      });
      p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited early (${code})\n${log}`)); });
    });
    p.stdout.resume();
    return found;
  }
  async function kill() {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  const url = await launch(0);
  const port = Number(new URL(url).port);
  async function stop() {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  }
  /** Stops the server (SIGTERM) and, once the caller is ready, starts it again on the same port and database. */
  async function restart({ whileDown } = {}) {
    await kill();
    if (whileDown) await whileDown();
    await launch(port);
  }
  return { url, db, dir, stop, restart, log: () => log, admin: (args, input) => admin(db, args, input) };
}

/** One Chromium process with its own fresh profile (a "browser" of one person). */
export async function openBrowser({ width = 1024, height = 800 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'carecrowd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
      '--disable-background-networking', '--disable-component-update'],
    timeout: 30000,
  });
  context.setDefaultTimeout(10000);
  const page = context.pages()[0] || await context.newPage();
  const problems = watchConsole(page);
  return {
    context, page, problems,
    async close() { await context.close().catch(() => {}); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** Collects console errors, CSP violations and uncaught exceptions of a page. */
export function watchConsole(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // Refusals a test causes on purpose (wrong password 401, conflict 409, validation 422)
    // show as "Failed to load resource"; the test asserts what the page shows for them.
    // Anything else, a missing file or endpoint (404) included, is a real problem.
    if (/Failed to load resource: the server responded with a status of (401|409|422)/.test(text)) return;
    const where = msg.location() && msg.location().url;
    problems.push(where && /Failed to load resource/.test(text) ? `${text}: ${where}` : text);
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  return problems;
}

export async function signIn(page, baseUrl, email, password = PASSWORD) {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** Calls the API from inside the page, with the session cookie and CSRF token of that page. */
export async function apiCall(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await fetch('/api/v1/me', { credentials: 'same-origin' });
    const token = me.ok ? (await me.json()).csrf_token : '';
    const res = await fetch(`/api/v1${path}`, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    return { status: res.status, data };
  }, { method, path, body });
}

/** Fails with the response if the API call did not succeed. */
export async function apiOk(page, method, path, body) {
  const r = await apiCall(page, method, path, body);
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${method} /api/v1${path} answered ${r.status}: ${JSON.stringify(r.data)}`);
  }
  return r.data;
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated over the DevTools protocol: a <script> tag would be (rightly) refused by the CSP.
  if (!has) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`);
}

/** Races a promise against a deadline so no test can hang. */
export function within(ms, promise, what = 'step') {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms); }),
  ]);
}

/** Skip-free check that a server endpoint exists: returns the status of a GET. */
export async function probe(page, path) {
  return (await apiCall(page, 'GET', path)).status;
}

/**
 * A signed-in API client from Node (for setting up data quickly): cookie + CSRF token.
 * Every call throws with the method, path, status and error body unless it succeeded.
 */
export async function apiAs(baseUrl, email, password = PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { user, csrf_token: csrf } = await res.json();
  async function call(method, path, body, { expect } = {}) {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: baseUrl, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    const ok = expect ? r.status === expect : r.status >= 200 && r.status < 300;
    if (!ok) throw new Error(`${method} /api/v1${path} answered ${r.status}${expect ? ` (expected ${expect})` : ''}: ${text.slice(0, 300)}`);
    return data;
  }
  return {
    user, call,
    get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}), put: (p, b) => call('PUT', p, b),
    patch: (p, b) => call('PATCH', p, b), del: (p) => call('DELETE', p),
  };
}

/** Standard people for a test run. */
export const PEOPLE = {
  nurse: { email: 'nia.nurse@example.org', name: 'Nia Nurse', role: 'staff', profession: 'nursing', organisation: 'Riverside Care Home' },
  carer: { email: 'cal.carer@example.org', name: 'Cal Carer', role: 'staff', profession: 'social_care', organisation: 'Hilltop Home Care' },
  designer: { email: 'dee.group@example.org', name: 'Dee Group', role: 'design_group', profession: 'medical', organisation: 'North ICB' },
};

/**
 * Creates an open challenge as the design group; with workshop: true, also a workshop that
 * its forwarding rule sends ideas to.
 */
export async function openChallenge(dgApi, { title = 'How can we give care staff a voice in planning?', voting, forward, workshop: withWorkshop = false } = {}) {
  const principles = (await dgApi.get('/principles')).items;
  const workshop = withWorkshop
    ? (await dgApi.post('/workshops', { title: 'Design group workshop 1', description: 'First full-day workshop', scheduled_at: new Date(Date.now() + 7 * 864e5).toISOString() })).workshop
    : null;
  const challenge = (await dgApi.post('/challenges', {
    title, brief: 'Tell us what would help you take part in decisions about services.\n\nAll ideas are welcome.',
    principle_ids: [principles[0].id, principles[1].id], status: 'open',
    voting: voting || { model: 'up', votes_per_user: null },
    forward: forward || { top_n: 3, min_votes: 1, workshop_id: workshop ? workshop.id : null },
  })).challenge;
  return { challenge, workshop, principles };
}

/** Waits until the page's live connection is open (the client marks <body data-live>). */
export async function waitLive(page, timeout = 10000) {
  await page.waitForFunction(() => document.body.dataset.live === 'connected', null, { timeout });
}
