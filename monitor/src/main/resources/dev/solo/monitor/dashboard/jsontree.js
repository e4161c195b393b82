// The full event as a collapsible tree: <details> per object and array (keyboard- and screen-reader
// friendly without scripting), a copy button on each of them and on long strings.
import { h, copy } from './dom.js';

const LONG = 2000;

export function jsonTree(value, openDepth = 3) {
  return h('ul', { class: 'json', role: 'tree', 'aria-label': 'Event JSON' }, node(null, value, 0, openDepth, '$'));
}

function node(key, v, depth, openDepth, path) {
  const label = key == null ? null : h('span', { class: 'k' }, key, ': ');
  if (v !== null && typeof v === 'object') {
    const isArray = Array.isArray(v);
    const entries = isArray ? v.map((x, i) => [i, x]) : Object.entries(v);
    const details = h('details', { role: 'treeitem' });
    details.open = depth < openDepth;
    const size = isArray ? `[${entries.length}]` : `{${entries.length}}`;
    const copyBtn = h('button', {
      type: 'button', class: 'copy', title: `Copy ${path}`, 'aria-label': `Copy ${path}`,
      onclick: (e) => { e.preventDefault(); e.stopPropagation(); copy(JSON.stringify(v, null, 2), `Copied ${path}`); },
    }, 'copy');
    details.append(h('summary', null, label, h('span', { class: 'muted' }, size), ' ', copyBtn));
    const list = h('ul', { role: 'group' });
    for (const [k, x] of entries) list.append(node(String(k), x, depth + 1, openDepth, isArray ? `${path}[${k}]` : `${path}.${k}`));
    details.append(list);
    return h('li', { class: 'branch' }, details);
  }
  const li = h('li', { role: 'treeitem' }, label);
  if (typeof v === 'string') {
    const shown = v.length > LONG ? `${v.slice(0, LONG)}…` : v;
    li.append(h('span', { class: 'v-str' }, JSON.stringify(shown)));
    if (v.length > LONG) {
      li.append(' ', h('button', {
        type: 'button', class: 'copy', onclick: (e) => { e.target.previousSibling.previousSibling.textContent = JSON.stringify(v); e.target.remove(); },
      }, `show all ${v.length.toLocaleString('en-US')} characters`));
    }
    if (v.length > 40 || v.includes('\n')) {
      li.append(' ', h('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${path}`, onclick: () => copy(v, `Copied ${path}`) }, 'copy'));
    }
  } else {
    li.append(h('span', { class: v === null ? 'v-null' : `v-${typeof v}` }, String(v)));
  }
  return li;
}
