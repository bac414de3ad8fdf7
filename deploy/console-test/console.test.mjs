// End-to-end test of the Sluice console (issue #9) in headless Chromium, against a running local suite.
// Start the suite first (see docs/console.md), then: npm ci && npm test
// Environment: SLUICE_HOME (the suite's state dir: admin token, pid files), SLUICE_BASE_PORT [9081],
// CHROMIUM [/usr/bin/chromium], SCREENSHOTS [<repo>/docs/console].
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const home = process.env.SLUICE_HOME || join(repo, '.sluice');
const base = Number(process.env.SLUICE_BASE_PORT || 9081);
const url = (i, path) => `http://127.0.0.1:${base + i}${path}`;
const console_ = url(0, '/console/');
const token = readFileSync(join(home, 'admin-token'), 'utf8').trim();
const shots = process.env.SCREENSHOTS || join(repo, 'docs/console');
const run = Date.now().toString(36);
const WAIT = { timeout: 60_000 };
mkdirSync(shots, { recursive: true });

let browser;
let page;

async function api(i, method, path, body, auth = false) {
  const res = await fetch(url(i, path), {
    method,
    headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const sql = query => api(1, 'POST', '/sql', { query });

async function open(hash) {
  await page.goto(`${console_}#${hash}`);
  await page.waitForSelector(`#page[data-page="${hash}"][data-built="${hash}"], #page[data-page="overview"] .card`, WAIT);
}

const shot = name => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });  // a laptop screen
  page.on('pageerror', e => console.error('page error:', e.message));
});

after(async () => browser && browser.close());

test('the overview shows five UP cards', async () => {
  await open('overview');
  await page.waitForFunction(() => document.querySelectorAll('.card.UP').length === 5, null, WAIT);
  const services = await page.$$eval('.card.UP', cards => cards.map(c => c.dataset.service).sort());
  assert.deepEqual(services, ['cache-service', 'partition-manager', 'query-monitor', 'rate-limiter', 'replica-router']);
  await shot('overview');
});

test('after a workload through the router, the queries page lists the slow query with a p95', async () => {
  const table = `console_wl_${run}`;
  assert.equal((await sql(`CREATE TABLE ${table} (id int PRIMARY KEY, v text)`)).status, 200);
  for (let i = 0; i < 20; i++) await sql(`INSERT INTO ${table} VALUES (${i}, 'v${i}')`);
  for (let i = 0; i < 30; i++) await sql(`SELECT v FROM ${table} WHERE id = ${i % 20}`);
  for (let i = 0; i < 3; i++) assert.equal((await sql('SELECT pg_sleep(0.2)')).status, 200);
  await open('queries');
  // The router reports samples in batches and query-monitor flushes every second: poll through refreshes.
  const row = page.locator('#slow-list tr', { hasText: 'pg_sleep' });
  await row.first().waitFor(WAIT);
  const p95 = Number(await row.first().locator('td.p95').textContent());
  assert.ok(p95 >= 200, `p95 of the pg_sleep(0.2) query is ${p95} ms`);
  await page.locator('tr', { hasText: table }).first().waitFor(WAIT);
  await page.waitForTimeout(6000);  // one more refresh, so the sparklines have two points
  await shot('queries');
  // The plan of a chosen query, as a tree with its most expensive node highlighted. The router reports masked
  // texts only, so EXPLAIN needs a sample an app reported with its SQL text (query-monitor retains one).
  const ordered = `select id from ${table} where v = ? order by id`;
  assert.equal((await api(0, 'POST', '/v1/queries/samples', { samples: [
    { sql: `SELECT id FROM ${table} WHERE v = 'v1' ORDER BY id`, database: 'primary', duration_ms: 3, source: 'console-test' }] })).status, 202);
  const planRow = page.locator('[data-slot="top"] tr', { hasText: ordered }).first();
  await planRow.waitFor(WAIT);
  await planRow.locator('button').click();
  await page.locator('.plan .node.hot').waitFor(WAIT);
  await page.locator('.plan').scrollIntoViewIfNeeded();
  await shot('queries-plan');
});

test('replicas, cache and partitions pages render', async () => {
  await api(4, 'PUT', `/v1/partition-sets/console_events_${run}`, {
    column: 'created_at', interval: 'daily', premake: 4, retention: { keep: 'P7D', mode: 'drop' },
    columns: [{ name: 'id', type: 'bigint' }, { name: 'created_at', type: 'timestamptz' }], primaryKey: ['id', 'created_at'],
  }, true);
  await open('replicas');
  await page.locator('[data-slot="nodes"] tr', { hasText: 'primary' }).first().waitFor(WAIT);
  await page.waitForTimeout(6000);
  await shot('replicas');
  await open('cache');
  await page.locator('#flush-form').waitFor(WAIT);
  await shot('cache');
  await open('partitions');
  await page.locator(`[data-set$="console_events_${run}"] .timeline span`).first().waitFor(WAIT);
  await shot('partitions');
});

test('a tier change made on the page is visible through the rate-limiter API', async () => {
  const key = `console-key-${run}`;
  for (let i = 0; i < 3; i++) await api(3, 'POST', '/v1/ratelimit/check', { key });
  await open('ratelimits');
  await page.fill('#token', token);
  await page.fill('#lookup-form input[name=key]', key);
  await page.click('#lookup-form button');
  await page.locator('#client-tier').waitFor(WAIT);
  const before = await page.locator('#client-tier').textContent();
  const target = before === 'pro' ? 'enterprise' : 'pro';
  await page.selectOption('#tier-select', target);
  await page.click('#tier-change');
  await page.locator('dialog#confirm[open]').waitFor(WAIT);  // the guard: nothing happens before confirming
  assert.equal((await api(3, 'GET', `/v1/ratelimit/keys/${key}`, undefined, true)).body.tier, before);
  await page.click('#confirm-ok');
  await page.locator('#tier-result', { hasText: `tier set to ${target}` }).waitFor(WAIT);
  const status = await api(3, 'GET', `/v1/ratelimit/keys/${key}`, undefined, true);
  assert.equal(status.status, 200);
  assert.equal(status.body.tier, target);
  await page.locator('#client-tier', { hasText: target }).waitFor(WAIT);
  await shot('ratelimits');
});

test('a stopped service turns DOWN while the rest of the page keeps working', async () => {
  const pid = Number(readFileSync(join(home, 'pids', 'partition-manager.pid'), 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  await open('overview');
  await page.waitForSelector('.card.DOWN[data-service="partition-manager"]', WAIT);
  await page.waitForFunction(() => document.querySelectorAll('.card.UP').length === 4, null, WAIT);
  assert.match(await page.locator('.card.DOWN .error').textContent(), /refused|not reachable|no answer/);
  await shot('overview-down');
  await open('partitions');
  await page.locator('[data-slot="sets"] .na').waitFor(WAIT);
  await open('replicas');
  await page.locator('[data-slot="nodes"] tr', { hasText: 'primary' }).first().waitFor(WAIT);
});
