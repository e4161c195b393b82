// The conversation of one stream, as a person reads it, from its transcript (GET
// /api/streams/{id}/conversation): prompts, the assistant's Markdown, tool calls with their results
// folded under them, subagent work nested under the call that started it, compactions marked. It
// opens at the newest page, loads older pages on demand (by byte offset: a 50 MB transcript is never
// loaded whole) and follows the file as it grows.
import { h, $, when, duration } from './dom.js';
import { get } from './api.js';
import { markdown } from './markdown.js';
import { usd, tokens } from './money.js';

const FOLLOW_MS = 1500;

export class ConversationView {
  /** @param app the page: app.filters(), app.showEvents(q), app.toast, app.tools(stream) */
  constructor(app) {
    this.app = app;
    this.el = $('conversation');
    this.stream = null;
    this.start = 0;
    this.end = 0;
    this.atStart = true;
    this.calls = new Map(); // tool_use_id -> the call's element
    this.pendingResults = new Map(); // tool_use_id -> result items whose call is not loaded
    this.turn = null;
    this.timer = null;
    this.loading = false;
    $('conv-older').addEventListener('click', () => this.older());
  }

  async load() {
    const stream = this.app.filters().stream;
    clearInterval(this.timer);
    if (!stream) {
      this.el.replaceChildren();
      this.state('Choose a session on the board (or in the dropdown) to read its conversation.');
      $('conv-older').hidden = true;
      return;
    }
    if (stream === this.stream && this.el.childElementCount) { this.follow(); this.timer = setInterval(() => this.follow(), FOLLOW_MS); return; }
    this.stream = stream;
    this.calls.clear();
    this.pendingResults.clear();
    this.state('Loading the conversation…');
    let body;
    try {
      body = await get(`streams/${encodeURIComponent(stream)}/conversation`);
    } catch (e) {
      if (stream === this.stream) { this.el.replaceChildren(); this.state(e.message, e.status !== 404); }
      return;
    }
    if (stream !== this.stream) return;
    this.start = body.start;
    this.end = body.end;
    this.atStart = body.at_start;
    this.el.replaceChildren();
    this.turn = null;
    this.append(body.items, this.el);
    this.state(body.items.length ? null : 'Nothing said yet in this session.');
    $('conv-older').hidden = this.atStart;
    $('conv-info').textContent = `${(body.size / 1024).toFixed(body.size < 10240 ? 1 : 0)} KB transcript`;
    this.el.scrollTop = this.el.scrollHeight;
    if (!performance.getEntriesByName('solo:conversation').length) performance.mark('solo:conversation');
    this.timer = setInterval(() => this.follow(), FOLLOW_MS);
  }

  stop() { clearInterval(this.timer); }

  state(text, error = false) {
    const s = $('conv-state');
    s.hidden = !text;
    s.textContent = text || '';
    s.classList.toggle('error', error);
  }

  /** Reads what the session appended since the last page. */
  async follow() {
    if (!this.stream || this.loading || $('view-conversation').hidden) return;
    this.loading = true;
    const stream = this.stream;
    try {
      const body = await get(`streams/${encodeURIComponent(stream)}/conversation`, { after: this.end });
      if (stream !== this.stream || !body.items.length) { if (stream === this.stream) this.end = body.end; return; }
      const atBottom = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - 40;
      this.end = body.end;
      this.append(body.items, this.el);
      this.state(null);
      if (atBottom) this.el.scrollTop = this.el.scrollHeight;
    } catch (e) {
      // the next tick tries again
    } finally {
      this.loading = false;
    }
  }

  async older() {
    if (this.atStart || this.loading) return;
    this.loading = true;
    const stream = this.stream;
    try {
      const body = await get(`streams/${encodeURIComponent(stream)}/conversation`, { before: this.start });
      if (stream !== this.stream) return;
      const frag = document.createDocumentFragment();
      const saveTurn = this.turn;
      this.turn = null;
      this.append(body.items, frag);
      this.turn = saveTurn;
      const before = this.el.scrollHeight;
      this.el.prepend(frag);
      this.el.scrollTop += this.el.scrollHeight - before;
      this.start = body.start;
      this.atStart = body.at_start;
      $('conv-older').hidden = this.atStart;
    } catch (e) {
      this.app.toast(`Cannot load earlier messages: ${e.message}`);
    } finally {
      this.loading = false;
    }
  }

  /** Renders `items` into `into`, grouping them into turns (a prompt starts one). */
  append(items, into, nested = false) {
    for (const it of items) {
      if (it.kind === 'result') { this.result(it); continue; }
      const el = this.item(it, nested);
      if (!el) continue;
      if (nested) { into.append(el); continue; }
      if (it.kind === 'prompt' || !this.turn || this.turn.parentNode !== into) {
        this.turn = h('section', { class: 'turn' }, h('div', { class: 'turn-cost muted small' }));
        this.turn.usd = 0; this.turn.tokens = 0; this.turn.unknown = false;
        into.append(this.turn);
      }
      this.turn.append(el);
      if (it.tokens) this.count(this.turn, it);
    }
  }

  count(turn, it) {
    this.add(turn, it);
    this.label(turn);
  }

  add(turn, it) {
    const t = it.tokens;
    turn.tokens += t.input + t.output + t.cache_read + t.cache_write;
    if (it.usd == null) { turn.unknown = true; turn.model = it.model; } else turn.usd += it.usd;
  }

  // A subagent's tokens are in its own transcript, read when its work is shown: until then the turn's
  // figure says it leaves them out (the session's card counts them).
  label(turn) {
    const cost = turn.unknown && !turn.usd ? 'price unknown' : usd({ usd: turn.usd, price_unknown: turn.unknown ? [turn.model] : null });
    const n = turn.pending || 0;
    const without = n ? ` · without ${n === 1 ? 'its subagent' : `its ${n} subagents`} (show ${n === 1 ? 'its' : 'their'} work to count ${n === 1 ? 'it' : 'them'})`
      : turn.partial ? ' · a subagent\'s earlier part not counted' : '';
    turn.querySelector('.turn-cost').textContent = `This turn: ${tokens(turn.tokens)} tokens · ${cost}${without}`;
  }

  item(it, nested) {
    const meta = (extra) => h('div', { class: 'meta muted small' }, when(it.time), extra || null,
      it.tokens ? ` · ${tokens(it.tokens.input + it.tokens.output + it.tokens.cache_read + it.tokens.cache_write)} tokens · ${it.usd == null ? 'price unknown' : usd({ usd: it.usd })}` : '');
    switch (it.kind) {
      case 'prompt':
        return h('div', { class: 'msg user' }, meta(' · you'), h('div', { class: 'text' }, it.text), cut(it));
      case 'task':
        return h('div', { class: 'msg task' }, meta(` · task ${it.status || ''}`), h('div', { class: 'text' }, it.text || ''));
      case 'text': {
        const body = h('div', { class: 'md' });
        body.append(markdown(it.text));
        return h('div', { class: 'msg assistant' }, meta(it.model ? ` · ${it.model}` : ''), body, cut(it));
      }
      case 'thinking':
        return h('details', { class: 'msg thinking' }, h('summary', { class: 'muted' }, 'Thinking'), h('div', { class: 'text' }, it.text || ''));
      case 'tool':
        return this.tool(it, meta);
      case 'compaction':
        return h('div', { class: 'compaction', role: 'separator' },
          `Conversation compacted (${it.trigger || 'auto'}${it.pre_tokens ? `, ${tokens(it.pre_tokens)} tokens before` : ''}${it.post_tokens ? `, ${tokens(it.post_tokens)} after` : ''}) · ${when(it.time)}`);
      case 'summary':
        return h('details', { class: 'msg summary' }, h('summary', null, 'Summary that replaced the compacted conversation'), h('div', { class: 'text' }, it.text || ''));
      case 'error':
        return h('div', { class: 'msg error' }, meta(' · API error'), h('div', { class: 'text' }, it.text || ''));
      case 'skipped':
        return h('div', { class: 'muted small' }, it.text);
      default:
        return null;
    }
  }

  tool(it, meta) {
    const det = h('details', { class: 'call', 'data-tool-use': it.id || '' });
    const status = h('span', { class: 'pill p-running' }, 'no result yet');
    det.append(h('summary', null, h('strong', null, it.name), ' ', h('code', null, it.summary || ''), ' ', status));
    det.append(meta(it.id ? h('span', null, ' · ', h('button', { type: 'button', class: 'link', title: 'The hook events of this call, in the Events view', onclick: () => this.app.showEvents(it.id) }, 'hook events')) : null));
    det.append(h('pre', { class: 'input' }, JSON.stringify(it.input, null, 2)));
    det.status = status;
    if (it.id) this.calls.set(it.id, det);
    const waiting = it.id && this.pendingResults.get(it.id);
    if (waiting) { this.pendingResults.delete(it.id); queueMicrotask(() => this.result(waiting)); }
    return det;
  }

  result(it) {
    const call = this.calls.get(it.tool_use_id);
    if (!call) { this.pendingResults.set(it.tool_use_id, it); return; }
    const st = it.denied ? 'denied' : it.is_error ? 'failed' : 'ok';
    call.status.className = `pill p-${st}`;
    call.status.textContent = st;
    call.classList.toggle('failed', st !== 'ok');
    call.append(h('div', { class: `result ${st}` }, h('div', { class: 'muted small' }, `Result · ${when(it.time)}`),
      h('pre', null, it.text || '(empty)'), cut(it)));
    if (it.agent_id) {
      const turn = call.closest('.turn');
      if (turn) { turn.pending = (turn.pending || 0) + 1; this.label(turn); }
      const box = h('div', { class: 'subagent' });
      const btn = h('button', { type: 'button', onclick: () => this.subagent(it.agent_id, box, btn) }, `Show the subagent's work (${it.agent_id.slice(0, 9)})`);
      box.append(btn);
      call.append(box);
    }
  }

  async subagent(agent, box, btn) {
    btn.disabled = true;
    try {
      const body = await get(`streams/${encodeURIComponent(this.stream)}/conversation`, { agent, bytes: 1048576 });
      const list = h('div', { class: 'nested', 'aria-label': `Subagent ${agent}` });
      this.append(body.items, list, true);
      box.replaceChildren(h('div', { class: 'muted small' }, `Subagent ${agent}${body.at_start ? '' : ' (latest part)'}`), list);
      const turn = box.closest('.turn');
      if (turn) {
        for (const it of body.items) if (it.tokens) this.add(turn, it);
        turn.pending = Math.max(0, (turn.pending || 0) - 1);
        if (!body.at_start) turn.partial = true;
        this.label(turn);
      }
    } catch (e) {
      btn.disabled = false;
      this.app.toast(`Cannot read the subagent's transcript: ${e.message}`);
    }
  }
}

function cut(it) {
  return it.cut ? h('div', { class: 'muted small' }, `… ${it.cut.toLocaleString('en-US')} more characters in the transcript`) : null;
}

export { duration };
