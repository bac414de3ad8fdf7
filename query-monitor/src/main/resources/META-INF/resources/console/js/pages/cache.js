// Cache: hit rate per namespace over time and per-namespace figures (cache-service GET /v1/cache/stats),
// lookups by outcome (cache-service /q/metrics), and the guarded flush (action cache-service.flush-namespace).
import { proxied, serviceMetrics, act } from '../api.js';
import { h, num, notAvailable, table, layout, slot } from '../dom.js';
import { record } from '../history.js';
import { timeChart } from '../charts.js';

let lastFlush = null;

export async function render(container) {
  const [stats, metrics] = await Promise.all([proxied('cache-service', 'v1/cache/stats'), serviceMetrics('cache-service')]);
  const namespaces = stats.ok ? namespaceRows(stats.body) : [];
  for (const n of namespaces) if (n.hitRate != null) record(`cache:${n.namespace}:hitRate`, n.hitRate);
  const fill = layout(container, () => [
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Namespaces'), slot('namespaces')),
      h('div', { class: 'panel' }, h('h2', {}, 'Hit rate per namespace over time'), slot('chart'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Lookups (whole service)'), slot('lookups')),
    h('div', { class: 'panel' }, h('h2', {}, 'Flush a namespace'),
      h('form', { class: 'inline', id: 'flush-form', onsubmit: e => { e.preventDefault(); flush(e.target.namespace.value.trim(), container); } },
        h('input', { name: 'namespace', placeholder: 'namespace', required: true }), h('button', {}, 'flush…')),
      h('p', { class: 'muted' }, 'Needs the admin token and a confirmation. Only that namespace is flushed, never the whole Redis.'),
      slot('flush-result'))]);
  fill('namespaces', stats.ok ? nsTable(namespaces) : notAvailable('Per-namespace statistics', stats.why));
  fill('chart', stats.ok ? timeChart(namespaces.map(n => `cache:${n.namespace}:hitRate`), { labels: namespaces.map(n => n.namespace) })
    : notAvailable('Hit rate over time', stats.why));
  fill('lookups', metrics.ok ? outcomes(metrics.body) : notAvailable('Lookups', metrics.why));
  fill('flush-result', lastFlush ? h('div', { class: 'result' }, lastFlush) : null);
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
