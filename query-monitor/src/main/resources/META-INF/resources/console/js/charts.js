// Charts with uPlot (org.webjars.npm:uplot, served from the query-monitor jar; no CDN).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { points } from './history.js';
import { h } from './dom.js';

const COLOURS = ['#0969da', '#bf8700', '#cf222e', '#1a7f37', '#8250df', '#57606a'];

/**
 * A time chart of the named history series (keys of history.js). Series are aligned on the union of their
 * timestamps; scale maps each value (e.g. decisions per step to per minute). Returns a placeholder while there are
 * fewer than two points. The chart element carries data-points (timestamps drawn) and data-first (epoch ms).
 */
export function timeChart(names, { labels = names, width = 420, height = 140, sparkline = false, scale = v => v } = {}) {
  const data = align(names.map(n => points(n).map(([t, v]) => [t, scale(v)])));
  if (data[0].length < 2) return h('span', { class: 'muted' }, sparkline ? 'collecting…' : 'collecting data…');
  const el = h('div', { class: sparkline ? 'spark' : 'chart', 'data-points': data[0].length, 'data-first': data[0][0] * 1000 });
  const opts = {
    width, height,
    legend: { show: !sparkline },
    cursor: { show: !sparkline },
    axes: sparkline ? [{ show: false }, { show: false }] : [{}, { size: 50 }],
    series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 1.5, points: { show: !sparkline } }))],
    scales: { x: { time: true } },
  };
  new uPlot(opts, data, el);
  return el;
}

function align(seriesPoints) {
  const times = [...new Set(seriesPoints.flatMap(p => p.map(([t]) => t)))].sort((a, b) => a - b);
  const columns = seriesPoints.map(p => {
    const byTime = new Map(p);
    return times.map(t => (byTime.has(t) ? byTime.get(t) : null));
  });
  return [times.map(t => t / 1000), ...columns];
}
