// "Needs you": when a session starts waiting for you, or a turn ends with an error, the page says so:
// a browser notification (permission asked only from the button, never on load), the count in the
// tab title and the favicon, an optional sound; mute per session. Each wait and each error is
// notified once (its key is remembered in localStorage), and what was already waiting when the page
// opened is not announced again.
import { $ } from './dom.js';

const SEEN = 'solo.notified';
const MUTED = 'solo.muted';
const SOUND = 'solo.sound';

function load(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; }
}
function save(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ }
}

export class Notifier {
  constructor(app) {
    this.app = app;
    this.seen = new Set(load(SEEN, []));
    this.mutedSet = new Set(load(MUTED, []));
    this.sound = !!load(SOUND, false);
    this.first = true;
    this.count = 0;
    this.baseIcon = document.querySelector('link[rel=icon]').href;
    this.sent = []; // what was notified, for the page and its tests
    $('notify').addEventListener('click', () => this.ask());
    $('sound').addEventListener('click', () => { this.sound = !this.sound; save(SOUND, this.sound); this.buttons(); if (this.sound) this.beep(); });
    this.buttons();
  }

  supported() { return 'Notification' in window; }

  buttons() {
    const b = $('notify');
    const p = this.supported() ? Notification.permission : 'unsupported';
    b.textContent = p === 'granted' ? 'Notifications on' : p === 'denied' ? 'Notifications blocked' : 'Notify me';
    b.setAttribute('aria-pressed', String(p === 'granted'));
    b.title = p === 'denied' ? 'The browser blocks notifications for this page; allow them in its site settings'
      : p === 'unsupported' ? 'This browser has no notifications; the title and icon still count' : 'Get a notification when a session needs you';
    b.disabled = p === 'unsupported';
    $('sound').setAttribute('aria-pressed', String(this.sound));
    $('sound').textContent = this.sound ? 'Sound on' : 'Sound off';
  }

  async ask() {
    if (!this.supported()) return;
    try { await Notification.requestPermission(); } catch (e) { /* older API */ }
    this.buttons();
  }

  muted(id) { return this.mutedSet.has(id); }

  toggleMute(id) {
    if (this.mutedSet.has(id)) this.mutedSet.delete(id); else this.mutedSet.add(id);
    save(MUTED, [...this.mutedSet]);
  }

  /** The streams of a board load: notify what is new, count what needs you. */
  update(streams) {
    const needs = [];
    for (const s of streams) {
      if (s.status === 'waiting' && s.waiting) needs.push({ key: `wait:${s.id}:${s.waiting.since}`, s, title: `${s.label} waits for you`, body: s.waiting.text || 'input' });
      if (s.attention) needs.push({ key: `err:${s.id}:${s.attention.event_id}`, s, title: `${s.label}: ${s.attention.kind === 'error' ? 'ended with an error' : 'a turn ended after a failure'}`, body: s.attention.text });
    }
    for (const n of needs) {
      if (this.seen.has(n.key)) continue;
      this.seen.add(n.key);
      if (this.first || this.muted(n.s.id)) continue;
      this.fire(n);
    }
    if (this.first || needs.length) {
      const keep = [...this.seen].slice(-500);
      this.seen = new Set(keep);
      save(SEEN, keep);
    }
    this.first = false;
    this.count = needs.filter((n) => !this.muted(n.s.id)).length;
    this.badge();
  }

  fire(n) {
    this.sent.push({ key: n.key, title: n.title, body: n.body });
    window.__soloNotified = this.sent; // what was notified, for the page's tests
    if (this.supported() && Notification.permission === 'granted') {
      try {
        const note = new Notification(n.title, { body: n.body, tag: n.key, icon: '/assets/icon.svg' });
        note.onclick = () => { window.focus(); this.app.open(n.s.id); };
      } catch (e) { /* some browsers only allow notifications from a service worker */ }
    }
    if (this.sound) this.beep();
  }

  beep() {
    try {
      const ctx = this.ctx || (this.ctx = new AudioContext());
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.15, ctx.currentTime);
      g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.25);
      o.connect(g).connect(ctx.destination);
      o.start();
      o.stop(ctx.currentTime + 0.25);
    } catch (e) { /* no audio */ }
  }

  /** "(2) …" in the title, and a red count on the favicon. */
  badge() {
    const base = document.title.replace(/^\(\d+\) /, '');
    document.title = this.count ? `(${this.count}) ${base}` : base;
    const link = document.querySelector('link[rel=icon]');
    if (!this.count) { if (link.href !== this.baseIcon) link.href = this.baseIcon; return; }
    const c = document.createElement('canvas');
    c.width = 32; c.height = 32;
    const x = c.getContext('2d');
    x.fillStyle = '#0550ae';
    x.fillRect(0, 0, 32, 32);
    x.fillStyle = '#d1242f';
    x.beginPath(); x.arc(22, 10, 10, 0, Math.PI * 2); x.fill();
    x.fillStyle = '#fff';
    x.font = 'bold 15px sans-serif';
    x.textAlign = 'center';
    x.textBaseline = 'middle';
    x.fillText(this.count > 9 ? '9+' : String(this.count), 22, 11);
    link.href = c.toDataURL('image/png');
    link.dataset.count = String(this.count);
  }
}
