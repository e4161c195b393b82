// The dashboard: wires the header (connection, stream dropdown, notifications, theme), the six views
// (board, conversation, events, tools, files, agents), the detail pane, the held-prompt banner,
// keyboard shortcuts and the URL (stream, view and filters live in the query string, so a link
// reopens the view).
import { h, $, when, toast, copy, throttle, shown } from './dom.js';
import { get, onUnauthorized, download, loginProblem } from './api.js';
import { Live } from './live.js';
import { StreamPicker } from './streams.js';
import { EventsView } from './events.js';
import { ToolsView, FilesView, AgentsView } from './views.js';
import { BoardView } from './board.js';
import { ConversationView } from './conversation.js';
import { Notifier } from './notify.js';
import { jsonTree } from './jsontree.js';

const VIEWS = ['board', 'conversation', 'events', 'tools', 'files', 'agents'];
// The streams, the derived views and the board refresh when the live feed brings a row (each at most once
// a second, see throttle), so an open tab costs the server nothing while nothing happens. This slow poll
// only catches what no event announces: a stream turning idle after 5 minutes, a row missed while the feed
// reconnected. (It was 2 s for every tab, whether or not anything changed.)
const POLL_MS = 15000;
const TOOLS = ['Bash', 'Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'Agent', 'Task', 'WebFetch', 'WebSearch', 'NotebookEdit', 'TodoWrite'];
const CONN_TEXT = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', offline: 'offline — retrying', unauthorized: 'no access' };

const url = new URLSearchParams(location.search);
const state = {
  stream: url.get('stream') || '',
  view: VIEWS.includes(url.get('view')) ? url.get('view') : 'board',
  event: url.get('event') || '',
  tool: url.get('tool') || '',
  q: url.get('q') || '',
};
let detailId = null;
let detailJson = null;
let blocked = false;
let gone = null;

const app = {
  filters: () => ({ stream: state.stream, event: state.event, tool: state.tool, q: state.q }),
  labelOf: (id) => picker.stream(id)?.label || id.slice(0, 8),
  stream: (id) => picker.stream(id),
  streamStatus: () => picker.stream(state.stream)?.status,
  selected: () => state.stream,
  toast,
  showDetail,
  closeDetail,
  live: null,
  notify: null,
  open: (id) => select(id, 'conversation'),
  showEvents: (q) => { state.q = q; $('search').value = q; state.event = ''; state.tool = ''; state.view = 'events'; changed(true); },
  refreshBoard: null,
};

const picker = new StreamPicker((id) => {
  state.stream = id;
  state.event = '';
  $('event-filter').value = '';
  changed(true);
});
app.notify = new Notifier(app);
app.live = new Live(
  (row) => { events.live(row); board.live(row); refreshDerived(); refreshStreams(); app.refreshBoard(); settle(); },
  connection,
  () => { refreshStreams(); refreshDerived(); board.load(); },
  () => { refreshStreams(); app.refreshBoard(); });
const events = new EventsView(app);
const board = new BoardView(app);
const conversation = new ConversationView(app);
const views = { tools: new ToolsView(app), files: new FilesView(app), agents: new AgentsView(app) };
app.refreshBoard = throttle(async () => { const b = await board.load(); if (b) holdBanner(b); }, 1000);
// Once a burst of rows is over, one more board load: a session's cost comes from its transcript, which the
// server reads a moment after the event that announced it.
let settleTimer = null;
function settle() { clearTimeout(settleTimer); settleTimer = setTimeout(() => app.refreshBoard(), 2000); }

onUnauthorized(() => {
  if (blocked) return;
  blocked = true;
  $('unauthorized').hidden = false;
  $('unauthorized-why').textContent = loginProblem() ? `The login link was refused: ${loginProblem()}` : '';
  $('body').hidden = true;
  connection('unauthorized');
  document.title = 'solo monitor — no access';
  openCommand();
});

/** The 'solo monitor open' that reaches this monitor: its name, or its port when not the default. */
async function openCommand() {
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    const h = await res.json();
    const target = h.name ? ` --name ${h.name}` : (Number(h.port) !== 8765 ? ` --port ${h.port}` : '');
    $('open-command').textContent = `solo monitor open${target}`;
  } catch (e) {
    // the plain command stays; it is right for the default monitor
  }
}

function select(id, view) {
  if (state.stream !== id) {
    picker.setSelected(id);
    state.stream = id;
    state.event = '';
    $('event-filter').value = '';
  }
  if (view) state.view = view;
  changed(true);
}

// ---- streams and the title -------------------------------------------------------------------
let shownLabels = null;
async function loadStreams() {
  let body;
  try {
    body = await get('streams');
  } catch (e) {
    return;
  }
  picker.update(body);
  const labels = body.streams.map((s) => `${s.id}\u0000${s.label}`).join('\u0001');
  if (labels !== shownLabels) { shownLabels = labels; events.refresh(); } // the rows show the labels
  if (state.stream && !picker.stream(state.stream) && gone !== state.stream) {
    gone = state.stream;
    toast(`There is no stream ${state.stream} (yet, or any more: retention removes old ones)`);
  }
  exportLink();
  waiting(body.streams);
}
const refreshStreams = throttle(loadStreams, 500);

function waiting(streams) {
  const w = streams.filter((s) => s.status === 'waiting');
  const sel = picker.stream(state.stream);
  const base = sel ? `${sel.label} · solo monitor` : 'solo monitor';
  if (!w.length) {
    document.title = base;
    $('waiting').hidden = true;
  } else {
    const first = w[0];
    const what = first.waiting_detail || first.waiting_for || 'input';
    document.title = `⏳ ${w.length > 1 ? `${w.length} waiting` : 'Waiting for you'}: ${first.label} — ${what} · solo monitor`;
    const banner = $('waiting');
    banner.hidden = false;
    // a Notification's detail is its message, which is also what it waits for: say it once
    const detail = (s) => (s.waiting_detail && s.waiting_detail !== s.waiting_for ? ` (${s.waiting_detail})` : '');
    banner.replaceChildren(...w.slice(0, 3).map((s) => h('div', null,
      h('strong', null, 'Waiting for you: '),
      h('button', { type: 'button', class: 'link', onclick: () => select(s.id, state.view === 'board' ? 'conversation' : state.view) }, s.label),
      ` — ${s.waiting_for || ''}${detail(s)}, since ${when(s.waiting_since)}`)));
  }
  app.notify.badge();
}

/** The selected stream's held prompt, answerable from any view. */
function holdBanner(body) {
  const banner = $('hold-banner');
  const s = state.view !== 'board' && body.streams.find((x) => x.id === state.stream);
  const hold = s && (s.holds || [])[0];
  if (!hold) { banner.hidden = true; banner.replaceChildren(); return; }
  if (banner.dataset.hold === hold.id && !banner.hidden) return;
  banner.dataset.hold = hold.id;
  banner.hidden = false;
  banner.replaceChildren(h('strong', null, 'Claude asks: '), h('code', null, `${hold.tool}: ${hold.detail || ''}`), ' ', board.holdControls(hold));
}

// ---- connection ------------------------------------------------------------------------------
function connection(s) {
  const c = $('conn');
  c.dataset.state = s;
  $('conn-text').textContent = CONN_TEXT[s] || s;
}

// ---- views, filters and the URL ---------------------------------------------------------------
function changed(reload) {
  const q = new URLSearchParams();
  if (state.stream) q.set('stream', state.stream);
  if (state.view !== 'board') q.set('view', state.view);
  if (state.event) q.set('event', state.event);
  if (state.tool) q.set('tool', state.tool);
  if (state.q) q.set('q', state.q);
  history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
  exportLink();
  $('tool-filter').value = state.tool;
  if (reload) {
    closeDetail();
    events.load();
    loadNames();
    refreshStreams();
  }
  showView();
}

function showView() {
  for (const v of VIEWS) {
    const tab = $(`tab-${v}`);
    const on = v === state.view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`view-${v}`).hidden = !on;
  }
  document.body.dataset.view = state.view;
  if (state.view === 'board') board.load();
  if (state.view === 'conversation') conversation.load(); else conversation.stop();
  if (views[state.view]) views[state.view].load();
  app.refreshBoard();
}

const refreshDerived = throttle(() => { if (views[state.view] && !blocked) views[state.view].load(); }, 1000);

/** The export's file name: the stream's label (without its short id) and its whole id, file-name safe. */
function exportName(id) {
  const label = (picker.stream(id)?.label || '').replace(/\s*\([0-9A-Za-z_-]{1,8}\)$/, '');
  const slug = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60);
  const safeId = id.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${slug ? `${slug}-` : ''}${safeId}.jsonl`;
}

function exportLink() {
  const a = $('export');
  if (state.stream) {
    a.href = `/api/streams/${encodeURIComponent(state.stream)}/export`;
    a.setAttribute('download', exportName(state.stream));
    a.removeAttribute('aria-disabled');
    a.title = 'Download this stream as JSON Lines';
  } else {
    a.href = '#';
    a.removeAttribute('download');
    a.setAttribute('aria-disabled', 'true');
    a.title = 'Choose a stream to export it';
  }
}

async function loadNames() {
  const sel = $('event-filter');
  let names;
  try {
    names = (await get('event-names', { stream: state.stream })).names;
  } catch (e) {
    return;
  }
  const keep = state.event;
  const opts = [h('option', { value: '' }, 'All events')];
  if (keep && !names.some((n) => n.event === keep)) opts.push(h('option', { value: keep }, keep));
  for (const n of names) opts.push(h('option', { value: n.event }, `${n.event} (${n.count})`));
  sel.replaceChildren(...opts);
  sel.value = keep;
}

function toolOptions() {
  const sel = $('tool-filter');
  const names = [...new Set([...TOOLS, ...(state.tool ? [state.tool] : [])])];
  sel.replaceChildren(h('option', { value: '' }, 'All tools'), ...names.map((t) => h('option', { value: t }, t)));
  sel.value = state.tool;
}

// ---- detail pane -----------------------------------------------------------------------------
async function showDetail(id, title) {
  detailId = id;
  const pane = $('detail');
  pane.hidden = false;
  $('detail-title').textContent = shown(title || `Event #${id}`);
  $('detail-body').replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let e;
  try {
    e = await get(`events/${id}`);
  } catch (err) {
    if (detailId === id) $('detail-body').replaceChildren(h('p', { class: 'error' }, `Cannot load event #${id}: ${err.message}`));
    return;
  }
  if (detailId !== id) return;
  detailJson = e;
  const meta = h('p', { class: 'muted' }, `#${e.id} · ${e.event}${e.tool ? ` · ${e.tool}` : ''} · ${when(e.time)} · ${app.labelOf(e.stream)}`,
    e.cut ? ` · ${e.cut.toLocaleString('en-US')} characters were cut when stored` : '',
    e.source === 'import' ? ' · imported from the transcript' : '');
  $('detail-body').replaceChildren(meta, jsonTree(e));
}

function closeDetail() {
  detailId = null;
  detailJson = null;
  $('detail').hidden = true;
}

// ---- controls --------------------------------------------------------------------------------
$('detail-close').addEventListener('click', () => { closeDetail(); $('events').focus(); });
$('detail-copy').addEventListener('click', () => { if (detailJson) copy(JSON.stringify(detailJson, null, 2), 'Event copied as JSON'); });
$('copy-link').addEventListener('click', () => copy(location.href, 'Link copied'));
$('export').addEventListener('click', (e) => {
  e.preventDefault(); // the session travels in a header, so the file is fetched, not followed
  if (!state.stream) { toast('Choose a stream to export it'); return; }
  download(`streams/${encodeURIComponent(state.stream)}/export`, exportName(state.stream))
    .catch((err) => toast(`Export failed: ${err.message}`));
});
$('event-filter').addEventListener('change', (e) => { state.event = e.target.value; changed(true); });
$('tool-filter').addEventListener('change', (e) => { state.tool = e.target.value; changed(true); });
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.q = $('search').value.trim();
  changed(true);
});
$('search').addEventListener('search', () => { if (!$('search').value && state.q) { state.q = ''; changed(true); } });
for (const v of VIEWS) {
  $(`tab-${v}`).addEventListener('click', () => { state.view = v; changed(false); closeDetail(); });
  $(`tab-${v}`).addEventListener('keydown', (e) => {
    const i = VIEWS.indexOf(v);
    const n = VIEWS.length;
    const to = e.key === 'ArrowRight' ? VIEWS[(i + 1) % n] : e.key === 'ArrowLeft' ? VIEWS[(i + n - 1) % n] : null;
    if (!to) return;
    e.preventDefault();
    state.view = to;
    closeDetail();
    changed(false);
    $(`tab-${to}`).focus();
  });
}
let gPressed = 0;
const GO = { b: 'board', c: 'conversation', e: 'events', t: 'tools', f: 'files', a: 'agents' };
document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName || '');
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/') { e.preventDefault(); state.view = 'events'; changed(false); $('search').focus(); return; }
  if (e.key === 'Escape' && !$('detail').hidden) { closeDetail(); return; }
  if (e.key === 'g') { gPressed = Date.now(); return; }
  if (gPressed && Date.now() - gPressed < 1500 && GO[e.key]) {
    gPressed = 0;
    e.preventDefault();
    state.view = GO[e.key];
    closeDetail();
    changed(false);
    const focus = { board: () => $('board').querySelector('.card')?.focus(), conversation: () => $('conversation').focus(), events: () => $('events').focus(), tools: () => $('tools').focus() }[state.view];
    if (focus) focus();
    return;
  }
  gPressed = 0;
});

// ---- theme -----------------------------------------------------------------------------------
const media = matchMedia('(prefers-color-scheme: dark)');
function applyTheme() {
  let stored = null;
  try { stored = localStorage.getItem('solo.theme'); } catch (e) { /* no storage */ }
  const dark = stored ? stored === 'dark' : media.matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  $('theme').setAttribute('aria-pressed', String(dark));
  $('theme').textContent = dark ? 'Light theme' : 'Dark theme';
}
$('theme').addEventListener('click', () => {
  const dark = document.documentElement.dataset.theme !== 'dark';
  try { localStorage.setItem('solo.theme', dark ? 'dark' : 'light'); } catch (e) { /* not remembered */ }
  applyTheme();
});
media.addEventListener('change', applyTheme);
applyTheme();

// ---- start -----------------------------------------------------------------------------------
$('search').value = state.q;
toolOptions();
(async () => {
  await loadStreams();
  if (blocked) return;
  picker.setSelected(state.stream);
  changed(true);
  setInterval(() => { if (!blocked) { loadStreams(); refreshDerived(); app.refreshBoard(); } }, POLL_MS);
})();
