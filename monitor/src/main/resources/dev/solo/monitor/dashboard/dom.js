// Small DOM and formatting helpers. Text always goes in through textContent, never as HTML.

// The bidirectional embedding, override and isolate controls. Inside a file name or a command they make
// the text read other than it is ("\u202Eevil.txt" shows as "txt.live"), so they are shown by name instead.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const BIDI_NAMES = {
  '\u202A': 'LRE', '\u202B': 'RLE', '\u202C': 'PDF', '\u202D': 'LRO', '\u202E': 'RLO',
  '\u2066': 'LRI', '\u2067': 'RLI', '\u2068': 'FSI', '\u2069': 'PDI',
};

/** {@code s} as it may be shown: every bidi control written out as ‹RLO› and the like. */
export function shown(s) {
  return String(s).replace(BIDI, (c) => `‹${BIDI_NAMES[c]}›`);
}

/** h('span', {class: 'x', onclick: f}, 'text', child) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = shown(v);
      else if (k === 'title') el.setAttribute(k, shown(v));
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(shown(c)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

const two = (n) => String(n).padStart(2, '0');

/** 14:03:07.123 in local time. */
export function clock(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** 14:03:07, with the date when it is not today. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const t = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return d.toDateString() === new Date().toDateString() ? t : `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${t}`;
}

/** 850 ms, 3.2 s, 4 min 5 s, 2 h 3 min. */
export function duration(ms) {
  if (ms == null || !isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

const GROUPED = new Intl.NumberFormat('en-US'); // toLocaleString builds one per call

/** 1234 → 1,234; 123456 → 123k. */
export function count(n) {
  if (n >= 100_000) return `${Math.round(n / 1000)}k`;
  return GROUPED.format(n);
}

export function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 2500);
}

/** Copies text to the clipboard; says so (or why not) in the toast. */
export async function copy(text, what = 'Copied') {
  try {
    await navigator.clipboard.writeText(text);
    toast(what);
  } catch (e) {
    const ta = h('textarea', { class: 'sr-only' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    toast(ok ? what : 'The browser refused the clipboard; select the text and copy it by hand');
  }
}

/** Runs fn at most once per `ms`, trailing call included. */
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => { timer = null; last = Date.now(); fn(); }, wait);
  };
}
