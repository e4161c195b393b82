// The live feed: one EventSource on /api/live with the current filters. It reconnects by itself,
// resuming after the last id it saw, and reports live / reconnecting / offline.
import { get } from './api.js';

const OFFLINE_AFTER_MS = 10_000;

export class Live {
  /**
   * @param onRow called with each row (the short event form), in id order
   * @param onState called with 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized'
   * @param onReconnect called after the feed came back from a break (refresh derived views)
   */
  constructor(onRow, onState, onReconnect) {
    this.onRow = onRow;
    this.onState = onState;
    this.onReconnect = onReconnect;
    this.source = null;
    this.params = {};
    this.cursor = 0;
    this.brokenSince = 0;
    this.timer = null;
    this.attempt = 0;
    this.state = null;
    window.addEventListener('online', () => { if (this.brokenSince) this.open(); });
  }

  /** (Re)starts the feed with these filters, delivering the events after `cursor`. */
  start(params, cursor) {
    this.params = params;
    this.cursor = cursor;
    this.brokenSince = 0;
    this.attempt = 0;
    this.open();
  }

  open() {
    clearTimeout(this.timer);
    if (this.source) this.source.close();
    const q = new URLSearchParams({ view: 'row', last_event_id: String(this.cursor) });
    for (const [k, v] of Object.entries(this.params)) if (v) q.set(k, v);
    const es = new EventSource(`/api/live?${q}`);
    this.source = es;
    if (!this.brokenSince) this.set('connecting');
    es.onopen = () => {
      const wasBroken = this.brokenSince !== 0;
      this.brokenSince = 0;
      this.attempt = 0;
      this.set('live');
      if (wasBroken) this.onReconnect();
    };
    es.onmessage = (m) => {
      const id = Number(m.lastEventId);
      if (id <= this.cursor) return; // already shown
      this.cursor = id;
      this.onRow(JSON.parse(m.data));
    };
    es.onerror = () => {
      if (this.source !== es) return;
      if (!this.brokenSince) this.brokenSince = Date.now();
      this.set(Date.now() - this.brokenSince > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        // The server answered with an error, or the browser gave up: retry ourselves, after the last id.
        this.attempt++;
        const delay = Math.min(5000, 500 * this.attempt);
        this.timer = setTimeout(() => this.probe(), delay);
      } else if (this.attempt++ > 2) {
        // The browser's own retries resume from the id of the last message it got, which is ours.
        es.close();
        this.timer = setTimeout(() => this.probe(), Math.min(5000, 500 * this.attempt));
      }
    };
  }

  async probe() {
    try {
      await get('streams');
    } catch (e) {
      if (e.status === 401) { this.set('unauthorized'); return; }
      this.set(Date.now() - this.brokenSince > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting');
      this.attempt++;
      this.timer = setTimeout(() => this.probe(), Math.min(5000, 500 * this.attempt));
      return;
    }
    this.open();
  }

  set(state) {
    if (state === this.state) return;
    this.state = state;
    this.onState(state);
  }
}
