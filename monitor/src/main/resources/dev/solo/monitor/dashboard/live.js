// The live feed: /api/live with the current filters, read with fetch (the session travels in a header,
// which EventSource cannot send) and parsed as Server-Sent Events. It reconnects by itself with
// Last-Event-ID, so events that arrived while it was away come once, in order; it reports
// connecting / live / reconnecting / offline / unauthorized. An `elsewhere` event (no id) says events
// outside the filters arrived: another stream's activity, for the stream list.
import { authHeaders, ready, unauthorized } from './api.js';

const OFFLINE_AFTER_MS = 10_000;
/** No byte for this long (the server sends a heartbeat every 15 s): the connection is dead. */
const SILENT_MS = 40_000;

export class Live {
  /**
   * @param onRow called with each row (the short event form), in id order
   * @param onState called with 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized'
   * @param onReconnect called after the feed came back from a break (refresh derived views)
   * @param onElsewhere called when events outside the filters arrived (at most twice a second)
   */
  constructor(onRow, onState, onReconnect, onElsewhere) {
    this.onRow = onRow;
    this.onState = onState;
    this.onReconnect = onReconnect;
    this.onElsewhere = onElsewhere;
    this.abort = null;
    this.params = {};
    this.cursor = 0;
    this.brokenSince = 0;
    this.timer = null;
    this.attempt = 0;
    this.state = null;
    this.generation = 0;
    window.addEventListener('online', () => { if (this.brokenSince) this.open(); });
    // Offline (or a laptop that slept): the stream may be dead without knowing it. Drop it, resume later.
    window.addEventListener('offline', () => {
      if (this.state !== 'live' && this.state !== 'connecting') return;
      this.generation++;
      if (this.abort) this.abort.abort();
      this.broken();
    });
  }

  /** (Re)starts the feed with these filters, delivering the events after `cursor`. */
  start(params, cursor) {
    this.params = params;
    this.cursor = cursor;
    this.brokenSince = 0;
    this.attempt = 0;
    this.open();
  }

  async open() {
    clearTimeout(this.timer);
    if (this.abort) this.abort.abort();
    const generation = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    if (!this.brokenSince) this.set('connecting');
    await ready;
    const q = new URLSearchParams({ view: 'row', elsewhere: 'true' });
    for (const [k, v] of Object.entries(this.params)) if (v) q.set(k, v);
    let res;
    try {
      res = await fetch(`/api/live?${q}`, {
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(this.cursor), ...authHeaders() },
        cache: 'no-store',
        signal: abort.signal,
      });
    } catch (e) {
      if (generation === this.generation) this.broken();
      return;
    }
    if (generation !== this.generation) { abort.abort(); return; }
    if (res.status === 401) {
      abort.abort();
      this.set('unauthorized');
      unauthorized(401);
      return;
    }
    if (!res.ok || !res.body) {
      abort.abort();
      this.broken();
      return;
    }
    const wasBroken = this.brokenSince !== 0;
    this.brokenSince = 0;
    this.attempt = 0;
    this.set('live');
    if (wasBroken) this.onReconnect();
    await this.read(res.body, abort, generation);
    if (generation === this.generation) this.broken();
  }

  /** Reads SSE frames until the stream ends, breaks, or falls silent past the heartbeat. */
  async read(body, abort, generation) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let watchdog = setTimeout(() => abort.abort(), SILENT_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || generation !== this.generation) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => abort.abort(), SILENT_MS);
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      // aborted, or the connection broke: the caller reconnects
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** One SSE event: `event:`, `id:` and `data:` lines; comments (`:`) and `retry:` are skipped. */
  frame(text) {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of text.split('\n')) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    if (type === 'elsewhere') { this.onElsewhere(); return; }
    if (type !== 'message' || id === null || !data.length) return;
    const n = Number(id);
    if (!(n > this.cursor)) return; // already shown
    this.cursor = n;
    this.onRow(JSON.parse(data.join('\n')));
  }

  broken() {
    if (this.state === 'unauthorized') return;
    if (!this.brokenSince) this.brokenSince = Date.now();
    this.set(Date.now() - this.brokenSince > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), Math.min(5000, 500 * this.attempt));
  }

  set(state) {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }
}
