// A 30-minute activity sparkline as inline SVG (built through the DOM: no inline style, CSP-safe).
const NS = 'http://www.w3.org/2000/svg';

export function sparkline(counts, label) {
  const w = 90;
  const hgt = 22;
  const max = Math.max(1, ...counts);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(hgt));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const bw = w / Math.max(1, counts.length);
  counts.forEach((c, i) => {
    if (!c) return;
    const bh = Math.max(1.5, (c / max) * (hgt - 2));
    const r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', (i * bw + 0.5).toFixed(1));
    r.setAttribute('y', (hgt - bh).toFixed(1));
    r.setAttribute('width', Math.max(1, bw - 1).toFixed(1));
    r.setAttribute('height', bh.toFixed(1));
    svg.append(r);
  });
  const t = document.createElementNS(NS, 'title');
  t.textContent = label;
  svg.append(t);
  return svg;
}
