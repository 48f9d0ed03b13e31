// How numbers, times and durations are written in tables, tooltips and axis labels.

const intFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatInt(n) {
  return Number.isFinite(n) ? intFormat.format(n) : '–';
}

/** A fraction as a percentage: 0.0123 → `1.23%`. */
export function formatPercent(fraction) {
  if (!Number.isFinite(fraction)) return '–';
  const p = fraction * 100;
  const digits = p === 0 || p >= 10 ? 1 : 2;
  return `${p.toFixed(digits)}%`;
}

/** Milliseconds, switching to seconds from 1 s: 0.42 → `0.42 ms`, 1500 → `1.50 s`. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** The decimals that show an amount of money: four below 0.1 (cents of cents matter there), else two. */
export function moneyDigits(amount) {
  const abs = Math.abs(amount);
  return abs > 0 && abs < 0.1 ? 4 : 2;
}

/** An amount of money in the pricing file's currency units, with `digits` decimals if given. */
export function formatMoney(amount, digits = moneyDigits(amount)) {
  if (!Number.isFinite(amount)) return '–';
  return amount.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A signed money delta: `+0.86`, `−1.20`. */
export function formatDelta(amount) {
  if (!Number.isFinite(amount)) return '–';
  const sign = amount > 0 ? '+' : amount < 0 ? '−' : '±';
  return sign + formatMoney(Math.abs(amount));
}

/** A timestamp (RFC 3339 text or epoch ms) as local date and time with milliseconds. */
export function formatTs(ts) {
  const d = toDate(ts);
  if (!d) return '–';
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function toDate(ts) {
  if (ts === null || ts === undefined || ts === '') return null;
  const d = typeof ts === 'number' ? new Date(ts) : new Date(String(ts));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The value of a table cell by the `format` named in a dashboard definition. */
export const FORMATS = Object.freeze({
  text: (v) => (v === null || v === undefined || v === '' ? '–' : String(v)),
  int: formatInt,
  percent: formatPercent,
  ms: formatMs,
  money: formatMoney,
  delta: formatDelta,
  ts: formatTs,
  bool: (v) => (v ? 'yes' : 'no'),
  error: (v) => (v ? 'error' : 'ok'),
  hours: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} h` : '–'),
  id: (v) => (v ? String(v).slice(0, 16) : '–'),
});

export function formatValue(value, format = 'text') {
  const f = FORMATS[format] ?? FORMATS.text;
  return f(value);
}

/** Formats for chart axes and tooltips, by the `unit` a dashboard panel names. */
export const UNITS = Object.freeze({
  rate: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(0)}/s` : '–'),
  percent: (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)}%` : '–'),
  ms: formatMs,
  money: formatMoney,
  int: formatInt,
});
