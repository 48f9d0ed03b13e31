// A trace as a waterfall: one row per span, indented by depth, coloured by service, errors red.
import { pickRows } from '../api.js';
import { chartIn, ERROR_COLOR, escapeHtml, serviceColor } from '../charts.js';
import { h, replace } from '../dom.js';
import { formatMs, formatTs } from '../format.js';
import { traceLength, waterfallRows } from '../trace-layout.js';

const ROW_HEIGHT = 26;
const MAX_INDENT = 12;

function attributeTable(attributes) {
  const entries = Object.entries(attributes ?? {});
  if (!entries.length) return h('p', { class: 'muted' }, 'no attributes');
  return h('table', { class: 'kv' }, h('tbody', {}, entries.map(([k, v]) => h('tr', {},
    h('th', { scope: 'row' }, k),
    h('td', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))))));
}

/** The details of a span: what the on-call engineer reads after clicking its bar. */
export function spanDetails(row) {
  const s = row.span;
  const events = (s.events ?? []).map((e) => h('div', { class: 'event' },
    h('h4', {}, `${e.name} at ${formatTs(e.ts)}`),
    e.attributes?.['exception.stacktrace']
      ? h('pre', { class: 'stack' }, String(e.attributes['exception.stacktrace']))
      : attributeTable(e.attributes)));
  return h('div', { class: `span-details ${row.error ? 'is-error' : ''}` },
    h('h3', {}, h('span', { class: 'swatch', style: `background:${row.error ? ERROR_COLOR : serviceColor(s.service)}` }), `${s.service} · ${s.name}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'duration'), h('dd', {}, formatMs(s.durationMs)),
      h('dt', {}, 'starts at'), h('dd', {}, `+${formatMs(row.start)} (${formatTs(s.startTs)})`),
      h('dt', {}, 'status'), h('dd', { class: row.error ? 'bad' : '' }, [s.status ?? 'UNSET', s.statusMessage ? ` — ${s.statusMessage}` : ''].join('')),
      s.kind ? [h('dt', {}, 'kind'), h('dd', {}, s.kind)] : null,
      h('dt', {}, 'span id'), h('dd', {}, h('code', {}, s.spanId ?? '')),
      h('dt', {}, 'parent'), h('dd', {}, h('code', {}, s.parentSpanId || '(root)'))),
    h('h4', {}, 'Attributes'), attributeTable(s.attributes),
    events.length ? [h('h4', {}, 'Events'), events] : null);
}

/**
 * The span shown first: the deepest failed span, where the error most likely started (its
 * callers fail because it did), else the root.
 */
export function initialSpan(rows) {
  let best = 0;
  rows.forEach((r, i) => {
    if (r.error && (!rows[best].error || r.depth > rows[best].depth)) best = i;
  });
  return best;
}

export async function renderWaterfall(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const rows = waterfallRows(pickRows(answer, 'spans'));
  if (!rows.length) return 'empty';
  const total = traceLength(rows) || 1;
  const services = [...new Set(rows.map((r) => r.span.service))];
  const errors = rows.filter((r) => r.error).length;

  const summary = h('p', { class: 'trace-summary' },
    h('strong', {}, formatMs(total)), ` · ${rows.length} spans · ${services.length} services`,
    errors ? h('span', { class: 'bad' }, ` · ${errors} failed`) : null,
    ' · ', services.map((s) => h('span', { class: 'legend-item' }, h('span', { class: 'swatch', style: `background:${serviceColor(s)}` }), s, ' ')));
  const chartBox = h('div', { class: 'waterfall-chart' });
  const details = h('div', { class: 'waterfall-details', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Click a span for its attributes, events and status.'));
  replace(body, summary, chartBox, details);

  const labelWidth = 320;
  const chart = chartIn(chartBox, rows.length * ROW_HEIGHT + 48);
  const rich = Object.fromEntries(Array.from({ length: MAX_INDENT + 1 }, (_, d) => [`d${d}`, { width: d * 14 }]));
  chart.setOption({
    backgroundColor: 'transparent',
    aria: { enabled: true },
    animation: false,
    grid: { left: labelWidth, right: 90, top: 28, bottom: 12 },
    tooltip: {
      confine: true,
      formatter: (p) => {
        const r = rows[p.dataIndex];
        return `${escapeHtml(r.span.service)} · ${escapeHtml(r.span.name)}<br>${formatMs(r.span.durationMs)} at +${formatMs(r.start)}${r.error ? '<br><b>ERROR</b>' : ''}`;
      },
    },
    xAxis: { type: 'value', position: 'top', min: 0, max: total, axisLabel: { formatter: (v) => formatMs(v) }, splitLine: { lineStyle: { opacity: 0.3 } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r, i) => i),
      axisTick: { show: false },
      axisLabel: {
        // Left-aligned from the chart's edge, so that the depth padding shows as indentation.
        align: 'left',
        margin: labelWidth - 8,
        width: labelWidth - 16,
        overflow: 'truncate',
        formatter: (i) => {
          const r = rows[i];
          const d = Math.min(r.depth, MAX_INDENT);
          return `{d${d}|}${r.span.service} · ${r.span.name}`;
        },
        rich,
      },
    },
    series: [{
      type: 'custom',
      encode: { x: [1, 2], y: 0 },
      data: rows.map((r, i) => ({
        value: [i, r.start, r.end],
        itemStyle: { color: r.error ? ERROR_COLOR : serviceColor(r.span.service) },
      })),
      renderItem: (params, api) => {
        const y = api.value(0);
        const a = api.coord([api.value(1), y]);
        const b = api.coord([api.value(2), y]);
        const height = api.size([0, 1])[1] * 0.62;
        const r = rows[params.dataIndex];
        return {
          type: 'group',
          children: [{
            type: 'rect',
            shape: { x: a[0], y: a[1] - height / 2, width: Math.max(2, b[0] - a[0]), height, r: 2 },
            style: { fill: api.visual('color') },
          }, {
            type: 'text',
            style: { x: Math.max(a[0], b[0]) + 6, y: a[1], text: formatMs(r.span.durationMs), verticalAlign: 'middle', fill: '#8b949e', font: '11px sans-serif' },
          }],
        };
      },
    }],
  }, true);

  const select = (index) => {
    const r = rows[index];
    if (!r) return;
    replace(details, spanDetails(r));
    chart.dispatchAction({ type: 'downplay' });
    chart.dispatchAction({ type: 'highlight', dataIndex: index });
  };
  chart.off('click');
  chart.on('click', (p) => {
    select(p.dataIndex);
    ctx.bus.dispatchEvent(new CustomEvent('span', { detail: rows[p.dataIndex].span.spanId }));
  });
  ctx.bus.addEventListener('span', (ev) => {
    const index = rows.findIndex((r) => r.span.spanId === ev.detail);
    if (index >= 0) select(index);
  }, { signal: ctx.signal });
  select(initialSpan(rows));
  return 'ready';
}
