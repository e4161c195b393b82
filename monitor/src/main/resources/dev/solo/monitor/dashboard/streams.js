// The stream dropdown: "All streams (N)", then each stream with its activity dot, label, unread
// count and status; "waiting for you" first, then by last activity (the server's order). The list
// re-sorts as streams change, but the selection and the keyboard focus stay on the same stream.
import { h, $, when, count } from './dom.js';

const ACTIVE_MS = 30_000;
const STATUS = { working: 'working', waiting: 'waiting for you', idle: 'idle', ended: 'ended' };

export class StreamPicker {
  /** @param onPick (streamId or '') => void, only when the user picks */
  constructor(onPick) {
    this.onPick = onPick;
    this.button = $('stream-button');
    this.list = $('stream-list');
    this.streams = [];
    this.selected = '';
    this.active = '';
    this.now = Date.now();
    this.skew = 0;
    this.seenKey = `solo.seen.${location.port || '80'}`;
    this.seen = this.loadSeen();
    this.loaded = false;
    this.button.addEventListener('click', () => (this.list.hidden ? this.open() : this.close(true)));
    this.button.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); this.open(); }
    });
    this.list.addEventListener('keydown', (e) => this.key(e));
    this.list.addEventListener('click', (e) => {
      const li = e.target.closest('[role=option]');
      if (li) this.pick(li.dataset.id);
    });
    document.addEventListener('mousedown', (e) => {
      if (!this.list.hidden && !e.target.closest('.picker')) this.close(false);
    });
  }

  loadSeen() {
    try { return JSON.parse(localStorage.getItem(this.seenKey)) || {}; } catch (e) { return {}; }
  }

  saveSeen() {
    try { localStorage.setItem(this.seenKey, JSON.stringify(this.seen)); } catch (e) { /* private mode */ }
  }

  /** New data from GET /api/streams. */
  update(body) {
    this.streams = body.streams;
    this.skew = Date.now() - Date.parse(body.now);
    const ids = new Set(this.streams.map((s) => s.id));
    let changed = false;
    for (const s of this.streams) {
      // What was there before the page opened starts as read; a stream that appears while it is open
      // is all unread; the one you look at stays read.
      if (s.id === this.selected || !(s.id in this.seen)) {
        const read = s.id === this.selected || !this.loaded ? s.events : 0;
        if (this.seen[s.id] !== read) { this.seen[s.id] = read; changed = true; }
      }
    }
    this.loaded = true;
    for (const id of Object.keys(this.seen)) if (!ids.has(id)) { delete this.seen[id]; changed = true; }
    if (changed) this.saveSeen();
    this.render();
  }

  stream(id) { return this.streams.find((s) => s.id === id); }

  unread(s) { return Math.max(0, s.events - (this.seen[s.id] ?? s.events)); }

  isActive(s) { return s.status !== 'ended' && Date.now() - this.skew - Date.parse(s.last_seen) < ACTIVE_MS; }

  /** Selects without telling onPick (from the URL at start). */
  setSelected(id) {
    this.selected = id;
    const s = this.stream(id);
    if (s) { this.seen[id] = s.events; this.saveSeen(); }
    this.render();
  }

  options() {
    return [{ id: '', all: true }, ...this.streams];
  }

  render() {
    const sel = this.stream(this.selected);
    this.button.replaceChildren(...(sel ? this.content(sel) : [h('span', { class: 'label' }, `All streams (${this.streams.length})`)]),
      h('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'));
    this.button.classList.toggle('waiting', !!sel && sel.status === 'waiting');
    const items = this.options().map((s, i) => {
      const li = h('li', {
        role: 'option', id: `stream-opt-${i}`, 'data-id': s.id,
        'aria-selected': String(s.id === this.selected),
        class: `${s.status === 'waiting' ? 'waiting' : ''} ${s.id === this.active ? 'active' : ''}`,
      });
      if (s.all) li.append(h('span', { class: 'label' }, `All streams (${this.streams.length})`));
      else li.append(...this.content(s, true));
      return li;
    });
    this.list.replaceChildren(...items);
    const act = this.list.querySelector('.active');
    if (act) this.list.setAttribute('aria-activedescendant', act.id);
  }

  content(s, full = false) {
    const unread = this.unread(s);
    const parts = [
      h('span', { class: this.isActive(s) ? 'dot on' : 'dot', title: this.isActive(s) ? 'active in the last 30 s' : 'quiet' },
        h('span', { class: 'sr-only' }, this.isActive(s) ? 'active, ' : '')),
      h('span', { class: 'label' }, s.label),
      unread > 0 ? h('span', { class: 'badge', title: `${unread} new since you last looked` }, count(unread), h('span', { class: 'sr-only' }, ' unread')) : null,
      h('span', { class: `status s-${s.status}` }, STATUS[s.status] || s.status),
    ];
    if (full && s.status === 'waiting') {
      parts.push(h('span', { class: 'why' }, `${s.waiting_detail || s.waiting_for || 'input'} · since ${when(s.waiting_since)}`));
    }
    return parts.filter(Boolean);
  }

  open() {
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    this.active = this.selected;
    this.render();
    this.list.focus();
    this.list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }

  close(focusButton) {
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (focusButton) this.button.focus();
  }

  pick(id) {
    this.close(true);
    if (id === this.selected) return;
    this.setSelected(id);
    this.onPick(id);
  }

  key(e) {
    const opts = this.options();
    let i = opts.findIndex((s) => s.id === this.active);
    if (e.key === 'ArrowDown') i = Math.min(opts.length - 1, i + 1);
    else if (e.key === 'ArrowUp') i = Math.max(0, i - 1);
    else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = opts.length - 1;
    else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.pick(this.active); return; }
    else if (e.key === 'Escape' || e.key === 'Tab') { this.close(e.key === 'Escape'); return; }
    else return;
    e.preventDefault();
    this.active = opts[i].id;
    this.render();
    this.list.querySelector('.active')?.scrollIntoView({ block: 'nearest' });
  }
}
