// Time windows, relative time expressions and the RED step chosen for a window.
// Pure functions: no DOM, so they are tested under Node as well as used in the browser.

/** The windows of the time picker, as the API's relative `from` expressions. */
export const WINDOWS = Object.freeze([
  { label: '15m', from: 'now-15m' },
  { label: '1h', from: 'now-1h' },
  { label: '6h', from: 'now-6h' },
  { label: '24h', from: 'now-24h' },
  { label: '7d', from: 'now-7d' },
]);

export const DEFAULT_FROM = 'now-1h';
export const DEFAULT_TO = 'now';

const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration such as `500ms`, `15s`, `5m`, `1h`, `7d`; NaN when it is not one. */
export function durationSeconds(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|[smhdw])$/.exec(String(text).trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : NaN;
}

/**
 * Epoch milliseconds of a time parameter as the API accepts it: `now`, `now-1h`, epoch
 * milliseconds, or RFC 3339. NaN when the text is none of these.
 */
export function resolveTime(text, nowMs = Date.now()) {
  const t = String(text ?? '').trim();
  if (t === 'now') return nowMs;
  const rel = /^now-(\d+(?:\.\d+)?[smhdw])$/.exec(t);
  if (rel) return nowMs - durationSeconds(rel[1]) * 1000;
  if (/^\d{10,}$/.test(t)) return Number(t);
  // Date.parse also accepts loose forms; only RFC 3339 shapes are allowed through.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) return Date.parse(t);
  return NaN;
}

// Steps a person reads easily on an axis, smallest first.
const NICE_STEPS = [10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The step (as `1m`, `5m`, ...) that gives at most about 90 points over the window. */
export function chooseStep(fromMs, toMs, maxPoints = 90) {
  const windowSeconds = Math.max(1, (toMs - fromMs) / 1000);
  const wanted = windowSeconds / maxPoints;
  const step = NICE_STEPS.find((s) => s >= wanted) ?? NICE_STEPS[NICE_STEPS.length - 1];
  return formatDuration(step);
}

/** Hourly cost rows for windows up to two days, daily rows beyond. */
export function chooseCostStep(fromMs, toMs) {
  return toMs - fromMs <= 2 * 86400_000 ? '1h' : '1d';
}

/** A whole number of seconds as the largest exact unit: 90 → `90s`, 300 → `5m`, 86400 → `1d`. */
export function formatDuration(seconds) {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]]) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The picker label of a relative window (`now-6h` → `6h`), or null for anything else. */
export function windowLabel(from, to) {
  if (to !== DEFAULT_TO) return null;
  const w = WINDOWS.find((x) => x.from === from);
  return w ? w.label : null;
}
