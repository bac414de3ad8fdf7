// Hash router and auto-refresh. Each page module exports render(container) and returns nothing;
// it is called again every REFRESH_MS, so pages must be idempotent and keep their own small state.
import * as overview from './pages/overview.js';
import * as queries from './pages/queries.js';
import * as replicas from './pages/replicas.js';
import * as cache from './pages/cache.js';
import * as ratelimits from './pages/ratelimits.js';
import * as partitions from './pages/partitions.js';
import * as scorecard from './pages/scorecard.js';

const PAGES = { overview, queries, replicas, cache, ratelimits, partitions, scorecard };
const REFRESH_MS = 5000;
let timer = null;
let rendering = false;

function current() {
  const name = location.hash.replace('#', '').split('/')[0];
  return PAGES[name] ? name : 'overview';
}

async function refresh() {
  if (rendering) return;
  rendering = true;
  const name = current();
  const container = document.getElementById('page');
  container.dataset.page = name;
  try {
    await PAGES[name].render(container);
    document.getElementById('refreshed').textContent = `refreshed ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    console.error(e);
    document.getElementById('refreshed').textContent = `refresh failed: ${e.message}`;
  } finally {
    rendering = false;
  }
}

function show() {
  const name = current();
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${name}`);
  const page = document.getElementById('page');
  page.replaceChildren();
  delete page.dataset.built;
  clearInterval(timer);
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
}

document.getElementById('token-form').addEventListener('submit', e => e.preventDefault());
window.addEventListener('hashchange', show);
show();
