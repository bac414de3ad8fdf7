// Cache: per-namespace figures (cache-service GET /v1/cache/stats), hit rate and invalidation lag over the last hour
// (cache-service GET /v1/history), lookups by outcome and the invalidation lag since start (cache-service
// /q/metrics), and the guarded flush (action cache-service.flush-namespace).
import { proxied, serviceMetrics, act } from '../api.js';
import { h, num, notAvailable, table, layout, slot } from '../dom.js';
import { refreshHistory, names, key, latest } from '../history.js';
import { timeChart } from '../charts.js';

let lastFlush = null;

export async function render(container) {
  const [stats, metrics, history] = await Promise.all([proxied('cache-service', 'v1/cache/stats'),
    serviceMetrics('cache-service'), refreshHistory('cache-service')]);
  const namespaces = stats.ok ? namespaceRows(stats.body) : [];
  const fill = layout(container, () => [
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Namespaces'), slot('namespaces')),
      h('div', { class: 'panel' }, h('h2', {}, 'Hit rate over the last hour'), slot('chart'))),
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Lookups (whole service)'), slot('lookups')),
      h('div', { class: 'panel', id: 'invalidation-lag' }, h('h2', {}, 'Invalidation lag (write committed → cache invalidated)'),
        slot('lag-figure'), slot('lag-chart'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Flush a namespace'),
      h('form', { class: 'inline', id: 'flush-form', onsubmit: e => { e.preventDefault(); flush(e.target.namespace.value.trim(), container); } },
        h('input', { name: 'namespace', placeholder: 'namespace', required: true }), h('button', {}, 'flush…')),
      h('p', { class: 'muted' }, 'Needs the admin token and a confirmation. Only that namespace is flushed, never the whole Redis.'),
      slot('flush-result'))]);
  fill('namespaces', stats.ok ? nsTable(namespaces) : notAvailable('Per-namespace statistics', stats.why));
  fill('chart', history.ok ? hitRateChart() : notAvailable('Hit rate over time', history.why));
  fill('lag-figure', lagFigure(metrics));
  fill('lag-chart', history.ok ? timeChart([key('cache-service', 'invalidationLagSeconds')], { labels: ['mean lag (s)'] })
    : notAvailable('Invalidation lag over time', history.why));
  fill('lookups', metrics.ok ? outcomes(metrics.body) : notAvailable('Lookups', metrics.why));
  fill('flush-result', lastFlush ? h('div', { class: 'result' }, lastFlush) : null);
}

// Every namespace together ("all"), and the namespaces named in cache-service's stats.metric-namespaces.
function hitRateChart() {
  const named = names('cache-service', 'hitRate:');
  const all = ['hitRate', ...named];
  return timeChart(all.map(n => key('cache-service', n)), { labels: ['all', ...named.map(n => n.slice('hitRate:'.length))] });
}

// The newest step's mean (history) and the mean since start (the lag timer's sum / count in /q/metrics).
function lagFigure(metrics) {
  const last = latest(key('cache-service', 'invalidationLagSeconds'));
  const sample = name => metrics.ok ? (metrics.body.find(s => s.name === name) || {}).value : null;
  const count = sample('sluice_cacheservice_invalidation_lag_seconds_count');
  const sum = sample('sluice_cacheservice_invalidation_lag_seconds_sum');
  return h('p', { class: 'figure-line' },
    h('span', { id: 'invalidation-lag-last' }, last == null ? 'no invalidation in the last hour' : `latest: ${num(last, 3)} s`),
    h('span', { class: 'muted' }, count ? ` · since start: ${num(sum / count, 3)} s mean over ${count} invalidations` : ''));
}

// /v1/cache/stats is being built; accept { namespaces: [...] } or { namespaces: { name: {...} } }.
function namespaceRows(body) {
  const ns = body && body.namespaces;
  const rows = Array.isArray(ns) ? ns : Object.entries(ns || {}).map(([namespace, v]) => ({ namespace, ...v }));
  return rows.map(r => ({ ...r, hitRate: r.hitRate != null ? r.hitRate
    : (r.hits != null && (r.hits + (r.misses || 0)) > 0 ? r.hits / (r.hits + (r.misses || 0)) : null) }));
}

function nsTable(rows) {
  if (!rows.length) return h('p', { class: 'muted' }, 'No namespace used yet.');
  const keys = [...new Set(rows.flatMap(r => Object.keys(r)))].filter(k => k !== 'namespace' && k !== 'hitRate' && typeof rows[0][k] !== 'object');
  return table(['namespace', 'hit rate', ...keys], rows.map(r => h('tr', {}, h('td', {}, r.namespace),
    h('td', { class: 'num' }, r.hitRate == null ? '–' : `${(r.hitRate * 100).toFixed(1)} %`),
    keys.map(k => h('td', { class: 'num' }, typeof r[k] === 'number' ? num(r[k], Number.isInteger(r[k]) ? 0 : 2) : String(r[k] ?? ''))))));
}

function outcomes(samples) {
  const lookups = samples.filter(s => s.name === 'sluice_cacheservice_lookups_total');
  if (!lookups.length) return h('p', { class: 'muted' }, 'No lookups yet.');
  return table(['outcome', 'lookups'], lookups.map(s => h('tr', {}, h('td', {}, s.labels.outcome), h('td', { class: 'num' }, s.value))));
}

async function flush(namespace, container) {
  const res = await act('cache-service.flush-namespace', { namespace }, `Flush every entry of cache namespace "${namespace}"?`);
  if (!res) return;
  lastFlush = res.ok ? `flushed: ${JSON.stringify(res.body)}` : `refused: ${res.why}`;
  render(container);
}
