// Trace search results as duration over time, errors in red; a point opens its trace.
import { pickRows } from '../api.js';
import { baseOption, chartIn, ERROR_COLOR, escapeHtml, serviceColor, timeAxis } from '../charts.js';
import { formatInt, formatMs, formatTs } from '../format.js';
import { tsMillis } from '../trace-layout.js';

export async function renderTraceScatter(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const traces = pickRows(answer, panel.rows).filter((t) => t.startTs !== undefined);
  if (!traces.length) return 'empty';
  const chart = chartIn(body, panel.height ?? 200);
  chart.setOption({
    ...baseOption(),
    legend: { show: false },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const t = traces[p.dataIndex];
        return `${escapeHtml(t.rootService)} · ${escapeHtml(t.rootName)}<br>${formatMs(t.durationMs)} · ${formatInt(t.spanCount)} spans${t.error ? ' · <b>error</b>' : ''}<br>${formatTs(t.startTs)}`;
      },
    },
    xAxis: timeAxis(),
    yAxis: { type: 'value', name: 'duration', axisLabel: { formatter: (v) => formatMs(v) } },
    series: [{
      type: 'scatter',
      symbolSize: 9,
      data: traces.map((t) => ({
        value: [tsMillis(t.startTs), t.durationMs],
        itemStyle: { color: t.error ? ERROR_COLOR : serviceColor(t.rootService) },
      })),
    }],
  }, true);
  chart.off('click');
  chart.on('click', (p) => {
    const t = traces[p.dataIndex];
    if (t) location.hash = ctx.link(`#/traces/${encodeURIComponent(t.traceId)}`);
  });
  return 'ready';
}
