// The dashboard: wires the header (connection, stream dropdown, theme), the four views, the detail
// pane and the URL (stream, view and filters live in the query string, so a link reopens the view).
import { h, $, when, toast, copy, throttle } from './dom.js';
import { get, onUnauthorized } from './api.js';
import { Live } from './live.js';
import { StreamPicker } from './streams.js';
import { EventsView } from './events.js';
import { ToolsView, FilesView, AgentsView } from './views.js';
import { jsonTree } from './jsontree.js';

const VIEWS = ['events', 'tools', 'files', 'agents'];
const POLL_MS = 2000;
const CONN_TEXT = { connecting: 'connecting', live: 'live', reconnecting: 'reconnecting…', offline: 'offline — retrying', unauthorized: 'no access' };

const url = new URLSearchParams(location.search);
const state = {
  stream: url.get('stream') || '',
  view: VIEWS.includes(url.get('view')) ? url.get('view') : 'events',
  event: url.get('event') || '',
  q: url.get('q') || '',
};
let detailId = null;
let detailJson = null;
let blocked = false;
let gone = null;

const app = {
  filters: () => ({ stream: state.stream, event: state.event, q: state.q }),
  labelOf: (id) => picker.stream(id)?.label || id.slice(0, 8),
  stream: (id) => picker.stream(id),
  streamStatus: () => picker.stream(state.stream)?.status,
  toast,
  showDetail,
  closeDetail,
  live: null,
};

const picker = new StreamPicker((id) => {
  state.stream = id;
  state.event = '';
  $('event-filter').value = '';
  changed(true);
});
app.live = new Live(
  (row) => { events.live(row); refreshDerived(); refreshStreams(); },
  connection,
  () => { refreshStreams(); refreshDerived(); });
const events = new EventsView(app);
const views = { tools: new ToolsView(app), files: new FilesView(app), agents: new AgentsView(app) };

onUnauthorized(() => {
  if (blocked) return;
  blocked = true;
  $('unauthorized').hidden = false;
  $('body').hidden = true;
  connection('unauthorized');
  document.title = 'solo monitor — no access';
});

// ---- streams and the title -------------------------------------------------------------------
async function loadStreams() {
  let body;
  try {
    body = await get('streams');
  } catch (e) {
    return;
  }
  picker.update(body);
  events.refresh();
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
    return;
  }
  const first = w[0];
  const what = first.waiting_detail || first.waiting_for || 'input';
  document.title = `⏳ ${w.length > 1 ? `${w.length} waiting` : 'Waiting for you'}: ${first.label} — ${what} · solo monitor`;
  const banner = $('waiting');
  banner.hidden = false;
  banner.replaceChildren(...w.slice(0, 3).map((s) => h('div', null,
    h('strong', null, 'Waiting for you: '),
    h('button', { type: 'button', class: 'link', onclick: () => { if (state.stream !== s.id) { picker.setSelected(s.id); state.stream = s.id; changed(true); } } }, s.label),
    ` — ${s.waiting_for || ''}${s.waiting_detail ? ` (${s.waiting_detail})` : ''}, since ${when(s.waiting_since)}`)));
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
  if (state.view !== 'events') q.set('view', state.view);
  if (state.event) q.set('event', state.event);
  if (state.q) q.set('q', state.q);
  history.replaceState(null, '', `${location.pathname}${q.toString() ? `?${q}` : ''}`);
  exportLink();
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
  if (state.view !== 'events') views[state.view].load();
}

const refreshDerived = throttle(() => { if (state.view !== 'events' && !blocked) views[state.view].load(); }, 1000);

function exportLink() {
  const a = $('export');
  if (state.stream) {
    a.href = `/api/streams/${encodeURIComponent(state.stream)}/export`;
    a.setAttribute('download', `${state.stream}.jsonl`);
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

// ---- detail pane -----------------------------------------------------------------------------
async function showDetail(id, title) {
  detailId = id;
  const pane = $('detail');
  pane.hidden = false;
  $('detail-title').textContent = title || `Event #${id}`;
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
    e.cut ? ` · ${e.cut.toLocaleString('en-US')} characters were cut when stored` : '');
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
$('export').addEventListener('click', (e) => { if (!state.stream) { e.preventDefault(); toast('Choose a stream to export it'); } });
$('event-filter').addEventListener('change', (e) => { state.event = e.target.value; changed(true); });
$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.q = $('search').value.trim();
  changed(true);
});
$('search').addEventListener('search', () => { if (!$('search').value && state.q) { state.q = ''; changed(true); } });
for (const v of VIEWS) {
  $(`tab-${v}`).addEventListener('click', () => { state.view = v; changed(false); });
  $(`tab-${v}`).addEventListener('keydown', (e) => {
    const i = VIEWS.indexOf(v);
    const to = e.key === 'ArrowRight' ? VIEWS[(i + 1) % 4] : e.key === 'ArrowLeft' ? VIEWS[(i + 3) % 4] : null;
    if (!to) return;
    e.preventDefault();
    state.view = to;
    changed(false);
    $(`tab-${to}`).focus();
  });
}
document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement?.tagName || '');
  if (e.key === '/' && !typing) { e.preventDefault(); $('search').focus(); }
  else if (e.key === 'Escape' && !$('detail').hidden && !typing) closeDetail();
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
(async () => {
  await loadStreams();
  if (blocked) return;
  picker.setSelected(state.stream);
  changed(true);
  setInterval(() => { if (!blocked) { loadStreams(); refreshDerived(); } }, POLL_MS);
})();
