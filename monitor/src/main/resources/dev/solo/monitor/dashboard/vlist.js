// A virtualised list: only the rows in view (plus a few) are in the DOM, at fixed height, over a
// spacer as tall as all rows. The rows array is owned by the caller and bounded by it. The height is
// the scroller's CSS variable --row-h (a narrow window stacks a row's cells on two or three lines).
import { h } from './dom.js';

const ROW = 28;
const OVERSCAN = 8;

export class VList {
  /**
   * @param el the scroller element (role=grid, focusable)
   * @param renderRow (item, index) => row element
   * @param onSelect (item, index) => void, when the selection moves
   */
  constructor(el, renderRow, onSelect) {
    this.el = el;
    this.renderRow = renderRow;
    this.onSelect = onSelect;
    this.items = [];
    this.selected = -1;
    this.spacer = h('div', { class: 'spacer', role: 'presentation' });
    el.append(this.spacer);
    this.frame = 0;
    this.rh = ROW;
    this.drawn = new Map(); // item → its row in the DOM, for the rows in view
    this.pinned = Infinity; // the scrollTop toBottom() last set
    el.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => { this.measure(); this.schedule(); }).observe(el);
    el.addEventListener('keydown', (e) => this.key(e));
    el.addEventListener('click', (e) => {
      const row = e.target.closest('[data-index]');
      if (row) this.select(Number(row.dataset.index));
    });
  }

  set(items) {
    this.items = items;
    this.redraw();
  }

  /** Draws every row anew (the rows' content changed: labels, columns); {@link render} keeps drawn rows. */
  redraw() {
    this.drawn = new Map();
    this.spacer.replaceChildren();
    this.render();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** The height of one row in px, as the stylesheet set it at the last {@link measure}. */
  rowHeight() {
    return this.rh;
  }

  /** Reads the row height again: after the scroller was resized, or its classes changed. */
  measure() {
    this.rh = parseFloat(getComputedStyle(this.el).getPropertyValue('--row-h')) || ROW;
  }

  atBottom() {
    return this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - this.rowHeight();
  }

  toBottom() {
    this.el.scrollTop = this.el.scrollHeight;
    this.pinned = this.el.scrollTop;
  }

  /**
   * Whether a list that followed its bottom still does: it is at the bottom, or not above where {@link
   * toBottom} last put it (rows added below since, the next frame scrolls to them: not the reader's doing).
   */
  stillAtBottom() {
    return this.atBottom() || this.el.scrollTop >= this.pinned;
  }

  /**
   * Puts the rows in view (plus OVERSCAN) in the DOM. A row already drawn for the same item is kept and
   * only moved: following a live list, a frame adds the new rows and removes the ones scrolled out
   * instead of building every visible row again.
   */
  render() {
    const n = this.items.length;
    const rh = this.rowHeight();
    this.spacer.style.height = `${n * rh}px`;
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / rh) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + this.el.clientHeight) / rh) + OVERSCAN);
    const drawn = new Map();
    const rows = [];
    for (let i = first; i < last; i++) {
      const item = this.items[i];
      let row = this.drawn.get(item);
      if (!row) {
        row = this.renderRow(item, i);
        row.setAttribute('role', 'row');
      }
      drawn.set(item, row);
      const index = String(i);
      if (row.dataset.index !== index) {
        row.dataset.index = index;
        row.setAttribute('aria-rowindex', String(i + 1));
      }
      const y = i * rh;
      if (row.vlistY !== y) { // the row's offset, kept on the element so that a kept row is not restyled
        row.style.transform = `translateY(${y}px)`;
        row.vlistY = y;
      }
      const selected = i === this.selected;
      if (selected !== row.classList.contains('selected')) {
        row.classList.toggle('selected', selected);
        if (selected) row.setAttribute('aria-selected', 'true');
        else row.removeAttribute('aria-selected');
      }
      rows.push(row);
    }
    for (const [item, row] of this.drawn) if (drawn.get(item) !== row) row.remove();
    this.drawn = drawn;
    // in document order, moving only what is out of place (following a live list: only the new rows go in)
    let at = this.spacer.firstChild;
    for (const row of rows) {
      if (row === at) at = at.nextSibling;
      else this.spacer.insertBefore(row, at);
    }
    const sel = this.selected >= first && this.selected < last ? this.spacer.querySelector('.selected') : null;
    if (sel) this.el.setAttribute('aria-activedescendant', sel.id);
    else this.el.removeAttribute('aria-activedescendant');
  }

  select(i, reveal = false) {
    if (i < 0 || i >= this.items.length) return;
    this.selected = i;
    if (reveal) {
      const rh = this.rowHeight();
      const y = i * rh;
      if (y < this.el.scrollTop) this.el.scrollTop = y;
      else if (y + rh > this.el.scrollTop + this.el.clientHeight) this.el.scrollTop = y + rh - this.el.clientHeight;
    }
    this.render();
    this.onSelect(this.items[i], i);
  }

  /** Keeps the selection on the same item when rows were added or removed before it. */
  shift(by) {
    if (this.selected >= 0) this.selected += by;
    if (this.selected < 0 || this.selected >= this.items.length) this.selected = -1;
  }

  key(e) {
    const page = Math.max(1, Math.floor(this.el.clientHeight / this.rowHeight()) - 1);
    const i = this.selected < 0 ? this.items.length : this.selected;
    const moves = {
      ArrowDown: i + 1, j: i + 1, ArrowUp: i - 1, k: i - 1,
      PageDown: i + page, PageUp: i - page, Home: 0, End: this.items.length - 1,
    };
    if (!(e.key in moves) || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    this.select(Math.max(0, Math.min(this.items.length - 1, moves[e.key])), true);
  }
}
