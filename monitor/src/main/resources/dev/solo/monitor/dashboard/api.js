// The monitor's HTTP API, same origin. Access comes from a dashboard session, never a cookie (cookies are
// shared by every port of localhost): `solo monitor open` opens /#login=<one-time code>; this module takes
// the code out of the address bar, exchanges it once for a session (POST /api/session), keeps the session in
// sessionStorage (this tab and this origin only) and sends it as `Authorization: Session <id>`.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const KEY = 'solo.session';
const listeners = new Set();
let session = null;
let refusal = '';
try { session = sessionStorage.getItem(KEY); } catch (e) { /* no storage: log in on every load */ }

/** fn(status) for every 401, so the page can show its "no access" state. */
export function onUnauthorized(fn) { listeners.add(fn); }

/** Why the last login failed (the server's words), or '' when it did not. */
export function loginProblem() { return refusal; }

/** The headers that carry the session; {} without one. */
export function authHeaders() { return session ? { Authorization: `Session ${session}` } : {}; }

/** Reports a 401: the session is gone (expired, monitor restarted, token rotated). */
export function unauthorized(status = 401) {
  session = null;
  try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing stored */ }
  listeners.forEach((fn) => fn(status));
}

/** The login code in the fragment (#login=…), removed from the address bar and history at once. */
function takeCode() {
  const m = /^#login=([A-Za-z0-9_-]{16,128})$/.exec(location.hash);
  if (!m) return null;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return m[1];
}

async function exchange(code) {
  let res;
  try {
    res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
  } catch (e) {
    refusal = 'the monitor does not answer (is it running? `solo monitor status`)';
    return;
  }
  if (!res.ok) {
    try { refusal = (await res.json()).error || `${res.status}`; } catch (e) { refusal = `${res.status} ${res.statusText}`; }
    return;
  }
  session = (await res.json()).session;
  refusal = '';
  try { sessionStorage.setItem(KEY, session); } catch (e) { /* kept in memory only */ }
}

const code = takeCode();
/** Settles once the login code of this page load (if any) was exchanged. */
export const ready = code ? exchange(code) : Promise.resolve();

// A login link opened in a tab that already shows the page only changes the fragment: log in, then reload.
window.addEventListener('hashchange', async () => {
  const fresh = takeCode();
  if (!fresh) return;
  await exchange(fresh);
  location.reload();
});

async function call(method, path, params, body) {
  await ready;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') q.append(k, v);
  const url = `/api/${path}${q.toString() ? `?${q}` : ''}`;
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'the monitor does not answer (is it running? `solo monitor status`)');
  }
  if (res.status === 401) unauthorized(401);
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  return res;
}

/** GET /api/<path>?params as JSON; throws ApiError (status 0: the monitor could not be reached). */
export async function get(path, params = {}) {
  return (await call('GET', path, params)).json();
}

/** POST /api/<path> with a JSON body; the answer as JSON, or null when it has none. */
export async function post(path, body) {
  const res = await call('POST', path, {}, body ?? {});
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** Downloads GET /api/<path> as a file named `filename` (the session goes in a header, so no plain link). */
export async function download(path, filename) {
  const blob = await (await call('GET', path, {})).blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
