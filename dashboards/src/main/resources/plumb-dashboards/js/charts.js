// ECharts set-up shared by every chart panel: theme, colours per service, resizing.
import { h } from './dom.js';
import { formatTs } from './format.js';

export const ERROR_COLOR = '#e5484d';

// Distinct, colour-blind-friendlier hues without red, which is reserved for errors.
const PALETTE = ['#4c8dff', '#2fbf71', '#f5a524', '#a371f7', '#17c3d6', '#ff8fab', '#c9b458', '#7d8cff', '#5fd4a0', '#ff9f43'];

const assigned = new Map();

/**
 * A colour per service name: it starts from a hash of the name (stable across reloads) and
 * moves to the next free colour when another service already has it, so that up to ten
 * services seen together never share one.
 */
export function serviceColor(name) {
  const key = String(name);
  if (!assigned.has(key)) {
    let hash = 0;
    for (const ch of key) hash = (hash * 31 + ch.codePointAt(0)) | 0;
    const used = new Set(assigned.values());
    const start = Math.abs(hash) % PALETTE.length;
    let color = PALETTE[start];
    for (let i = 0; i < PALETTE.length; i++) {
      const candidate = PALETTE[(start + i) % PALETTE.length];
      if (!used.has(candidate)) {
        color = candidate;
        break;
      }
    }
    assigned.set(key, color);
  }
  return assigned.get(key);
}

/** Text from telemetry made safe for ECharts tooltips, the one place that takes HTML. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isDark() {
  return document.documentElement.dataset.theme !== 'light';
}

/** The chart in `host`, created on first use and kept across refreshes so that it does not flicker. */
export function chartIn(host, height = 260) {
  if (!globalThis.echarts) {
    throw new Error('charts are unavailable: echarts.min.js did not load from webjars/echarts/5.3.1/');
  }
  let box = host.querySelector(':scope > .chart');
  if (box && box.__chart && !box.__chart.isDisposed()) {
    if (box.style.height !== `${height}px`) {
      box.style.height = `${height}px`;
      box.__chart.resize();
    }
    return box.__chart;
  }
  box = h('div', { class: 'chart', style: `height:${height}px` });
  host.replaceChildren(box);
  const chart = globalThis.echarts.init(box, isDark() ? 'dark' : null, { renderer: 'canvas' });
  box.__chart = chart;
  new ResizeObserver(() => chart.resize()).observe(box);
  return chart;
}

/** Options every chart shares: transparent background, readable text, a time axis tooltip. */
export function baseOption() {
  return {
    backgroundColor: 'transparent',
    aria: { enabled: true },
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 56, right: 24, top: 36, bottom: 36, containLabel: false },
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 4, type: 'scroll' },
    animation: false,
  };
}

/**
 * A time axis whose labels never overlap, however narrow the panel; spanning the chosen
 * window when `min`/`max` are given, so a service that just started does not fill the chart.
 */
export function timeAxis(min = undefined, max = undefined) {
  return { type: 'time', min, max, splitNumber: 4, axisLabel: { hideOverlap: true } };
}

/** A line chart over time: `series` as [{name, color?, data: [[tsMs, value], ...]}]. */
export function timeSeriesOption(series, valueFormatter, { stacked = false, area = false, min, max } = {}) {
  return {
    ...baseOption(),
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter,
      axisPointer: { type: 'cross', label: { formatter: (p) => (p.axisDimension === 'x' ? formatTs(p.value).slice(0, 19) : valueFormatter(p.value)) } },
    },
    xAxis: timeAxis(min, max),
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v) => valueFormatter(v) } },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      showSymbol: s.data.length < 3,
      connectNulls: false,
      stack: stacked ? 'total' : undefined,
      areaStyle: area || stacked ? { opacity: 0.25 } : undefined,
      itemStyle: s.color ? { color: s.color } : undefined,
      lineStyle: { width: 1.6 },
      data: s.data,
    })),
  };
}
