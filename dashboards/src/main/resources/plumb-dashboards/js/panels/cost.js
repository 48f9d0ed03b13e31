// Cost views: spend over time stacked by resource or group, drivers of a change, peer benchmark.
import { pickRows } from '../api.js';
import { baseOption, chartIn, timeAxis, serviceColor } from '../charts.js';
import { h, replace } from '../dom.js';
import { formatDelta, formatMoney } from '../format.js';
import { tsMillis } from '../trace-layout.js';
import { fill } from '../variables.js';

const RESOURCE_COLORS = { cpu: '#4c8dff', memory: '#a371f7', storage: '#f5a524', network: '#17c3d6' };

/**
 * Bar series of cost rows: one per resource summed over groups (`stackBy: resource`), or one
 * per group for the `field` (`stackBy: group`), the smallest beyond `top` folded into "other".
 */
export function costSeries(rows, panel) {
  const times = [...new Set(rows.map((r) => tsMillis(r.ts)))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const sumBy = (key, field) => {
    const out = new Map();
    for (const r of rows) {
      const name = key(r);
      if (!out.has(name)) out.set(name, new Array(times.length).fill(0));
      out.get(name)[at.get(tsMillis(r.ts))] += Number(r[field]) || 0;
    }
    return out;
  };
  let named;
  if (panel.stackBy === 'group') {
    const byGroup = sumBy((r) => r.group, panel.field ?? 'total');
    const ranked = [...byGroup.entries()].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0));
    const top = panel.top ?? 8;
    named = ranked.slice(0, top).map(([name, values]) => ({ name, values, color: serviceColor(name) }));
    if (ranked.length > top) {
      const other = new Array(times.length).fill(0);
      for (const [, values] of ranked.slice(top)) values.forEach((v, i) => { other[i] += v; });
      named.push({ name: `other (${ranked.length - top})`, values: other, color: '#8b949e' });
    }
  } else {
    const resources = panel.resources ?? ['cpu', 'memory', 'storage', 'network'];
    named = resources.map((res) => ({ name: res, values: sumBy(() => res, res).get(res) ?? [], color: RESOURCE_COLORS[res] }));
  }
  return named.map((s) => ({ name: s.name, color: s.color, data: times.map((t, i) => [t, s.values[i] ?? 0]) }));
}

export async function renderCostChart(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const rows = pickRows(answer, panel.rows ?? 'rows');
  if (!rows.length) return 'empty';
  const series = costSeries(rows, panel);
  // Bars stand at the start of their step; half a step of room keeps the first and last whole.
  const times = series[0]?.data.map((p) => p[0]) ?? [];
  const half = times.length > 1 ? (times[1] - times[0]) / 2 : 1800_000;
  const chart = chartIn(body, panel.height ?? 280);
  chart.setOption({
    ...baseOption(),
    tooltip: { trigger: 'axis', confine: true, valueFormatter: formatMoney },
    xAxis: timeAxis(Math.min(ctx.vars.fromMs, times[0] - half), Math.max(ctx.vars.toMs, times[times.length - 1] + half)),
    yAxis: { type: 'value', name: answer?.currency ?? '', axisLabel: { formatter: (v) => formatMoney(v) } },
    series: series.map((s) => ({
      name: s.name, type: 'bar', stack: 'cost', barMaxWidth: 36, itemStyle: { color: s.color }, data: s.data,
    })),
  }, true);
  return 'ready';
}

export async function renderDrivers(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const drivers = [...pickRows(answer, 'drivers')].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
  if (!answer || (answer.currentTotal === undefined && !drivers.length)) return 'empty';
  const sum = drivers.reduce((acc, d) => acc + (Number(d.delta) || 0), 0);
  const currency = answer.currency ? ` (${answer.currency})` : '';
  const mismatch = Number.isFinite(answer.delta) && Math.abs(sum - answer.delta) >= 0.005;
  replace(body,
    h('div', { class: 'stats' },
      stat(formatMoney(answer.baselineTotal), `previous window${currency}`),
      stat(formatMoney(answer.currentTotal), `this window${currency}`),
      stat(formatDelta(answer.delta), 'change', answer.delta > 0 ? 'bad' : answer.delta < 0 ? 'good' : '')),
    drivers.length
      ? h('ol', { class: 'drivers' }, drivers.map((d) => h('li', {},
        h('span', { class: `delta ${d.delta > 0 ? 'bad' : d.delta < 0 ? 'good' : ''}` }, formatDelta(d.delta)),
        h('span', { class: 'explanation' }, d.explanation ?? ''),
        h('span', { class: 'muted driver-name' }, d.driver ?? ''))))
      : h('p', { class: 'empty' }, 'No change between the two windows.'),
    mismatch ? h('p', { class: 'warn' }, `The drivers add up to ${formatDelta(sum)}, not ${formatDelta(answer.delta)}.`) : null);
  return 'ready';
}

function stat(value, label, cls = '') {
  return h('div', { class: `stat ${cls}` }, h('div', { class: 'stat-value' }, value), h('div', { class: 'stat-label' }, label));
}

export async function renderBenchmark(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const service = fill('${service}', ctx.vars);
  const peers = [...pickRows(answer, 'peers')];
  if (!answer || (!peers.length && answer.costPerHour === undefined)) return 'empty';
  if (!peers.some((p) => p.service === service) && answer.costPerHour !== undefined) {
    peers.push({ service, costPerHour: answer.costPerHour, costPer1kRequests: answer.costPer1kRequests });
  }
  const field = panel.field ?? 'costPerHour';
  peers.sort((a, b) => (Number(b[field]) || 0) - (Number(a[field]) || 0));
  const rankText = answer.rank ? `rank ${answer.rank} of ${answer.of ?? peers.length}` : `${peers.length} peers`;
  const median = answer.medianCostPerHour ?? answer.median;
  const currency = answer.currency ? ` (${answer.currency})` : '';
  const group = answer.peerGroup ? `peers: ${answer.peerGroup}` : 'among peers';
  const chartBox = h('div', {});
  replace(body,
    h('div', { class: 'stats' },
      stat(formatMoney(answer.costPerHour), `cost per hour${currency}`),
      stat(formatMoney(answer.costPer1kRequests), `per 1,000 requests${currency}`),
      stat(rankText, median !== undefined ? `${group}, median ${formatMoney(median)}/h` : `${group} (1 = costliest)`)),
    chartBox);
  const chart = chartIn(chartBox, 36 + peers.length * 24);
  chart.setOption({
    backgroundColor: 'transparent',
    aria: { enabled: true },
    animation: false,
    grid: { left: 160, right: 70, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: formatMoney },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => formatMoney(v) } },
    yAxis: { type: 'category', inverse: true, data: peers.map((p) => p.service), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      name: panel.fieldLabel ?? field,
      label: { show: true, position: 'right', formatter: (p) => formatMoney(p.value) },
      data: peers.map((p) => ({
        value: Number(p[field]) || 0,
        itemStyle: { color: p.service === service ? '#f5a524' : '#4c8dff', opacity: p.service === service ? 1 : 0.65 },
      })),
    }],
  }, true);
  return 'ready';
}
