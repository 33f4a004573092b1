// Talking to Podium from a page: every state-changing request carries the page's CSRF token
// (base.html puts it in <meta name="csrf-token">), and every answer is read as JSON when it is JSON.

export const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

// The headers a same-site POST needs; XMLHttpRequest users (the batch upload's progress bar) set these too.
export const csrfHeaders = (extra = {}) => ({ 'X-CSRFToken': csrfToken(), Accept: 'application/json', ...extra });

async function answer(response) {
  let data = {};
  try { data = await response.json(); } catch (_) { /* an HTML error page: keep the status */ }
  return { status: response.status, ok: response.ok, data };
}

// `fields` values are strings, or [blob, filename] pairs for files; null and undefined are left out.
export async function postForm(url, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) body.append(name, value[0], value[1]);
    else body.append(name, value);
  }
  return answer(await fetch(url, { method: 'POST', body, credentials: 'same-origin', headers: csrfHeaders() }));
}

export async function postJson(url, payload = {}) {
  return answer(await fetch(url, {
    method: 'POST', credentials: 'same-origin', body: JSON.stringify(payload),
    headers: csrfHeaders({ 'Content-Type': 'application/json' }),
  }));
}

export async function getJson(url) {
  return answer(await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
}

// For the moment a page closes: the browser sends it even as the page goes away, and nobody reads the answer.
export function beacon(url) {
  const body = new FormData();
  body.append('csrf_token', csrfToken());
  return navigator.sendBeacon(url, body);
}
