// Variables that dashboard definitions use as `${name}` in queries, links and titles.
import { chooseCostStep, chooseStep, DEFAULT_FROM, DEFAULT_TO, resolveTime } from './time.js';

/** Every variable the app provides besides route parameters and a dashboard's controls. */
export const BUILTIN_VARIABLES = Object.freeze([
  'from', 'to', 'fromMs', 'toMs', 'step', 'costStep', 'baselineFromMs', 'baselineToMs', 'host', 'otlpHttpUrl',
]);

/** The built-in variables of a moment: the window as written in the URL and as epoch ms. */
export function builtinVariables(query, nowMs = Date.now(), host = 'localhost') {
  const from = query.get('from') || DEFAULT_FROM;
  const to = query.get('to') || DEFAULT_TO;
  let fromMs = resolveTime(from, nowMs);
  let toMs = resolveTime(to, nowMs);
  if (!Number.isFinite(fromMs)) fromMs = resolveTime(DEFAULT_FROM, nowMs);
  if (!Number.isFinite(toMs)) toMs = nowMs;
  const length = Math.max(1, toMs - fromMs);
  return {
    from, to, fromMs, toMs,
    step: chooseStep(fromMs, toMs),
    costStep: chooseCostStep(fromMs, toMs),
    // The baseline of a cost comparison is the window of the same length just before.
    baselineFromMs: fromMs - length,
    baselineToMs: fromMs,
    host,
    otlpHttpUrl: `http://${host}:4318`,
  };
}

/** Replaces `${name}` in text; unknown names become empty so that a query simply omits them. */
export function fill(text, vars) {
  return String(text).replace(/\$\{(\w+)\}/g, (_, name) => {
    const v = vars[name];
    return v === undefined || v === null ? '' : String(v);
  });
}

/** Names of the `${name}` variables a text uses. */
export function usedVariables(text) {
  return [...String(text).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
}

/** Params of a query with their variables filled; empty values are dropped. */
export function fillParams(params = {}, vars = {}) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    const filled = fill(v, vars);
    if (filled !== '') out[k] = filled;
  }
  return out;
}
