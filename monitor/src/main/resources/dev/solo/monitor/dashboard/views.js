// The Tools, Files and Agents views of one stream. Each loads from its API route when shown and
// again (throttled) while the stream changes.
import { h, $, clock, when, duration } from './dom.js';
import { get } from './api.js';
import { VList } from './vlist.js';

const TOOL_EVENTS = 2000;

function state(id, text, error = false) {
  const s = $(id);
  s.hidden = !text;
  s.textContent = text || '';
  s.classList.toggle('error', error);
}

const NEED_STREAM = 'Choose a stream in the dropdown above to see this view.';

/** A call's status as shown: a call without result in a stream that stopped got none. */
export function callStatus(c, streamStatus) {
  if (c.status === 'running' && (streamStatus === 'idle' || streamStatus === 'ended')) return 'no result';
  return c.status;
}

function agentName(c, agents) {
  if (!c.agent_id) return 'main';
  const a = agents.get(c.agent_id);
  return `${a && a.type ? a.type : 'subagent'} ${c.agent_id.slice(0, 7)}`;
}

export class ToolsView {
  constructor(app) {
    this.app = app;
    this.calls = [];
    this.tool = '';
    this.agents = new Map();
    $('tools-tool-filter').addEventListener('change', (e) => { this.tool = e.target.value; this.show(); });
    this.list = new VList($('tools'), (c) => this.row(c), (c) => {
      const id = c.post_id || c.pre_id;
      if (id) app.showDetail(id, `${c.tool} call`);
    });
  }

  row(c) {
    const st = callStatus(c, this.app.streamStatus());
    return h('div', { id: `call-${c.tool_use_id || c.pre_id || c.post_id}`, class: 'row call' },
      h('span', { role: 'gridcell', class: 'time' }, clock(c.started || c.ended)),
      h('span', { role: 'gridcell', class: 'tool' }, c.tool || ''),
      h('span', { role: 'gridcell' }, h('span', { class: `pill p-${st.replace(' ', '-')}` }, st)),
      h('span', { role: 'gridcell', class: 'num' }, duration(c.duration_ms)),
      h('span', { role: 'gridcell', class: 'agent', title: c.agent_id || 'main' }, agentName(c, this.agents)),
      h('span', { role: 'gridcell', class: 'summary', title: c.input_summary || '' }, c.input_summary || ''),
      h('span', { role: 'gridcell', class: `summary ${c.error ? 'err' : ''}`, title: c.error || c.output || '' }, c.error || c.output || ''));
  }

  /** The calls of the chosen tool (all when none), and the filter's choices. */
  show() {
    const names = [...new Set(this.calls.map((c) => c.tool).filter(Boolean))].sort();
    const sel = $('tools-tool-filter');
    if (this.tool && !names.includes(this.tool)) names.push(this.tool);
    sel.replaceChildren(h('option', { value: '' }, 'All tools'), ...names.map((n) => h('option', { value: n }, `${n} (${this.calls.filter((c) => c.tool === n).length})`)));
    sel.value = this.tool;
    const shown = this.tool ? this.calls.filter((c) => c.tool === this.tool) : this.calls;
    const follow = this.list.atBottom();
    this.list.set(shown);
    if (follow) this.list.toBottom();
    state('tools-state', shown.length ? null : this.calls.length ? `No ${this.tool} calls in this stream.` : 'No tool calls in this stream yet.');
    const failed = this.calls.filter((c) => c.status === 'failed').length;
    const denied = this.calls.filter((c) => c.status === 'denied').length;
    $('tools-info').textContent = `${shown.length} of ${this.calls.length} calls (from the latest ${TOOL_EVENTS} tool events)${failed ? ` · ${failed} failed` : ''}${denied ? ` · ${denied} denied` : ''}`;
  }

  async load() {
    const stream = this.app.filters().stream;
    if (!stream) { this.list.set([]); state('tools-state', NEED_STREAM); $('tools-info').textContent = ''; return; }
    try {
      const [tools, agents] = await Promise.all([
        get(`streams/${encodeURIComponent(stream)}/tools`, { limit: TOOL_EVENTS }),
        get(`streams/${encodeURIComponent(stream)}/agents`),
      ]);
      if (stream !== this.app.filters().stream) return;
      this.agents = new Map();
      const walk = (list) => { for (const a of list) { this.agents.set(a.id, a); walk(a.children || []); } };
      walk(agents.children);
      this.calls = tools.calls;
      this.show();
    } catch (e) {
      state('tools-state', `Cannot load the tool calls: ${e.message}`, true);
    }
  }
}

export class FilesView {
  constructor(app) {
    this.app = app;
    this.selected = null;
  }

  async load() {
    const stream = this.app.filters().stream;
    const body = $('files');
    if (!stream) { body.replaceChildren(); $('diff').replaceChildren(); state('files-state', NEED_STREAM); return; }
    let files;
    try {
      files = (await get(`streams/${encodeURIComponent(stream)}/files`)).files;
    } catch (e) {
      state('files-state', `Cannot load the files: ${e.message}`, true);
      return;
    }
    if (stream !== this.app.filters().stream) return;
    state('files-state', files.length ? null : 'No file was read or changed in this stream yet.');
    files.sort((a, b) => b.last_event_id - a.last_event_id);
    body.replaceChildren(...files.map((f) => {
      const open = () => this.show(f);
      const tr = h('tr', { class: f.path === this.selected ? 'selected' : '' },
        h('td', { class: 'path' }, h('button', { type: 'button', class: 'link path-link', title: f.path, 'data-path': f.path, onclick: open }, ...pathParts(f.path))),
        h('td', { class: 'num' }, f.reads), h('td', { class: 'num' }, f.changes), h('td', null, when(f.last_seen)));
      return tr;
    }));
    const again = files.find((f) => f.path === this.selected) || files.find((f) => f.changes > 0);
    if (again) this.show(again);
    else $('diff').replaceChildren();
  }

  async show(f) {
    this.selected = f.path;
    for (const tr of $('files').children) tr.classList.toggle('selected', tr.querySelector('button').dataset.path === f.path);
    const d = $('diff');
    if (!f.last_change_id) {
      d.replaceChildren(h('h3', null, f.path), h('p', { class: 'muted' }, `Read ${f.reads} times, never changed here.`));
      return;
    }
    let e;
    try {
      e = await get(`events/${f.last_change_id}`);
    } catch (err) {
      d.replaceChildren(h('p', { class: 'error' }, `Cannot load the change: ${err.message}`));
      return;
    }
    d.replaceChildren(h('h3', null, f.path), h('p', { class: 'muted' }, `Last change: ${e.tool} at ${when(e.time)} (event #${e.id})`), diffOf(e.data));
  }
}

/** A path as its file name and a shortened folder ("…/proj/alpha/"), so the name is never the part cut. */
export function pathParts(path) {
  const i = path.lastIndexOf('/');
  const dir = i >= 0 ? path.slice(0, i + 1) : '';
  const base = i >= 0 ? path.slice(i + 1) : path;
  const short = dir.length > 36 ? `…${dir.slice(dir.length - 35)}` : dir;
  return [h('span', { class: 'dir' }, short), h('span', { class: 'base' }, base)];
}

/** The diff of an Edit/Write/MultiEdit from tool_response.structuredPatch (or the written content). */
export function diffOf(data) {
  const r = (data && data.tool_response) || {};
  const patch = Array.isArray(r.structuredPatch) ? r.structuredPatch : [];
  const pre = h('pre', { class: 'patch', 'aria-label': 'Diff' });
  if (!patch.length) {
    const content = (data && data.tool_input && data.tool_input.content) || r.content;
    if (typeof content !== 'string') return h('p', { class: 'muted' }, 'This change carries no diff.');
    const lines = content.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the final newline ends the last line
    for (const line of lines.slice(0, 500)) pre.append(h('span', { class: 'add' }, `+${line}\n`));
    return pre;
  }
  for (const hunk of patch) {
    pre.append(h('span', { class: 'hunk' }, `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@\n`));
    for (const line of hunk.lines || []) {
      const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
      pre.append(h('span', { class: cls }, `${line}\n`));
    }
  }
  return pre;
}

export class AgentsView {
  constructor(app) { this.app = app; }

  async load() {
    const stream = this.app.filters().stream;
    const root = $('agents');
    if (!stream) { root.replaceChildren(); state('agents-state', NEED_STREAM); return; }
    let tree;
    let calls;
    try {
      [tree, calls] = await Promise.all([
        get(`streams/${encodeURIComponent(stream)}/agents`),
        get(`streams/${encodeURIComponent(stream)}/tools`, { limit: TOOL_EVENTS }),
      ]);
    } catch (e) {
      state('agents-state', `Cannot load the agents: ${e.message}`, true);
      return;
    }
    if (stream !== this.app.filters().stream) return;
    state('agents-state', null);
    const s = this.app.stream(stream);
    const open = new Set([...root.querySelectorAll('details[open]')].map((d) => d.dataset.id));
    const byAgent = new Map();
    for (const c of calls.calls) {
      const k = c.agent_id || '';
      if (!byAgent.has(k)) byAgent.set(k, []);
      byAgent.get(k).push(c);
    }
    const status = s ? s.status : 'working';
    const main = this.agent({ id: '', type: 'main agent', status, started: s && s.first_seen, ended: s && s.last_seen, events: s && s.events }, byAgent.get('') || [], open, true);
    const nest = (parent, list) => {
      for (const a of list) {
        const node = this.agent(a, byAgent.get(a.id) || [], open, false);
        parent.querySelector('ul.children').append(node);
        nest(node, a.children || []);
      }
    };
    nest(main, tree.children);
    root.replaceChildren(h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Agents' }, main));
  }

  agent(a, calls, open, isMain) {
    const ended = a.ended ? Date.parse(a.ended) : Date.now();
    const took = a.started ? ended - Date.parse(a.started) : null;
    const st = isMain ? a.status : a.status === 'stopped' ? 'done' : 'running';
    const details = h('details', { 'data-id': a.id, class: 'agent' });
    details.open = isMain || open.has(a.id);
    const shown = calls.slice(-200);
    details.append(...[
      h('summary', null,
        h('strong', null, isMain ? 'main agent' : `${a.type || 'subagent'}`), ' ',
        isMain ? null : h('code', null, a.id), ' ',
        a.description ? h('span', null, `“${a.description}” `) : null,
        h('span', { class: `pill p-${st}` }, st), ' ',
        h('span', { class: 'muted' }, `${duration(took)} · ${calls.length} tool calls${a.events != null ? ` · ${a.events} events` : ''}`)),
      a.last_message ? h('p', { class: 'muted last' }, a.last_message) : null,
      shown.length ? h('ul', { class: 'calls' }, ...shown.map((c) => {
        const cs = callStatus(c, this.app.streamStatus());
        return h('li', null, h('span', { class: `pill p-${cs.replace(' ', '-')}` }, cs), ' ', h('strong', null, c.tool || '?'), ' ',
          h('span', null, c.input_summary || ''), ' ', h('span', { class: 'muted' }, duration(c.duration_ms)));
      })) : null,
      h('ul', { class: 'children' })].filter(Boolean));
    return h('li', { role: 'treeitem' }, details);
  }
}
