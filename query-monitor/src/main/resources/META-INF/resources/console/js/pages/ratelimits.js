// Rate limits: decisions by tier over the last hour (rate-limiter GET /v1/history), decisions since start
// (rate-limiter /q/metrics: sluice_ratelimiter_decisions_total by tier and result), top offenders (GET /v1/ratelimit/offenders), client look-up (GET /v1/ratelimit/keys/{key}) and
// the tier change (action rate-limiter.tier, i.e. PUT /v1/ratelimit/keys/{key}).
import { proxied, serviceMetrics, act } from '../api.js';
import { h, notAvailable, table, layout, slot } from '../dom.js';
import { refreshHistory, names, key, points, stepSeconds } from '../history.js';
import { timeChart } from '../charts.js';

const TIERS = ['free', 'standard', 'pro', 'enterprise'];
const state = { key: null, message: null };

export async function render(container) {
  const fill = layout(container, () => [
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Decisions per minute by tier'), slot('decisions-chart'), slot('decisions')),
      h('div', { class: 'panel' }, h('h2', {}, 'Top offenders (last hour)'), slot('offenders'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Client look-up'),
      h('form', { class: 'inline', id: 'lookup-form', onsubmit: e => { e.preventDefault(); state.key = e.target.key.value.trim(); state.message = null; render(container); } },
        h('input', { name: 'key', placeholder: 'API key', autocomplete: 'off', required: true }), h('button', {}, 'look up')),
      slot('client'))]);
  const [metrics, offenders, client, history] = await Promise.all([
    serviceMetrics('rate-limiter'), proxied('rate-limiter', 'v1/ratelimit/offenders?window=1h&limit=10'),
    state.key ? proxied('rate-limiter', `v1/ratelimit/keys/${encodeURIComponent(state.key)}`) : null,
    refreshHistory('rate-limiter')]);
  fill('decisions-chart', history.ok ? decisionsChart() : notAvailable('Decisions over time', history.why));
  fill('decisions', metrics.ok ? decisionsTable(metrics.body) : null);
  fill('offenders', offenders.ok ? offendersTable(offenders.body.offenders) : notAvailable('Offenders', offenders.why));
  fill('client', client ? clientPanel(client, container) : h('p', { class: 'muted' }, 'Enter a key to see its tier and remaining quota.'));
}

function byTier(samples) {
  const totals = {};
  for (const s of samples.filter(x => x.name === 'sluice_ratelimiter_decisions_total')) {
    const t = (totals[s.labels.tier] ||= { allowed: 0, limited: 0 });
    t[s.labels.result === 'limited' ? 'limited' : 'allowed'] += s.value;
  }
  return totals;
}

// Points hold the decisions made since the previous one (one step): per minute = value × 60 / step. Only the
// tier/result pairs with a decision in the last hour are drawn.
function decisionsChart() {
  const step = stepSeconds('rate-limiter');
  const made = names('rate-limiter', 'decisions:').filter(n => points(key('rate-limiter', n)).some(([, v]) => v > 0));
  return made.length ? timeChart(made.map(n => key('rate-limiter', n)),
    { labels: made.map(n => n.split(':').slice(1, 3).join(' ')), scale: v => (v * 60) / step })
    : h('p', { class: 'muted' }, `No decision in the last hour's points yet (one every ${step ?? '?'} s).`);
}

function decisionsTable(samples) {
  const totals = byTier(samples);
  return table(['tier', 'allowed', 'limited'], Object.entries(totals).map(([tier, t]) => h('tr', {},
    h('td', {}, tier), h('td', { class: 'num' }, t.allowed), h('td', { class: 'num' }, t.limited))));
}

function offendersTable(list) {
  if (!list.length) return h('p', { class: 'muted' }, 'No rejected requests in the window.');
  return table(['key (hash)', 'rejected'], list.map(o => h('tr', {}, h('td', { class: 'sql' }, o.keyHash), h('td', { class: 'num' }, o.rejected))));
}

function clientPanel(res, container) {
  if (!res.ok) return notAvailable('Client status', res.why);
  const s = res.body;
  const select = h('select', { id: 'tier-select' }, TIERS.map(t => h('option', { value: t, selected: t === s.tier }, t)));
  return h('div', { id: 'client-status', 'data-tier': s.tier },
    h('p', {}, 'Tier ', h('strong', { id: 'client-tier' }, s.tier), s.shadow ? ' (shadow)' : '', h('span', { class: 'muted' }, `  key hash ${s.keyHash}`)),
    table(['policy', 'limit', 'window (s)', 'burst', 'remaining', 'reset (s)'], s.policies.map(p => h('tr', {},
      h('td', {}, p.name), h('td', { class: 'num' }, p.limit), h('td', { class: 'num' }, p.window), h('td', { class: 'num' }, p.burst),
      h('td', { class: 'num' }, p.remaining), h('td', { class: 'num' }, p.reset)))),
    h('form', { class: 'inline', onsubmit: e => { e.preventDefault(); changeTier(select.value, container); } },
      'Change tier to ', select, h('button', { id: 'tier-change' }, 'apply…')),
    state.message ? h('div', { class: 'result', id: 'tier-result' }, state.message) : null);
}

async function changeTier(tier, container) {
  const res = await act('rate-limiter.tier', { key: state.key, tier }, `Set this API key to tier "${tier}"? It applies on its next request.`);
  if (!res) return;
  state.message = res.ok ? `tier set to ${res.body.tier} (request ${res.requestId || '?'})` : `refused: ${res.why}`;
  render(container);
}
