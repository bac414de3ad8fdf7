// Talks only to query-monitor (same origin): its own API, the console's overview, proxy and actions.
// A failed read resolves to { ok: false, why } so one missing endpoint or one down service never breaks a page.

export async function getJson(url, headers = {}) {
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json', ...headers } });
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (res.ok) return { ok: true, status: res.status, body };
    const why = res.status === 404 && !(body && body.type && !body.type.endsWith('/not-found'))
      ? 'endpoint not available' : (body && (body.detail || body.title)) || `HTTP ${res.status}`;
    return { ok: false, status: res.status, body, why };
  } catch (e) {
    return { ok: false, status: 0, why: 'query-monitor did not answer' };
  }
}

// The admin token lives only in this tab's memory (the input field), never in storage.
export const adminToken = () => document.getElementById('token').value.trim();

/** The operator's own token as a header, when one is typed: the proxy passes it on and never adds one itself. */
export const authHeaders = () => (adminToken() ? { Authorization: `Bearer ${adminToken()}` } : {});

/**
 * GET a service's read API through the console proxy, e.g. proxied('replica-router', 'v1/nodes'). Operator
 * endpoints (rate-limiter's key status, offenders) answer 401 until the admin token is typed.
 */
export const proxied = (service, path) => getJson(`/console/api/proxy/${service}/${path}`, authHeaders());

export const serviceMetrics = service => getJson(`/console/api/metrics/${service}`);

/**
 * Runs a guarded action: asks for confirmation in a dialog, needs the typed admin token,
 * then POSTs to /console/api/actions/<action>. Resolves to { ok, status, body, why } or null if cancelled.
 */
export async function act(action, params, question) {
  const token = adminToken();
  if (!token) return { ok: false, status: 0, why: 'enter the admin token first (top right)' };
  if (!(await confirmDialog(question))) return null;
  try {
    const res = await fetch(`/console/api/actions/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...params, confirm: true }),
    });
    const text = await res.text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* plain text */ }
    return { ok: res.ok, status: res.status, body, requestId: res.headers.get('X-Request-Id'),
      why: res.ok ? null : (body && (body.detail || body.title)) || `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, status: 0, why: 'query-monitor did not answer' };
  }
}

function confirmDialog(question) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = question;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}
