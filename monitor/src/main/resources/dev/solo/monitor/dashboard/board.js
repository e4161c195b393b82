// The board: one card per stream (waiting for you first, then working, idle; ended ones folded), the
// cost strip, answering held permission prompts, and importing past sessions. It loads GET /api/board
// and, between loads, applies each live row to its card at once, so a card changes within a frame of
// the event arriving.
import { h, $, when, duration, count } from './dom.js';
import { get, post } from './api.js';
import { sparkline } from './spark.js';
import { usd, tokens } from './money.js';

const ORDER = { waiting: 0, working: 1, idle: 2, ended: 3 };
const STATUS = { working: 'working', waiting: 'waiting for you', idle: 'idle', ended: 'ended' };

export class BoardView {
  /** @param app the page: app.open(streamId), app.toast, app.notify (the Notifier) */
  constructor(app) {
    this.app = app;
    this.data = null;
    this.skew = 0;
    this.drafts = new Map(); // hold id -> message typed so far (survives redraws)
    this.changed = new Set(); // streams whose card a live row changed since the last frame
    this.sigs = new Map(); // stream id -> the data its card was last drawn from
    this.endedOpen = undefined; // the person's choice for the Ended section; until then, open when nothing runs
    this.reorder = false;
    this.frame = 0;
    this.el = $('board');
    $('import').addEventListener('click', () => this.importHistory());
    $('board-more').addEventListener('click', (e) => { // folds the bar's options on a narrow screen
      const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
      e.currentTarget.setAttribute('aria-expanded', String(open));
      $('board-bar').classList.toggle('open', open);
    });
    $('hold-all').addEventListener('change', (e) => this.settings({ all: e.target.checked }));
    $('hold-timeout').addEventListener('change', (e) => this.settings({ timeout_seconds: Number(e.target.value) }));
    this.el.addEventListener('keydown', (e) => this.key(e));
    setInterval(() => { if (this.data && this.visible()) this.tick(); }, 1000);
  }

  visible() { return !$('view-board').hidden; }

  /**
   * Neither a held prompt's end nor the first read of a transcript is announced by an event: load again
   * just after the nearest deadline, and in a second while a card still says "reading transcript…".
   */
  reloadAtDeadline(body) {
    clearTimeout(this.deadlineTimer);
    const waits = body.streams.flatMap((s) => (s.holds || []).map((h) => Date.parse(h.deadline) - this.now() + 250));
    if (body.streams.some((s) => s.transcript && !s.cost)) waits.push(1000);
    if (waits.length) this.deadlineTimer = setTimeout(() => this.app.refreshBoard(), Math.max(0, Math.min(...waits)));
  }

  async load() {
    let body;
    try {
      body = await get('board');
    } catch (e) {
      this.state(`Cannot load the board: ${e.message}`, true);
      return null;
    }
    this.data = body;
    this.skew = Date.now() - Date.parse(body.now);
    this.reloadAtDeadline(body);
    this.render();
    this.app.notify.update(body.streams);
    if (!performance.getEntriesByName('solo:board').length) performance.mark('solo:board');
    return body;
  }

  now() { return Date.now() - this.skew; }

  /** A live row: update its card now; the next load makes it exact. */
  live(r) {
    if (!this.data) return;
    const s = this.data.streams.find((x) => x.id === r.stream);
    if (!s) { this.app.refreshBoard(); return; }
    const before = s.status;
    s.last_seen = r.time;
    s.events = (s.events || 0) + 1;
    const minute = Math.floor(Date.parse(r.time) / 60000);
    const nowMinute = Math.floor(this.now() / 60000);
    if (s.activity && nowMinute - minute < 30 && nowMinute >= minute) s.activity[29 - (nowMinute - minute)]++;
    const main = !r.agent_id;
    switch (r.event) {
      case 'UserPromptSubmit':
        if (!/^\s*<task-notification>/.test(r.summary || '')) { // an async subagent's report, not the user's prompt
          s.last_prompt = r.summary; s.last_prompt_at = r.time;
        }
        s.thinking_since = r.time; s.attention = null;
        this.working(s, r.time); break;
      case 'PreToolUse':
        s.running = (s.running || []).filter((t) => t.tool_use_id !== r.tool_use_id);
        s.running.push({ tool: r.tool, detail: r.summary, started: r.time, agent_id: r.agent_id });
        this.working(s, r.time); break;
      case 'PostToolUse': case 'PostToolUseFailure': case 'PermissionDenied':
        s.running = (s.running || []).filter((t) => !(t.tool === r.tool && (t.agent_id || null) === (r.agent_id || null)));
        if (main) s.thinking_since = r.time;
        this.working(s, r.time); break;
      case 'PermissionRequest':
        if (s.status !== 'waiting') { s.status = 'waiting'; s.status_since = r.time; }
        if (!s.waiting || s.waiting.kind !== 'permission') {
          s.waiting = { kind: 'permission', tool: r.tool, detail: r.summary, text: `${r.tool}: ${r.summary || ''}`, since: s.waiting ? s.waiting.since : r.time, event_id: r.id };
        }
        break;
      case 'Notification': case 'Elicitation':
        if (s.status !== 'waiting') { s.status = 'waiting'; s.status_since = r.time; }
        if (!s.waiting) s.waiting = { kind: 'notification', text: r.summary, since: r.time, event_id: r.id };
        break;
      case 'Stop': case 'StopFailure':
        if (main) { s.status = 'idle'; s.status_since = r.time; s.waiting = null; s.running = []; }
        break;
      case 'SessionEnd':
        s.status = 'ended'; s.status_since = r.time; s.waiting = null; s.running = []; break;
      default:
        break;
    }
    this.changed.add(s.id);
    if (s.status !== before) this.reorder = true;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.paint());
    this.app.refreshBoard();
  }

  /** Once per frame: the cards that changed are redrawn in place; a status change redraws the board. */
  paint() {
    this.frame = 0;
    const ids = [...this.changed];
    this.changed.clear();
    if (this.reorder || document.activeElement?.classList.contains('hold-message')) { this.reorder = false; this.render(); return; }
    for (const id of ids) {
      const old = this.el.querySelector(`.card[data-id="${CSS.escape(id)}"]`);
      const s = this.data.streams.find((x) => x.id === id);
      if (!old || !s) { this.render(); return; }
      const fresh = this.card(s);
      const focused = document.activeElement === old;
      keepHolds(old, fresh);
      old.replaceWith(fresh);
      if (focused) fresh.focus();
      this.sigs.delete(id); // drawn from a live guess: the next load draws it from the server's data
    }
  }

  working(s, time) {
    s.waiting = null;
    if (s.status !== 'working') { s.status = 'working'; s.status_since = time; }
  }

  state(text, error = false) {
    const s = $('board-state');
    s.hidden = !text;
    s.textContent = text || '';
    s.classList.toggle('error', error);
  }

  render() {
    const d = this.data;
    if (!d) return;
    this.strip(d.totals, d.prices);
    if (!this.changing) { // never undo a click whose change is on its way to the server
      $('hold-all').checked = !!d.permissions.all;
      if (document.activeElement !== $('hold-timeout')) $('hold-timeout').value = d.permissions.timeout_seconds;
    }
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.card');
    const focusId = focused ? focused.dataset.id : null;
    const typing = document.activeElement && document.activeElement.classList.contains('hold-message');
    if (typing) return; // never redraw under someone typing a message to Claude
    const streams = [...d.streams].sort((a, b) => (ORDER[a.status] ?? 4) - (ORDER[b.status] ?? 4));
    const live = streams.filter((s) => s.status !== 'ended');
    const ended = streams.filter((s) => s.status === 'ended');
    if (this.patch(live, ended)) return;
    this.state(streams.length ? null : 'No sessions yet. Install the hooks with `solo monitor hooks install` and start Claude Code, or import past sessions.');
    const grid = h('div', { class: 'cards', role: 'list', 'aria-label': 'Sessions' }, ...live.map((s) => this.card(s)));
    const parts = [grid];
    if (ended.length) {
      const summary = h('summary', null, `Ended (${ended.length})`);
      const det = h('details', { class: 'ended' }, summary,
        h('div', { class: 'cards', role: 'list', 'aria-label': 'Ended sessions' }, ...ended.map((s) => this.card(s))));
      // Folded while sessions run; open when none does (a board opened after the work is done shows it),
      // unless the person has opened or closed it (a click, or Enter on the summary), which then stays.
      summary.addEventListener('click', () => { this.endedOpen = !det.open; });
      det.open = this.endedOpen ?? live.length === 0;
      parts.push(det);
    }
    for (const part of parts) keepHolds(this.el, part);
    this.el.replaceChildren(...parts);
    const sel = this.app.selected();
    this.sigs = new Map(streams.map((s) => [s.id, JSON.stringify(s) + (s.id === sel) + this.app.notify.muted(s.id)]));
    if (focusId) this.el.querySelector(`.card[data-id="${CSS.escape(focusId)}"]`)?.focus();
  }

  /**
   * Redraws only the cards whose data changed, when the order and the sections are the same as on
   * screen (a board load every second must not rebuild fifty cards); false when a full draw is needed.
   */
  patch(live, ended) {
    const grid = this.el.querySelector(':scope > .cards');
    if (!grid) return false;
    const shown = [...grid.children].map((c) => c.dataset.id);
    const endedShown = this.el.querySelectorAll('details.ended .card').length;
    if (shown.length !== live.length || shown.some((id, i) => id !== live[i].id) || endedShown !== ended.length) return false;
    const sel = this.app.selected();
    for (const s of live) {
      const sig = JSON.stringify(s) + (s.id === sel) + this.app.notify.muted(s.id);
      if (this.sigs.get(s.id) === sig) continue;
      this.sigs.set(s.id, sig);
      const old = grid.querySelector(`.card[data-id="${CSS.escape(s.id)}"]`);
      const focused = document.activeElement === old;
      const fresh = this.card(s);
      keepHolds(old, fresh);
      old.replaceWith(fresh);
      if (focused) fresh.focus();
    }
    return true;
  }

  strip(t, prices) {
    const bit = (label, tally, id) => h('div', { class: 'stat', id },
      h('span', { class: 'muted' }, label), ' ', h('strong', null, usd(tally)), ' ', h('span', { class: 'muted' }, `${tokens(tally.tokens)} tokens`));
    const top = (t.projects || []).slice(0, 3).map((p) => h('span', { class: 'proj', title: p.cwd }, `${p.project || p.cwd}: ${usd(p)}`));
    $('cost-strip').replaceChildren(
      bit('Today', t.today, 'cost-today'), bit('This week', t.week, 'cost-week'), bit('All sessions', t.all, 'cost-all'),
      top.length ? h('div', { class: 'stat projects' }, h('span', { class: 'muted' }, 'By project'), ' ', ...top) : null,
      h('span', { class: 'muted prices', title: prices.source }, `prices of ${prices.date}`));
  }

  card(s) {
    const now = this.now();
    const since = (iso) => (iso ? h('span', { class: 'since', 'data-since': iso }, duration(now - Date.parse(iso))) : '');
    const els = [];
    els.push(h('div', { class: 'card-head' },
      // an ended session's dot stays out: its last event (the end) is not activity
      s.status === 'ended'
        ? h('span', { class: 'dot', 'aria-hidden': 'true' })
        : h('span', { class: active(s.last_seen, now) ? 'dot on' : 'dot', 'data-seen': s.last_seen, 'aria-hidden': 'true' }),
      h('strong', { class: 'card-label' }, s.label),
      s.imported ? h('span', { class: 'tag' }, 'imported') : null,
      h('span', { class: 'grow' }),
      h('span', { class: `status s-${s.status}`, title: s.status_since ? `since ${when(s.status_since)}` : '' },
        STATUS[s.status] || s.status, s.status_since ? ' · ' : '', since(s.status_since))));
    if (s.cwd) els.push(h('div', { class: 'muted small project', title: s.cwd }, where(s)));
    if (s.waiting || (s.holds || []).length) els.push(this.waiting(s, since));
    if (s.attention) {
      els.push(h('div', { class: 'attention', role: 'note' }, h('strong', null, s.attention.kind === 'error' ? 'Ended with an error: ' : 'Turn ended after a failure: '), s.attention.text));
    }
    const doing = this.doing(s, since);
    if (doing) els.push(doing);
    if (s.last_prompt) els.push(h('div', { class: 'prompt', title: s.last_prompt }, h('span', { class: 'muted' }, 'Prompt: '), s.last_prompt));
    if (s.subagents && s.subagents.length) {
      els.push(h('div', { class: 'subs small' }, `${s.subagents.length} subagent${s.subagents.length > 1 ? 's' : ''} running: `,
        s.subagents.map((a) => `${a.type || 'subagent'} (${(a.id || '').slice(0, 7)})`).join(', ')));
    }
    els.push(h('div', { class: 'card-foot' },
      costLine(s),
      h('span', { class: 'grow' }),
      sparkline(s.activity || [], `Events per minute, last 30 minutes: ${(s.activity || []).reduce((a, b) => a + b, 0)}`),
      this.muteButton(s)));
    const card = h('div', {
      class: `card c-${s.status}${s.id === this.app.selected() ? ' selected' : ''}`, role: 'listitem', tabindex: '0', 'data-id': s.id,
      'aria-label': `${s.label}, ${STATUS[s.status] || s.status}`,
      onclick: (e) => { if (!e.target.closest('button, input, label, a, textarea')) this.app.open(s.id); },
      onkeydown: (e) => { if (e.key === 'Enter' && e.target === e.currentTarget) this.app.open(s.id); },
    }, ...els);
    return card;
  }

  doing(s, since) {
    if (s.running && s.running.length) {
      const r = s.running[s.running.length - 1];
      const more = s.running.length > 1 ? ` (+${s.running.length - 1} more)` : '';
      return h('div', { class: 'doing', title: r.detail || '' },
        h('span', { class: 'tool' }, r.tool), r.detail ? ` ${r.detail}` : '', h('span', { class: 'muted' }, ' · ', since(r.started), more),
        r.agent_id ? h('span', { class: 'muted' }, ` · subagent ${r.agent_id.slice(0, 7)}`) : null);
    }
    if (s.thinking_since && s.status === 'working') return h('div', { class: 'doing thinking' }, 'thinking', h('span', { class: 'muted' }, ' · ', since(s.thinking_since)));
    return null;
  }

  waiting(s, since) {
    const holds = s.holds || [];
    // the stream's wait; or, once another of its prompts was answered (which ends that wait), those still held
    const w = s.waiting || {
      text: holds.length === 1 ? `${holds[0].tool}: ${holds[0].detail || ''}` : `${holds.length} permission prompts`,
      since: holds[0].since,
    };
    const box = h('div', { class: 'wait', role: 'group', 'aria-label': `${s.label} waits for you` },
      h('div', null, h('strong', null, 'Waits for you: '), h('code', null, w.text || w.kind), h('span', { class: 'muted' }, ` · since ${when(w.since)} (`, since(w.since), ')')));
    // one held prompt: the line above names it; two or more (parallel calls, a subagent's): each its own
    if (holds.length === 1) box.append(this.holdControls(holds[0]));
    else if (holds.length) for (const hold of holds) box.append(this.holdControls(hold, `${hold.tool}: ${hold.detail || ''}`));
    else box.append(h('label', { class: 'small answer-here' }, h('input', {
      type: 'checkbox', checked: s.answer_here || null,
      onchange: (e) => this.settings({ stream: s.id, enabled: e.target.checked }),
    }), ' answer prompts of this session here'));
    return box;
  }

  /** Allow, Deny, a message and the countdown for {@code hold}; {@code what} names the prompt when a card holds several. */
  holdControls(hold, what) {
    const left = Math.max(0, Math.round((Date.parse(hold.deadline) - this.now()) / 1000));
    const msg = h('input', {
      type: 'text', class: 'hold-message', placeholder: 'optional message to Claude', 'aria-label': 'Message to Claude',
      oninput: (e) => this.drafts.set(hold.id, e.target.value),
    });
    msg.value = this.drafts.get(hold.id) || '';
    const answer = (behavior) => this.answer(hold, behavior, msg.value);
    const named = (verb) => (what ? { 'aria-label': `${verb} ${what}` } : {});
    return h('div', { class: 'hold', 'data-hold': hold.id, 'data-what': what || '' },
      what ? h('code', { class: 'held-what' }, what) : null,
      h('button', { type: 'button', class: 'allow', ...named('Allow'), onclick: () => answer('allow') }, 'Allow'),
      h('button', { type: 'button', class: 'deny', ...named('Deny'), onclick: () => answer('deny') }, 'Deny'),
      msg,
      h('span', { class: 'muted small countdown', 'data-deadline': hold.deadline }, `${left} s, then the terminal asks`));
  }

  async answer(hold, behavior, message) {
    try {
      await post(`permissions/${encodeURIComponent(hold.id)}`, { behavior, message: message || null });
      this.drafts.delete(hold.id);
      this.app.toast(behavior === 'allow' ? 'Allowed: Claude goes on' : 'Denied: Claude was told');
    } catch (e) {
      this.app.toast(e.message);
    }
    document.activeElement?.blur();
    this.load();
  }

  async settings(change) {
    this.changing = (this.changing || 0) + 1;
    try {
      await post('permissions/settings', change);
    } catch (e) {
      this.app.toast(`Cannot change the setting: ${e.message}`);
    }
    this.changing--;
    this.load();
  }

  muteButton(s) {
    const muted = this.app.notify.muted(s.id);
    return h('button', {
      type: 'button', class: 'mute', 'aria-pressed': String(muted), title: muted ? 'Notifications for this session are muted' : 'Mute notifications for this session',
      onclick: () => { this.app.notify.toggleMute(s.id); this.render(); },
    }, muted ? 'muted' : 'mute');
  }

  /** Every second: the durations, countdowns and activity dots move; nothing is rebuilt (so clicks never miss). */
  tick() {
    const now = this.now();
    for (const el of this.el.querySelectorAll('[data-since]')) el.textContent = duration(now - Date.parse(el.dataset.since));
    // a card is redrawn only when its data changes, so the activity dot goes out here
    for (const el of this.el.querySelectorAll('.dot[data-seen]')) el.classList.toggle('on', active(el.dataset.seen, now));
    for (const c of document.querySelectorAll('.countdown')) {
      c.textContent = `${Math.max(0, Math.round((Date.parse(c.dataset.deadline) - now) / 1000))} s, then the terminal asks`;
    }
  }

  async importHistory() {
    const b = $('import');
    b.disabled = true;
    b.textContent = 'Importing…';
    try {
      const r = await post('import', {});
      this.app.toast(`Imported ${count(r.events)} events of ${r.sessions} sessions${r.skipped_events ? ` (${count(r.skipped_events)} already known)` : ''}`);
    } catch (e) {
      this.app.toast(`Import failed: ${e.message}`);
    } finally {
      b.disabled = false;
      b.textContent = 'Import past sessions';
      this.load();
    }
  }

  /** j/k and arrows move between cards; Enter opens one. */
  key(e) {
    if (!['j', 'k', 'ArrowDown', 'ArrowUp'].includes(e.key) || e.target.closest('input, textarea')) return;
    const cards = [...this.el.querySelectorAll('.card')].filter((c) => c.offsetParent);
    if (!cards.length) return;
    const i = cards.indexOf(document.activeElement);
    const next = e.key === 'j' || e.key === 'ArrowDown' ? Math.min(cards.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
    e.preventDefault();
    cards[next].focus();
  }
}

/**
 * Tokens and cost so far, from the transcript. One that could not be read (outside the Claude config
 * directory the monitor knows, say) is "cost unknown" with the reason, never "0 tokens · $0".
 */
function costLine(s) {
  const c = s.cost;
  const t = c && c.total;
  if (c && c.error && !t.calls) {
    return c.missing
      ? h('span', { class: 'cost', title: c.error }, 'no transcript yet')
      : h('span', { class: 'cost err', title: c.error }, 'cost unknown: transcript not readable');
  }
  if (!t) return h('span', { class: 'cost', title: 'No transcript read yet' }, s.transcript ? 'reading transcript…' : 'no transcript yet');
  return h('span', { class: 'cost', title: `${t.input} input, ${t.output} output, ${t.cache_read} cache read, ${t.cache_write} cache write` },
    `${tokens(t.tokens)} tokens · ${usd(t)}`);
}

/**
 * The card's second line: the project, unless the label (the project and the short id, when the session
 * has no title) says it already; then the folder the session runs in, its end kept when it is long.
 */
function where(s) {
  const project = s.project || s.cwd;
  if (s.label !== project && !s.label.startsWith(`${project} (`)) return project;
  return s.cwd.length > 60 ? `…${s.cwd.slice(-59)}` : s.cwd;
}

/** Whether a stream whose last event came at `seen` (ISO) counts as active at `now`: an event in the last 30 s. */
function active(seen, now) {
  return now - Date.parse(seen) < 30000;
}

/**
 * Moves each held prompt's controls that `from` shows into the redrawn `into`, in place of their fresh
 * copy: the same buttons stay under the pointer while a card is redrawn, so a click on Allow or Deny
 * that lands during a redraw is not lost on a detached node.
 */
function keepHolds(from, into) {
  for (const fresh of into.querySelectorAll('.hold[data-hold]')) {
    const old = from.querySelector(`.hold[data-hold="${CSS.escape(fresh.dataset.hold)}"]`);
    // kept while it says the same (a hold named once a second one comes is drawn anew; drafts keep the message)
    if (old && old !== fresh && old.dataset.what === fresh.dataset.what) fresh.replaceWith(old);
  }
}
