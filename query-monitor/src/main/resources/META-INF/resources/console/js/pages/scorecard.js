// Scorecard: query-monitor's GET /v1/validation (the rollout targets, issue 20): each target's threshold,
// measured value over the chosen window, source, verdict with its reason, and the runbook to open.
import { getJson } from '../api.js';
import { h, notAvailable, table, layout, slot } from '../dom.js';

const WINDOWS = ['1m', '5m', '1h', '24h'];
let chosen = '5m';

export async function render(container) {
  const fill = layout(container, () => [
    h('h2', {}, 'Rollout scorecard'),
    h('p', {}, 'Window ', h('select', { id: 'scorecard-window', onchange: e => { chosen = e.target.value; render(container); } },
      WINDOWS.map(w => h('option', { value: w, selected: w === chosen }, w))),
      h('span', { class: 'muted' }, ' · the same table as deploy/local/sluice validate')),
    slot('summary'), slot('targets')]);
  const res = await getJson(`/v1/validation?window=${encodeURIComponent(chosen)}`);
  if (!res.ok) {
    fill('summary', notAvailable('Scorecard', res.why));
    fill('targets');
    return;
  }
  const card = res.body;
  fill('summary', h('p', { class: 'scorecard-summary' },
    card.failed.length ? h('span', { class: 'error' }, `FAILED: ${card.failed.join(', ')}`) : h('strong', { class: 'pass' }, 'No target failed'),
    card.unknown.length ? h('span', { class: 'muted' }, ` · unknown: ${card.unknown.join(', ')}`) : '',
    h('span', { class: 'muted' }, ` · over ${card.window}, checked ${card.checkedAt}`)));
  fill('targets', table(['target', 'verdict', 'value', 'threshold', 'reason', 'source', 'runbook'], card.targets.map(t => h('tr', { 'data-target': t.id, class: `verdict-${t.verdict}` },
    h('td', { title: t.id }, t.title), h('td', { class: 'verdict' }, t.verdict.toUpperCase()),
    h('td', { class: 'num' }, t.value == null ? '–' : `${t.value} ${t.unit}`), h('td', {}, t.threshold),
    h('td', { class: 'note' }, t.reason || ''), h('td', { class: 'note' }, t.source),
    // The console serves no docs: the runbook is named by its place in the repository's docs/runbooks.md.
    h('td', { class: 'runbook' }, h('code', {}, t.runbook))))));
}
