// The panel types a dashboard definition can name, and the frame every panel is drawn in.
import { h, replace } from '../dom.js';
import { fill } from '../variables.js';
import { renderTable, renderStat } from './table.js';
import { renderTimeseries } from './timeseries.js';
import { renderLogs } from './logs.js';
import { renderTraceScatter } from './trace-scatter.js';
import { renderWaterfall } from './waterfall.js';
import { renderServiceMap } from './service-map.js';
import { renderCostChart, renderDrivers, renderBenchmark } from './cost.js';

/** Panel renderers by the `type` of a dashboard definition's panel. */
export const PANELS = Object.freeze({
  table: renderTable,
  stat: renderStat,
  timeseries: renderTimeseries,
  logs: renderLogs,
  traceScatter: renderTraceScatter,
  waterfall: renderWaterfall,
  serviceMap: renderServiceMap,
  costChart: renderCostChart,
  drivers: renderDrivers,
  benchmark: renderBenchmark,
});

/** The empty frame of a panel: a titled section whose body renderers fill. */
export function panelFrame(panel, vars) {
  const body = h('div', { class: 'panel-body' });
  const section = h('section', {
    class: `panel w${panel.width ?? 12}`,
    'aria-labelledby': `p-${panel.id}`,
    dataset: { panel: panel.id, type: panel.type, state: 'loading' },
  },
  h('header', { class: 'panel-head' },
    h('h2', { id: `p-${panel.id}` }, fill(panel.title ?? '', vars)),
    panel.description ? h('p', { class: 'panel-desc' }, fill(panel.description, vars)) : null),
  body);
  replace(body, h('p', { class: 'muted loading' }, 'Loading…'));
  return section;
}

/**
 * Draws one panel and records its state on the section (`ready`, `empty`, `error`,
 * `unavailable`, `waiting`), never letting a failure escape to the page.
 */
export async function runPanel(section, panel, ctx) {
  const body = section.querySelector('.panel-body');
  const setState = (state) => { section.dataset.state = state; };
  const missing = (panel.requires ?? []).filter((name) => !ctx.vars[name]);
  if (missing.length) {
    setState('waiting');
    replace(body, h('p', { class: 'empty' }, fill(panel.requiresText ?? `Choose a ${missing.join(' and ')} above.`, ctx.vars)));
    return;
  }
  const render = PANELS[panel.type];
  if (!render) {
    setState('error');
    replace(body, h('p', { class: 'error-text' }, `Unknown panel type "${panel.type}" in this dashboard's definition.`));
    return;
  }
  try {
    const state = await render(body, panel, ctx);
    if (ctx.signal.aborted) return;
    if (state === 'empty') {
      replace(body, emptyState(panel, ctx));
    }
    setState(state ?? 'ready');
    delete section.dataset.errorField;
  } catch (e) {
    if (e?.name === 'AbortError' || ctx.signal.aborted) return;
    setState(e?.notAvailable ? 'unavailable' : 'error');
    if (e?.field) {
      // The search box the bad value came from is marked too (controls may draw after this).
      section.dataset.errorField = e.field;
      document.getElementById(`ctl-${e.field}`)?.setAttribute('aria-invalid', 'true');
    }
    replace(body, errorState(e, panel, ctx));
  }
}

function emptyState(panel, ctx) {
  const text = panel.empty
    ? fill(panel.empty, ctx.vars)
    : `No data in this window — is the agent pointed at ${ctx.vars.otlpHttpUrl}?`;
  return h('p', { class: 'empty' }, text);
}

/** What a failed panel shows: "not available" for endpoints this server lacks, else the server's own words. */
export function errorState(e, panel, ctx) {
  if (e?.notAvailable && e.status === 404 && panel.notFound) {
    return h('p', { class: 'empty' }, fill(panel.notFound, ctx.vars));
  }
  if (e?.notAvailable) {
    return h('p', { class: 'empty unavailable' }, 'Not available: this server does not offer ',
      h('code', {}, e.url ? new URL(e.url).pathname : 'this endpoint'), ' yet.');
  }
  const box = h('div', { class: 'error-box', role: 'alert' },
    h('p', { class: 'error-text' }, e?.status ? `${e.status}: ${e.message}` : String(e?.message ?? e)));
  if (e?.field) box.append(h('p', {}, 'Field: ', h('code', {}, e.field)));
  const queried = e?.field && ctx.vars[e.field];
  if (queried && Number.isInteger(e.position)) {
    box.append(positionMarker(String(queried), e.position));
  }
  if (e?.hint) box.append(h('p', { class: 'hint' }, 'Hint: ', e.hint));
  if (e?.id) box.append(h('p', { class: 'muted' }, 'Error id (in the server log): ', h('code', {}, e.id)));
  return box;
}

/** The query with a caret under the 0-based column the server points at. */
export function positionMarker(query, position) {
  const col = Math.min(Math.max(0, position), query.length);
  return h('pre', { class: 'position-marker', 'aria-label': `error at column ${col}` },
    `${query}\n${' '.repeat(col)}^`);
}
