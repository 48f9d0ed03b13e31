// RED charts: requests per second, error rate and latency percentiles over time.
import { pickRows } from '../api.js';
import { chartIn, timeSeriesOption } from '../charts.js';
import { UNITS } from '../format.js';
import { durationSeconds } from '../time.js';
import { tsMillis } from '../trace-layout.js';
import { fill } from '../variables.js';

/**
 * The chart series of a panel: each configured field over time, as a per-second rate when
 * `perSecond` (divided by the step), as a percentage when `percent` (fraction × 100).
 */
export function seriesOf(rows, panel, stepSeconds) {
  return panel.series.map((s) => ({
    name: s.label ?? s.field,
    color: s.color,
    data: rows.map((row) => {
      const raw = row[s.field];
      // A step without a figure (no requests, so no rate) is a gap, not a zero.
      let v = raw === null || raw === undefined ? NaN : Number(raw);
      if (!Number.isFinite(v)) return [tsMillis(row[panel.x ?? 'ts']), null];
      if (s.perSecond) v /= stepSeconds;
      if (s.percent) v *= 100;
      return [tsMillis(row[panel.x ?? 'ts']), v];
    }),
  }));
}

export async function renderTimeseries(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const rows = pickRows(answer, panel.rows);
  if (!rows.length) return 'empty';
  // The server may answer with the step it used; prefer it to the one asked for.
  const stepSeconds = durationSeconds(answer?.step ?? fill(panel.query.params?.step ?? '1m', ctx.vars)) || 60;
  const unit = UNITS[panel.unit] ?? UNITS.int;
  const chart = chartIn(body, panel.height ?? 240);
  chart.setOption(timeSeriesOption(seriesOf(rows, panel, stepSeconds), unit, { area: panel.area, min: ctx.vars.fromMs, max: ctx.vars.toMs }), true);
  return 'ready';
}
