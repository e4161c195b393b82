// The monitor's HTTP API, same origin. The token travels in the HttpOnly cookie set by /?token=.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const listeners = new Set();
/** fn(status) for every 401, so the page can show its "no access" state. */
export function onUnauthorized(fn) { listeners.add(fn); }

/** GET /api/<path>?params as JSON; throws ApiError (status 0: the monitor could not be reached). */
export async function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.append(k, v);
  const url = `/api/${path}${q.toString() ? `?${q}` : ''}`;
  let res;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(0, 'the monitor does not answer (is it running? `solo monitor status`)');
  }
  if (res.status === 401) listeners.forEach((fn) => fn(401));
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  return res.json();
}

/** POST /api/<path> with `body` as JSON; the parsed JSON answer, or null when it has none. Throws ApiError. */
export async function post(path, body) {
  let res;
  try {
    res = await fetch(`/api/${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch (e) {
    throw new ApiError(0, 'the monitor does not answer (is it running? `solo monitor status`)');
  }
  if (res.status === 401) listeners.forEach((fn) => fn(401));
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}
