// The chart history the services keep (each service's GET /v1/history, read through the console proxy): the first
// read brings the last hour, so a freshly opened page charts it at once; later reads ask only for the points taken
// since (?since=) and append them. Held in this tab's memory only: nothing is kept in the browser's storage.
import { proxied } from './api.js';

const MAX_AGE_MS = 60 * 60 * 1000;
const series = new Map();   // "<service>/<series>" -> [[epoch ms, value], ...], oldest first
const newest = new Map();   // service -> epoch seconds of the newest point read
const steps = new Map();    // service -> seconds between points

/** Reads a service's new history points; resolves to the proxy's answer ({ ok, why }). */
export async function refreshHistory(service) {
  const since = newest.get(service);
  const res = await proxied(service, `v1/history${since == null ? '' : `?since=${since}`}`);
  if (!res.ok || !res.body) return res;
  steps.set(service, res.body.stepSeconds);
  const now = Date.now();
  for (const [name, points] of Object.entries(res.body.series || {})) {
    const key = `${service}/${name}`;
    const list = series.get(key) || [];
    for (const [t, v] of points) {
      if (!list.length || t * 1000 > list[list.length - 1][0]) list.push([t * 1000, v]);
      if (t > (newest.get(service) ?? -Infinity)) newest.set(service, t);
    }
    while (list.length && list[0][0] < now - MAX_AGE_MS) list.shift();
    series.set(key, list);
  }
  return res;
}

/** The names of a service's series that start with prefix, e.g. names('replica-router', 'lagSeconds:'). */
export const names = (service, prefix = '') => [...series.keys()]
  .filter(k => k.startsWith(`${service}/${prefix}`)).map(k => k.slice(service.length + 1)).sort();

/** The chart key of one series: what timeChart takes. */
export const key = (service, name) => `${service}/${name}`;

export const points = k => series.get(k) || [];

/** Seconds between a service's points (its history step), once read. */
export const stepSeconds = service => steps.get(service);

/** The value of the newest point of a series, or null. */
export function latest(k) {
  const p = points(k);
  return p.length ? p[p.length - 1][1] : null;
}
