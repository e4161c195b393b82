// Tokens and dollars as people read them. A tally whose model has no price says so.

/** $0.0421, $1.23, $120; "price unknown" when nothing was priced; "+ price unknown" for a partial sum. */
export function usd(t) {
  if (!t) return '';
  const unknown = t.price_unknown && t.price_unknown.length;
  if (unknown && !t.usd) return 'price unknown';
  const v = t.usd || 0;
  const s = v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(4)}` : v < 100 ? `$${v.toFixed(2)}` : `$${Math.round(v).toLocaleString('en-US')}`;
  return unknown ? `${s} + price unknown (${t.price_unknown.join(', ')})` : s;
}

/** 950, 12.3k, 4.56M */
export function tokens(n) {
  if (n == null) return '0';
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(2)}M`;
}
