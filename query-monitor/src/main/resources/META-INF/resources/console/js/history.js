// What the console has observed since it was opened: one bounded ring of [time, value] per series,
// kept in sessionStorage so switching pages or reloading keeps the charts. The services serve current
// figures, not history, so charts cover the time this tab has been watching (at most one hour).
const MAX_AGE_MS = 60 * 60 * 1000;
const MAX_SERIES = 300;
const KEY = 'sluice-console-history';
const series = new Map(Object.entries(JSON.parse(sessionStorage.getItem(KEY) || '{}')));

export function record(name, value, now = Date.now()) {
  if (value == null || Number.isNaN(value)) return;
  let points = series.get(name);
  if (!points) {
    if (series.size >= MAX_SERIES) series.delete(series.keys().next().value);
    points = [];
    series.set(name, points);
  }
  points.push([now, value]);
  while (points.length && points[0][0] < now - MAX_AGE_MS) points.shift();
}

export const points = name => series.get(name) || [];

export function save() {
  try { sessionStorage.setItem(KEY, JSON.stringify(Object.fromEntries(series))); } catch { /* full: keep memory only */ }
}

/** The increase per minute of a counter between its last two observations (null before there are two). */
export function ratePerMinute(name) {
  const p = points(name);
  if (p.length < 2) return null;
  const [[t0, v0], [t1, v1]] = [p[p.length - 2], p[p.length - 1]];
  return t1 > t0 && v1 >= v0 ? (v1 - v0) * 60000 / (t1 - t0) : null;
}
