// Replicas & pools: nodes and lag (replica-router GET /v1/nodes), lag and statements routed over the last hour
// (replica-router GET /v1/history), routing split (replica-router /q/metrics: sluice_replicarouter_routed_total by
// target and reason),
// pools against the 60–80 % band (GET /v1/pools), and the failover dry run (action replica-router.failover-dry-run).
import { proxied, serviceMetrics, act } from '../api.js';
import { h, num, notAvailable, table, layout, slot } from '../dom.js';
import { refreshHistory, names, key, stepSeconds } from '../history.js';
import { timeChart } from '../charts.js';

let lastDryRun = null;

export async function render(container) {
  const [nodes, pools, metrics, history] = await Promise.all([
    proxied('replica-router', 'v1/nodes'), proxied('replica-router', 'v1/pools'), serviceMetrics('replica-router'),
    refreshHistory('replica-router')]);
  const fill = layout(container, () => [
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Nodes'), slot('nodes')),
      h('div', { class: 'panel' }, h('h2', {}, 'Replica lag (s), last hour'), slot('lag'))),
    slot('dry-run'),
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Routing split'), slot('routing')),
      h('div', { class: 'panel' }, h('h2', {}, 'Statements routed per minute, last hour'), slot('routed-chart'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Pools (target band 60–80 %)'), slot('pools'))]);
  fill('nodes', nodes.ok ? nodeTable(nodes.body, container) : notAvailable('Nodes', nodes.why));
  fill('lag', history.ok ? lagChart() : notAvailable('Lag over time', history.why));
  fill('routed-chart', history.ok ? routedChart() : notAvailable('Statements routed over time', history.why));
  fill('dry-run', lastDryRun ? h('div', { class: 'panel' }, h('h2', {}, 'Failover dry run'), h('div', { class: 'result', id: 'dry-run' }, lastDryRun)) : null);
  fill('routing', metrics.ok ? routing(metrics.body) : notAvailable('Routing split', metrics.why));
  fill('pools', pools.ok ? poolTable(pools.body) : notAvailable('Pools', pools.why));
}

function nodeTable(nodes, container) {
  return table(['node', 'role', 'state', 'lag (s)', 'LSN', 'outstanding', 'last error', ''], nodes.map(n => h('tr', {},
    h('td', {}, n.name), h('td', {}, n.role), h('td', { class: n.up ? '' : 'error' }, n.up ? 'up' : 'DOWN', n.circuitOpen ? ' (circuit open)' : ''),
    h('td', { class: 'num' }, num(n.lagSeconds, 2)), h('td', {}, n.lsn || '–'), h('td', { class: 'num' }, n.outstanding),
    h('td', { class: 'note' }, n.lastError || ''),
    h('td', {}, n.role === 'primary' ? '' : h('button', { onclick: () => dryRun(n.name, container) }, 'failover dry run')))));
}

function lagChart() {
  const lag = names('replica-router', 'lagSeconds:');
  if (!lag.length) return h('p', { class: 'muted' }, 'No replica measured in the last hour.');
  return timeChart(lag.map(n => key('replica-router', n)), { labels: lag.map(n => n.slice('lagSeconds:'.length)) });
}

// Points hold the statements routed since the previous one (one step): per minute = value × 60 / step.
function routedChart() {
  const step = stepSeconds('replica-router');
  const routed = names('replica-router', 'routed:');
  return timeChart(routed.map(n => key('replica-router', n)),
    { labels: routed.map(n => `to ${n.slice('routed:'.length)}`), scale: v => (v * 60) / step });
}

async function dryRun(node, container) {
  const res = await act('replica-router.failover-dry-run', { node },
    `Ask the router what promoting ${node} would do? (dry run: nothing changes)`);
  if (!res) return;
  lastDryRun = res.ok ? JSON.stringify(res.body, null, 2) : `refused: ${res.why}`;
  render(container);
}

function routing(samples) {
  const routed = samples.filter(s => s.name === 'sluice_replicarouter_routed_total' && s.value > 0);
  if (!routed.length) return h('p', { class: 'muted' }, 'Nothing routed yet.');
  const total = routed.reduce((a, s) => a + s.value, 0);
  return table(['target', 'reason', 'statements', 'share'], routed.sort((a, b) => b.value - a.value).map(s => h('tr', {},
    h('td', {}, s.labels.target), h('td', {}, s.labels.reason), h('td', { class: 'num' }, s.value),
    h('td', { class: 'num' }, `${(100 * s.value / (total || 1)).toFixed(1)} %`))));
}

function poolTable(pools) {
  return table(['node', 'size', 'in use', 'waiting', 'utilisation', '', 'acquire p95 (ms)', 'suspected leaks', 'recommended size'],
    pools.map(p => h('tr', {},
      h('td', {}, p.node), h('td', { class: 'num' }, p.maxSize), h('td', { class: 'num' }, p.inUse), h('td', { class: 'num' }, p.waiting),
      h('td', { class: 'num' }, `${(p.utilisation * 100).toFixed(0)} %`),
      h('td', {}, h('div', { class: 'bar', title: '60–80 % band' }, h('div', { class: 'band' }),
        h('div', { class: 'fill', style: `width:${Math.min(100, p.utilisation * 100)}%` }))),
      h('td', { class: 'num' }, num(p.acquireMs && p.acquireMs.p95, 2)),
      h('td', { class: (p.suspectedLeaks || []).length ? 'error' : '' }, (p.suspectedLeaks || []).length),
      h('td', { title: p.recommendation && p.recommendation.reasoning }, p.recommendation ? p.recommendation.size : '–'))));
}
