// Partitions: every set (partition-manager GET /v1/partition-sets) with its timeline of partitions, runway
// and default-partition rows (GET /v1/partition-sets/{table}); recent maintenance runs (GET /v1/runs);
// archives (GET /v1/archives) with a guarded restore into a new table (action partition-manager.restore-archive),
// and conversions (GET /v1/conversions) with their progress and ETA.
import { proxied, act } from '../api.js';
import { h, num, notAvailable, table, layout, slot } from '../dom.js';

export async function render(container) {
  const fill = layout(container, () => [
    h('h2', {}, 'Partition sets'), slot('sets'),
    h('div', { class: 'row' },
      h('div', { class: 'panel' }, h('h2', {}, 'Archives'), slot('archives')),
      h('div', { class: 'panel' }, h('h2', {}, 'Conversions'), slot('conversions'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Recent maintenance runs'), slot('runs'))]);
  const [sets, runs, archives, conversions] = await Promise.all([
    proxied('partition-manager', 'v1/partition-sets'), proxied('partition-manager', 'v1/runs?limit=10'),
    proxied('partition-manager', 'v1/archives'), proxied('partition-manager', 'v1/conversions?limit=20')]);
  const health = sets.ok ? await Promise.all(sets.body.slice(0, 20).map(s => proxied('partition-manager', `v1/partition-sets/${encodeURIComponent(s.name)}`))) : [];
  fill('sets', !sets.ok ? notAvailable('Partition sets', sets.why)
    : sets.body.length ? sets.body.slice(0, 20).map((s, i) => setPanel(s, health[i])) : h('p', { class: 'muted' }, 'No partition set defined.'));
  fill('runs', runs.ok ? runsTable(Array.isArray(runs.body) ? runs.body : runs.body.runs || []) : notAvailable('Runs', runs.why));
  fill('archives', archives.ok ? archivesTable(Array.isArray(archives.body) ? archives.body : [], container)
    : notAvailable('Archives and restore', archives.why));
  fill('conversions', conversions.ok ? conversionsTable(Array.isArray(conversions.body) ? conversions.body : [])
    : notAvailable('Conversions', conversions.why));
}

function setPanel(set, res) {
  if (!res.ok) return h('div', { class: 'panel' }, h('strong', {}, set.name), notAvailable('health', res.why));
  const s = res.body;
  const today = new Date().toISOString().slice(0, 10);
  return h('div', { class: 'panel', 'data-set': set.name },
    h('strong', {}, set.name), h('span', { class: 'muted' }, ` by ${set.column}, every ${set.interval}, keep ${set.retention ? set.retention.keep : '–'}`),
    h('p', {}, `runway ${s.runway} of ${s.premake} `, s.runwayOk ? '' : h('span', { class: 'error' }, 'LOW'),
      ` · default partition rows ${s.defaultRows}${s.defaultRowsCapped ? '+' : ''}`, s.gaps.length ? h('span', { class: 'error' }, ` · ${s.gaps.length} gaps`) : ''),
    h('div', { class: 'timeline' }, (s.partitions || []).map(p => {
      const kind = p.isDefault ? 'default' : p.to <= today ? 'past' : p.from <= today ? 'current' : 'future';
      return h('span', { class: kind, title: `${p.name}: ${p.from} – ${p.to}, ~${p.rowEstimate} rows` }, p.isDefault ? 'default' : p.from);
    })));
}

let lastRestore = null;

function archivesTable(archives, container) {
  if (!archives.length) return h('p', { class: 'muted' }, 'No archive yet.');
  return h('div', {}, table(['partition', 'range', 'rows', 'sha-256', 'restore into a new table'], archives.slice(0, 50).map(a => h('tr', {},
    h('td', {}, `${a.schema}.${a.partition}`), h('td', {}, `${a.from} – ${a.to}`), h('td', { class: 'num' }, num(a.rowCount, 0)),
    h('td', { class: 'note' }, (a.sha256 || '').slice(0, 12)),
    h('td', {}, h('form', { class: 'inline', onsubmit: e => { e.preventDefault(); restore(a, e.target.table.value.trim(), container); } },
      h('input', { name: 'table', placeholder: `${a.schema}.${a.partition}_restored`, required: true }), h('button', {}, 'restore…')))))),
    h('p', { class: 'muted' }, 'Needs the admin token and a confirmation. The rows are checked against the manifest before commit.'),
    lastRestore ? h('div', { class: 'result' }, lastRestore) : null);
}

async function restore(archive, table, container) {
  const res = await act('partition-manager.restore-archive', { archive: archive.id, table },
    `Restore ${archive.rowCount} rows of ${archive.schema}.${archive.partition} (${archive.from} – ${archive.to}) into the new table ${table}?`);
  if (!res) return;
  lastRestore = res.ok ? `restored: ${JSON.stringify(res.body)}` : `refused: ${res.why}`;
  render(container);
}

function conversionsTable(conversions) {
  if (!conversions.length) return h('p', { class: 'muted' }, 'No conversion yet.');
  return table(['table', 'phase', 'progress', 'rows copied', 'replayed', 'rows/s', 'ETA', 'error'], conversions.map(c => h('tr', { 'data-conversion': c.id },
    h('td', {}, c.table), h('td', { class: c.phase === 'FAILED' ? 'error' : '' }, c.running ? `${c.phase} (running)` : c.phase),
    h('td', { class: 'num progress' }, `${num(c.progress * 100, 0)} %`),
    h('td', { class: 'num' }, `${num(c.copiedRows, 0)} of ~${num(c.totalRows, 0)}`), h('td', { class: 'num' }, num(c.replayedChanges, 0)),
    h('td', { class: 'num' }, c.rowsPerSecond == null ? '–' : num(c.rowsPerSecond, 0)),
    h('td', { class: 'num eta' }, c.etaSeconds == null ? '–' : c.phase === 'COPYING' ? `${num(c.etaSeconds, 0)} s` : 'copied'),
    h('td', { class: 'note' }, c.error || ''))));
}

function runsTable(runs) {
  if (!runs.length) return h('p', { class: 'muted' }, 'No runs yet.');
  return table(['set', 'trigger', 'started', 'ms', 'outcome', 'error'], runs.map(r => h('tr', {},
    h('td', {}, r.set), h('td', {}, r.trigger), h('td', {}, r.startedAt), h('td', { class: 'num' }, num(r.durationMs, 0)),
    h('td', { class: r.outcome === 'ERROR' ? 'error' : '' }, r.outcome), h('td', { class: 'note' }, r.error || ''))));
}
