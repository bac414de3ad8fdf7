// Tiny DOM helpers: build elements without innerHTML, so service data is never parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const num = (v, digits = 1) => (v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(digits));

export function notAvailable(what, why) {
  return h('p', { class: 'na' }, `${what}: not available${why ? ` (${why})` : ''}`);
}

export function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))),
    h('tbody', {}, rows));
}

/**
 * Builds a page's skeleton (forms included) once, so auto-refresh never clears what the operator is typing;
 * returns fill(name, ...children) that replaces only the content of one data-slot.
 */
export function layout(container, build) {
  if (container.dataset.built !== container.dataset.page) {
    container.replaceChildren(...[build()].flat());
    container.dataset.built = container.dataset.page;
  }
  return (name, ...children) => container.querySelector(`[data-slot="${name}"]`).replaceChildren(...children.flat().filter(c => c != null));
}

export const slot = (name, attrs = {}) => h('div', { ...attrs, 'data-slot': name });
