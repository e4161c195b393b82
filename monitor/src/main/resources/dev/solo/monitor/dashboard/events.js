// The Events view: a bounded window of rows over the server's history (paged with before/after),
// virtualised, live at the bottom. The window never holds more than WINDOW rows: scrolling up loads
// older pages and drops the newest, and then live rows are counted, not kept, until "Jump to live".
import { h, $, clock, count } from './dom.js';
import { get } from './api.js';
import { VList } from './vlist.js';

const PAGE = 200;
const WINDOW = 2000;

export class EventsView {
  /**
   * @param app the page: app.filters() {stream, event, q}, app.live, app.showDetail(id), app.labelOf(id)
   */
  constructor(app) {
    this.app = app;
    this.el = $('events');
    this.rows = [];
    this.hasOlder = false;
    this.detached = false; // newer rows exist on the server that the window does not hold
    this.paused = false;
    this.pending = 0;
    this.unseen = 0; // rows appended below the view while you read further up
    this.loading = false;
    this.reloading = false;
    this.generation = 0;
    this.follow = true;
    this.frame = 0; // the next frame's drawing of live rows (see drawSoon)
    this.dropped = 0; // rows dropped above the view since the last frame while you read further up
    this.list = new VList(this.el, (r) => this.row(r), (r) => app.showDetail(r.id, `${r.event} #${r.id}`));
    this.el.addEventListener('scroll', () => this.scrolled());
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') app.closeDetail();
    });
    $('jump').addEventListener('click', () => this.jumpToLive());
    $('pause').addEventListener('click', () => this.setPaused(!this.paused));
  }

  row(r) {
    const all = !this.app.filters().stream;
    return h('div', { id: `ev-${r.id}`, class: `row ev ${kind(r.event)}` },
      h('span', { role: 'gridcell', class: 'time', title: r.time }, clock(r.time)),
      all ? h('span', { role: 'gridcell', class: 'col-stream', title: r.stream }, this.app.labelOf(r.stream)) : null,
      h('span', { role: 'gridcell', class: 'event' }, r.event),
      h('span', { role: 'gridcell', class: 'tool' }, r.tool || ''),
      h('span', { role: 'gridcell', class: 'summary', title: r.summary || '' }, r.summary || ''));
  }

  /** Loads the newest page for the current filters and (re)starts the live feed after it. */
  async load() {
    const gen = ++this.generation;
    const f = this.app.filters();
    $('events-head').classList.toggle('one-stream', !!f.stream);
    this.el.classList.toggle('one-stream', !!f.stream);
    this.list.measure(); // a row of one stream has no stream line
    this.state(this.rows.length ? null : 'Loading events…');
    this.reloading = true;
    let body;
    try {
      body = await get('events', { view: 'row', limit: PAGE, stream: f.stream, event: f.event, tool: f.tool, q: f.q });
    } catch (e) {
      if (gen === this.generation) {
        this.reloading = false;
        this.rows = [];
        this.list.set(this.rows);
        this.state(`Cannot load the events: ${e.message}`, true);
      }
      return;
    }
    if (gen !== this.generation) return;
    this.reloading = false;
    this.loading = false;
    this.rows = body.events.reverse();
    this.hasOlder = body.next != null;
    this.detached = false;
    this.pending = 0;
    this.unseen = 0;
    this.follow = true;
    $('jump').hidden = true;
    this.list.selected = -1;
    this.list.set(this.rows);
    this.list.toBottom();
    this.list.render();
    this.emptyState();
    if (!performance.getEntriesByName('solo:first-rows').length) performance.mark('solo:first-rows');
    this.info();
    const newest = this.rows.length ? this.rows[this.rows.length - 1].id : 0;
    this.app.live.start({ stream: f.stream, event: f.event, q: f.q }, Math.max(body.head, newest));
  }

  emptyState() {
    const f = this.app.filters();
    if (this.rows.length) this.state(null);
    else if (f.event || f.q || f.tool) this.state('No events match these filters. Clear the search, the event or the tool filter.');
    else this.state('No events yet. Install the hooks with `solo monitor hooks install`, then use Claude Code.');
  }

  state(text, error = false) {
    const s = $('events-state');
    s.hidden = !text;
    s.textContent = text || '';
    s.classList.toggle('error', error);
  }

  /** A row from the live feed (already filtered by the server). */
  live(r) {
    const tool = this.app.filters().tool;
    if (tool && r.tool !== tool) return; // the live feed filters by event and text; the tool filter is ours
    if (this.reloading) return; // the page being loaded ends before the live cursor; it restarts after it
    if (this.paused || this.detached) {
      this.pending++;
      this.drawSoon();
      return;
    }
    if (this.rows.length && r.id <= this.rows[this.rows.length - 1].id) return;
    if (!this.follow) this.unseen++;
    this.rows.push(r);
    if (this.rows.length > WINDOW) {
      const drop = this.rows.length - WINDOW;
      this.rows.splice(0, drop);
      this.list.shift(-drop);
      this.hasOlder = true;
      if (!this.follow) this.dropped += drop; // the rows in view move up by as many: the frame scrolls back
    }
    this.drawSoon();
  }

  /**
   * Live rows come faster than frames (eight a frame at 500 a second): they are laid out once per frame.
   * Scrolling to the bottom for each row made the browser lay the page out for each, a third of its time.
   */
  drawSoon() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.emptyState();
      this.list.items = this.rows;
      const rh = this.list.rowHeight();
      if (this.dropped) {
        if (!this.follow) this.el.scrollTop -= this.dropped * rh;
        this.dropped = 0;
      }
      if (this.follow) {
        this.list.spacer.style.height = `${this.rows.length * rh}px`;
        this.list.toBottom();
      }
      this.list.render();
      this.info();
    });
  }

  scrolled() {
    // rows drawn below between a frame's scroll to the bottom and this event do not end following
    this.follow = !this.detached && (this.follow ? this.list.stillAtBottom() : this.list.atBottom());
    if (this.follow && this.unseen) { this.unseen = 0; this.info(); }
    $('jump').hidden = this.follow && !this.paused;
    if (this.loading || this.reloading) return;
    if (this.el.scrollTop < this.list.rowHeight() * 20 && this.hasOlder) this.older();
    else if (this.detached && this.el.scrollTop + this.el.clientHeight > this.el.scrollHeight - this.list.rowHeight() * 20) this.newer();
  }

  async older() {
    const f = this.app.filters();
    const gen = this.generation;
    this.loading = true;
    try {
      const body = await get('events', { view: 'row', limit: PAGE, stream: f.stream, event: f.event, tool: f.tool, q: f.q, before: this.rows[0].id });
      if (gen !== this.generation) return;
      const page = body.events.reverse();
      this.hasOlder = body.next != null;
      this.rows.unshift(...page);
      this.list.shift(page.length);
      this.el.scrollTop += page.length * this.list.rowHeight();
      if (this.rows.length > WINDOW) {
        this.rows.splice(WINDOW);
        this.detached = true;
        if (this.list.selected >= WINDOW) this.list.selected = -1;
      }
      this.list.set(this.rows);
      this.info();
    } catch (e) {
      this.app.toast(`Cannot load older events: ${e.message}`);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async newer() {
    const f = this.app.filters();
    const gen = this.generation;
    this.loading = true;
    try {
      const body = await get('events', { view: 'row', limit: PAGE, stream: f.stream, event: f.event, tool: f.tool, q: f.q, after: this.rows[this.rows.length - 1].id });
      if (gen !== this.generation) return;
      if (body.next == null) { this.loading = false; this.jumpToLive(); return; }
      this.rows.push(...body.events);
      const drop = Math.max(0, this.rows.length - WINDOW);
      this.rows.splice(0, drop);
      this.list.shift(-drop);
      this.el.scrollTop -= drop * this.list.rowHeight();
      this.hasOlder = true;
      this.list.set(this.rows);
      this.info();
    } catch (e) {
      this.app.toast(`Cannot load newer events: ${e.message}`);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  jumpToLive() {
    this.paused = false;
    $('pause').setAttribute('aria-pressed', 'false');
    $('pause').textContent = 'Pause';
    if (this.detached || this.pending) { this.load(); return; }
    this.follow = true;
    this.unseen = 0;
    this.list.toBottom();
    $('jump').hidden = true;
    this.info();
  }

  setPaused(p) {
    if (!p) { this.jumpToLive(); return; }
    this.paused = true;
    $('pause').setAttribute('aria-pressed', 'true');
    $('pause').textContent = 'Resume';
    $('jump').hidden = false;
    this.info();
  }

  info() {
    const parts = [`${count(this.rows.length)} shown`];
    if (this.hasOlder) parts.push('older above');
    if (this.pending) parts.push(`${count(this.pending)} new ${this.paused ? 'while paused' : 'below'}`);
    else if (this.paused) parts.push('paused');
    $('events-info').textContent = parts.join(' · ');
    const fresh = this.pending + this.unseen;
    $('jump').textContent = fresh ? `Jump to live (${count(fresh)} new)` : 'Jump to live';
  }

  /** Labels of streams changed: redraw the visible rows. */
  refresh() { this.list.redraw(); }
}

function kind(event) {
  if (event === 'PostToolUseFailure' || event === 'StopFailure' || event === 'PermissionDenied') return 'k-error';
  if (event === 'PermissionRequest' || event === 'Notification' || event === 'Elicitation') return 'k-wait';
  if (event === 'UserPromptSubmit') return 'k-prompt';
  return '';
}
