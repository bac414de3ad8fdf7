// Overview: one card per service (GET /console/api/overview): health with the reason, and the key figure.
import { getJson } from '../api.js';
import { h, notAvailable } from '../dom.js';

const TITLES = {
  'query-monitor': 'Query monitor', 'replica-router': 'Replica router', 'cache-service': 'Cache service',
  'rate-limiter': 'Rate limiter', 'partition-manager': 'Partition manager',
};

export async function render(container) {
  const res = await getJson('/console/api/overview');
  if (!res.ok) {
    container.replaceChildren(notAvailable('Overview', res.why));
    return;
  }
  container.replaceChildren(h('div', { class: 'cards' }, res.body.map(card)));
}

function card(c) {
  const f = c.figure;
  return h('section', { class: `card ${c.status}`, 'data-service': c.service },
    h('div', {}, h('strong', {}, TITLES[c.service] || c.service), ' ', h('span', { class: 'status' }, c.status)),
    c.reason ? h('div', { class: 'note error' }, c.reason) : null,
    h('div', { class: 'muted' }, f.label),
    h('div', { class: 'figure' }, f.value == null ? '–' : format(f)),
    f.note ? h('div', { class: 'note sql' }, f.note) : null);
}

function format(f) {
  if (f.unit === 'ratio') return `${(f.value * 100).toFixed(1)} %`;
  if (f.unit === 'ms') return `${f.value.toFixed(1)} ms`;
  if (f.unit === 's') return `${f.value.toFixed(2)} s`;
  if (f.unit === 'per minute') return f.value.toFixed(1);
  return `${f.value} ${f.unit || ''}`;
}
