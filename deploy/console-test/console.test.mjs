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
  // Slow enough to rank among the top fingerprints by total time whatever else the suite has run before.
  const reported = Array.from({ length: 5 }, () =>
    ({ sql: `SELECT id FROM ${table} WHERE v = 'v1' ORDER BY id`, database: 'primary', duration_ms: 1500, source: 'console-test' }));
  assert.equal((await api(0, 'POST', '/v1/queries/samples', { samples: reported })).status, 202);
  const planRow = page.locator('[data-slot="top"] tr', { hasText: ordered }).first();
  await planRow.waitFor(WAIT);
  await page.fill('#token', token);  // EXPLAIN runs statements: it needs the operator's admin token
  await planRow.locator('button').click();
  await page.locator('.plan .node.hot').waitFor(WAIT);
  // The page refreshes every few seconds and renders the plan again: a scroll that caught the old one is retried.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator('.plan').scrollIntoViewIfNeeded({ timeout: 5000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
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

test('a console opened fresh charts the last hour the services kept, on its first render', async () => {
  // A new browser context: no storage and no earlier tab, so whatever a chart shows came from the services'
  // GET /v1/history (replica-router samples replica lag every 10 s from its start, well before this test).
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  try {
    const fresh = await context.newPage();
    const opened = Date.now();
    await fresh.goto(`${console_}#replicas`);
    await fresh.locator('#refreshed', { hasText: 'refreshed' }).waitFor(WAIT);  // the first render is done
    const chart = fresh.locator('[data-slot="lag"] .chart');
    assert.equal(await chart.count(), 1, `the lag chart on first load: ${await fresh.locator('[data-slot="lag"]').textContent()}`);
    const drawn = Number(await chart.getAttribute('data-points'));
    const first = Number(await chart.getAttribute('data-first'));
    assert.ok(drawn >= 2, `${drawn} points drawn`);
    assert.ok(first < opened - 10_000, `the first point (${new Date(first).toISOString()}) predates the page (${new Date(opened).toISOString()})`);
    await fresh.goto(`${console_}#cache`);
    await fresh.locator('#invalidation-lag [data-slot="lag-figure"] #invalidation-lag-last').waitFor(WAIT);
  } finally {
    await context.close();
  }
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

test('an archive restored from the partitions page is a new table with the archived rows', async () => {
  const parent = `console_arch_${run}`;
  const restored = `console_restored_${run}`;
  const now = new Date();
  const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 1)).toISOString().slice(0, 10);
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 5, 1)).toISOString().slice(0, 10);
  for (const statement of [
    `CREATE TABLE ${parent} (id bigint, created_at timestamptz NOT NULL, v text) PARTITION BY RANGE (created_at)`,
    `CREATE TABLE ${parent}_old PARTITION OF ${parent} FOR VALUES FROM ('${old}') TO ('${next}')`,
    `INSERT INTO ${parent} SELECT g, timestamptz '${old} 00:00+00' + g * interval '1 minute', 'old ' || g FROM generate_series(1, 120) g`,
  ]) assert.equal((await sql(statement)).status, 200, statement);
  // Retention keeps three months and archives the rest: the six-month-old partition is archived, then dropped.
  const set = await api(4, 'PUT', `/v1/partition-sets/public.${parent}`, {
    column: 'created_at', interval: 'monthly', premake: 2, retention: { keep: 'P3M', mode: 'archive' }, timezone: 'UTC',
  }, true);
  assert.equal(set.status, 200, JSON.stringify(set.body));
  let archive;
  for (let i = 0; i < 60 && !archive; i++) {
    const list = (await api(4, 'GET', '/v1/archives')).body;
    archive = (Array.isArray(list) ? list : []).find(a => a.partition === `${parent}_old`);
    if (!archive) await new Promise(r => setTimeout(r, 1000));
  }
  assert.ok(archive, `an archive of ${parent}_old`);
  assert.equal(archive.rowCount, 120);

  await open('partitions');
  await page.fill('#token', token);
  const row = page.locator('[data-slot="archives"] tr', { hasText: `${parent}_old` }).first();
  await row.waitFor(WAIT);
  await row.locator('input[name=table]').fill(`public.${restored}`);
  await row.locator('button').click();
  await page.locator('dialog#confirm[open]').waitFor(WAIT);  // nothing is restored before confirming
  assert.equal((await sql(`SELECT to_regclass('public.${restored}') IS NULL AS absent`)).body.rows[0].absent, 't');  // booleans come as text
  await page.click('#confirm-ok');
  await page.locator('[data-slot="archives"] .result', { hasText: 'restored' }).waitFor(WAIT);
  const count = await sql(`SELECT count(*) AS n, min(v) AS first FROM ${restored}`);
  assert.equal(count.status, 200);
  assert.equal(Number(count.body.rows[0].n), 120);
  assert.equal(count.body.rows[0].first, 'old 1');
  await shot('partitions-restored');
});

test('a conversion shows its progress and ETA on the partitions page, then DONE', async () => {
  const t = `console_conv_${run}`;
  for (const statement of [
    `CREATE TABLE ${t} (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, v text)`,
    `INSERT INTO ${t} SELECT g, timestamptz '2026-01-01 00:00+00' + g * interval '1 minute', 'v' || g FROM generate_series(1, 50000) g`,
  ]) assert.equal((await sql(statement)).status, 200, statement);
  // 50 batches with 300 ms between them: about 15 s of copying, long enough to be seen running.
  const started = await api(4, 'POST', '/v1/conversions',
    { table: `public.${t}`, column: 'created_at', interval: 'monthly', batchSize: 1000, throttleMs: 300,
      accept: [`primary-key:${t}_pkey`] }, true);  // its key (id) gains created_at on the partitioned table
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await open('partitions');
  const row = () => page.locator(`[data-conversion="${started.body.id}"]`);
  await row().locator('td.eta', { hasText: /^\d+ s$/ }).waitFor(WAIT);  // copying, with an ETA
  assert.match(await row().textContent(), /COPYING \(running\)/);
  await shot('partitions-conversion');
  await page.locator(`[data-conversion="${started.body.id}"]`, { hasText: 'DONE' }).waitFor(WAIT);
  assert.equal((await row().locator('td.progress').textContent()).trim(), '100 %');
  const status = await api(4, 'GET', `/v1/conversions/${started.body.id}`);
  assert.equal(status.body.phase, 'DONE');
});

test('the scorecard page shows every rollout target with a verdict, threshold and runbook', async () => {
  const card = (await api(0, 'GET', '/v1/validation?window=5m')).body;
  assert.equal(card.targets.length, 9);
  await open('scorecard');
  await page.locator('tr[data-target]').nth(8).waitFor(WAIT);
  const rows = await page.$$eval('tr[data-target]', trs => trs.map(tr => ({
    id: tr.dataset.target, verdict: tr.querySelector('td.verdict').textContent, runbook: tr.querySelector('td.runbook').textContent })));
  assert.deepEqual(rows.map(r => r.id), card.targets.map(t => t.id));
  for (const r of rows) {
    assert.match(r.verdict, /^(PASS|FAIL|UNKNOWN)$/, `${r.id}: ${r.verdict}`);
    assert.match(r.runbook, /^docs\/runbooks\.md#rb-\d+$/, `${r.id}: ${r.runbook}`);
  }
  await page.selectOption('#scorecard-window', '1m');
  await page.locator('.scorecard-summary', { hasText: 'over 1m' }).waitFor(WAIT);
  await shot('scorecard');
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
