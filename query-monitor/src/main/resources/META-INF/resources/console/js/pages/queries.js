// Queries: top fingerprints (GET /metrics/queries) with p50/p95/p99 sparklines from query-monitor's GET /v1/history,
// the slow list (GET /v1/queries/slow), a chosen query's plan (POST /v1/queries/{fp}/explain, with the typed admin
// token) as a tree with the most expensive node highlighted, index suggestions (GET /v1/indexes/suggestions) and verifications
// (action query-monitor.verify-index, then GET /v1/indexes/verifications/{id}).
import { getJson, act, authHeaders } from '../api.js';
import { h, num, notAvailable, table, layout, slot } from '../dom.js';
import { refreshHistory, key, stepSeconds } from '../history.js';
import { timeChart } from '../charts.js';

const state = { window: '5m', selected: null, plan: null, verifications: [] };

export async function render(container) {
  const [top, slow, suggestions] = await Promise.all([
    getJson(`/metrics/queries?window=${state.window}&sort=total&limit=15`),
    getJson(`/v1/queries/slow?window=1h&limit=20`),
    getJson('/v1/indexes/suggestions'),
    refreshHistory('query-monitor'),
  ]);
  const verdicts = await Promise.all(state.verifications.map(id => getJson(`/v1/indexes/verifications/${encodeURIComponent(id)}`)));
  const fill = layout(container, () => [
    h('form', { class: 'inline' }, 'Window ',
      h('select', { id: 'window', onchange: e => { state.window = e.target.value; render(container); } },
        ['1m', '5m', '1h', '24h'].map(w => h('option', { value: w, selected: w === state.window }, w)))),
    h('h2', {}, 'Top fingerprints by total time'), slot('top'),
    slot('sparkline-note', { class: 'muted' }),
    h('h2', {}, 'Slow queries (last hour)'), slot('slow'),
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Plan'), slot('plan')),
      h('div', { class: 'panel' }, h('h2', {}, 'Index suggestions'), slot('suggestions'), slot('verifications')))]);
  fill('top', top.ok ? topTable(top.body.queries, container) : notAvailable('Top fingerprints', top.why));
  fill('sparkline-note', `Sparklines: p50/p95/p99 over the last minute, one point every ${stepSeconds('query-monitor') ?? '?'} s for the last hour `
    + '(query-monitor keeps them for its top fingerprints by total time). * calls counted by pg_stat_statements only, no latency samples.');
  fill('slow', slow.ok ? slowTable(slow.body) : notAvailable('Slow list', slow.why));
  fill('plan', planPanel());
  fill('suggestions', suggestions.ok ? suggestionList(suggestions.body, container) : notAvailable('Index suggestions', suggestions.why));
  fill('verifications', verdicts.length ? h('h2', {}, 'Verifications') : null,
    verdicts.map((v, i) => h('div', { class: 'result' }, v.ok
      ? `${v.body.index}: ${v.body.outcome} ${v.body.reason || ''}`
      : `${state.verifications[i]}: ${v.why}`)));
}

function topTable(queries, container) {
  if (!queries.length) return h('p', { class: 'muted' }, 'No queries in this window yet.');
  return table(['query', 'db', 'calls', 'errors', 'p50', 'p95', 'p99', 'p50/p95/p99 (ms) over time', ''],
    queries.map(q => {
      const of = `${q.fingerprint}:${q.database}`;
      return h('tr', { class: state.selected === q.fingerprint ? 'selected' : null, 'data-fingerprint': q.fingerprint },
        h('td', { class: 'sql' }, q.sql || q.fingerprint), h('td', {}, q.database),
        h('td', { class: 'num' }, q.calls ? q.calls : h('span', { class: 'muted', title: 'pg_stat_statements only: no samples' }, `${q.statements ? q.statements.calls : 0}*`)),
        h('td', { class: 'num' }, q.errors),
        ['p50Ms', 'p95Ms', 'p99Ms'].map(p => h('td', { class: 'num' }, q.calls ? num(q[p]) : '–')),
        h('td', {}, timeChart(['p50Ms', 'p95Ms', 'p99Ms'].map(p => key('query-monitor', `${p}:${of}`)), { width: 160, height: 36, sparkline: true })),
        h('td', {}, h('button', { onclick: () => explain(q, container) }, 'plan')));
    }));
}

function slowTable(body) {
  const rows = body.queries || [];
  if (!rows.length) return h('p', { class: 'muted' }, 'No slow queries in the last hour.');
  return h('div', { id: 'slow-list' }, table(['query', 'db', 'slow calls', 'calls', 'p95 (ms)', 'max (ms)'],
    rows.map(q => h('tr', { 'data-fingerprint': q.fingerprint },
      h('td', { class: 'sql' }, q.sql || q.fingerprint), h('td', {}, q.database), h('td', { class: 'num' }, q.slowCalls),
      h('td', { class: 'num' }, q.calls), h('td', { class: 'num p95' }, num(q.p95Ms)), h('td', { class: 'num' }, num(q.maxMs))))),
  h('p', { class: 'muted' }, `slow threshold ${body.thresholdMs == null ? 'per database' : `${body.thresholdMs} ms`}`));
}

async function explain(q, container) {
  state.selected = q.fingerprint;
  state.plan = { loading: true, sql: q.sql };
  render(container);
  const res = await fetch(`/v1/queries/${encodeURIComponent(q.fingerprint)}/explain?database=${encodeURIComponent(q.database)}`,
    { method: 'POST', headers: authHeaders() }).then(async r => ({ ok: r.ok, status: r.status, body: await r.json().catch(() => null) }))
    .catch(() => ({ ok: false, status: 0, body: null }));
  state.plan = res.ok ? { ...res.body } : { error: res.status === 404 && !(res.body && res.body.type && !res.body.type.endsWith('/not-found'))
    ? 'EXPLAIN endpoint not available' : (res.body && (res.body.detail || res.body.title)) || `HTTP ${res.status}` };
  render(container);
}

function planPanel() {
  const p = state.plan;
  if (!p) return h('p', { class: 'muted' }, 'Choose "plan" on a query.');
  if (p.loading) return h('p', { class: 'muted' }, 'explaining…');
  if (p.error) return notAvailable('Plan', p.error);
  const root = Array.isArray(p.plan) ? p.plan[0].Plan : p.plan && p.plan.Plan;
  if (!root) return notAvailable('Plan', 'no plan in the answer');
  const hot = mostExpensive(root);
  return h('div', { class: 'plan' }, h('div', { class: 'sql' }, p.sql || ''),
    p.summary ? h('p', { class: 'muted' }, `total cost ${num(p.summary.totalCost)}`) : null,
    h('ul', {}, planNode(root, hot)));
}

const ownCost = n => n['Total Cost'] - (n.Plans || []).reduce((s, c) => s + c['Total Cost'], 0);

function mostExpensive(node) {
  return (node.Plans || []).map(mostExpensive).reduce((a, b) => (ownCost(b) > ownCost(a) ? b : a), node);
}

function planNode(n, hot) {
  const label = `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`;
  return h('li', {}, h('span', { class: n === hot ? 'node hot' : 'node', title: n === hot ? 'most expensive node' : null },
    label, h('span', { class: 'muted' }, `  cost ${num(n['Startup Cost'], 2)}..${num(n['Total Cost'], 2)} rows ${n['Plan Rows']}`
      + (n['Actual Total Time'] != null ? ` actual ${num(n['Actual Total Time'], 2)} ms` : ''))),
  n.Plans ? h('ul', {}, n.Plans.map(c => planNode(c, hot))) : null);
}

function suggestionList(body, container) {
  const list = Array.isArray(body) ? body : body.suggestions || [];
  if (!list.length) return h('p', { class: 'muted' }, 'No suggestions.');
  return table(['index', 'estimated gain', 'verified', ''], list.map(s => h('tr', {},
    h('td', { class: 'sql' }, s.createStatement), h('td', { class: 'num' },
      s.costReduction != null ? `${(s.costReduction * 100).toFixed(0)} %` : '–'),
    h('td', {}, s.verified ? 'HypoPG' : 'heuristic (unverified)'),
    h('td', {}, h('button', { onclick: () => verify(s, container) }, 'verify')))));
}

async function verify(s, container) {
  const index = s.createStatement;
  const res = await act('query-monitor.verify-index', { index, fingerprints: s.fingerprints || [] },
    `Start a before/after verification of ${index}?`);
  if (res && res.ok && res.body && res.body.id) state.verifications.push(res.body.id);
  else if (res) alert(`verification not started: ${res.why}`);
  render(container);
}
