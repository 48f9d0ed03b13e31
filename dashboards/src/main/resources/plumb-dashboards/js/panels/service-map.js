// The service map: services as nodes, calls between them as edges with calls, errors and p95.
import { pickRows } from '../api.js';
import { chartIn, ERROR_COLOR, escapeHtml, isDark, serviceColor } from '../charts.js';
import { formatInt, formatMs, formatPercent } from '../format.js';

/** Nodes and links of the graph: every service at either end of an edge, plus those with no calls. */
export function graphOf(edges, services = []) {
  const nodes = new Map();
  const node = (name) => {
    if (!nodes.has(name)) nodes.set(name, { name, calls: 0, errors: 0, summary: null });
    return nodes.get(name);
  };
  for (const s of services) node(s.name).summary = s;
  for (const e of edges) {
    node(e.from);
    const to = node(e.to);
    to.calls += Number(e.calls) || 0;
    to.errors += Number(e.errors) || 0;
  }
  return { nodes: [...nodes.values()], links: edges };
}

export async function renderServiceMap(body, panel, ctx) {
  const [edgeAnswer, serviceAnswer] = await Promise.all([
    ctx.fetch(panel.query),
    panel.servicesQuery ? ctx.fetch(panel.servicesQuery) : Promise.resolve([]),
  ]);
  const edges = pickRows(edgeAnswer, 'edges');
  const services = pickRows(serviceAnswer, 'services');
  if (!edges.length && !services.length) return 'empty';
  const { nodes, links } = graphOf(edges, services);
  const maxCalls = Math.max(1, ...links.map((e) => Number(e.calls) || 0));
  const text = isDark() ? '#c9d1d9' : '#24292f';

  const chart = chartIn(body, panel.height ?? 520);
  chart.setOption({
    backgroundColor: 'transparent',
    aria: { enabled: true },
    animation: false,
    tooltip: {
      confine: true,
      formatter: (p) => {
        if (p.dataType === 'edge') {
          const e = p.data.edge;
          return `${escapeHtml(e.from)} → ${escapeHtml(e.to)}<br>${formatInt(e.calls)} calls · ${formatInt(e.errors)} errors (${formatPercent(e.calls ? e.errors / e.calls : 0)})<br>p95 ${formatMs(e.p95Ms)}`;
        }
        const s = p.data.node.summary;
        return s
          ? `<b>${escapeHtml(s.name)}</b><br>${formatInt(s.requests)} requests · ${formatPercent(s.errorRate)} errors<br>p95 ${formatMs(s.p95Ms)} · p99 ${formatMs(s.p99Ms)}`
          : `<b>${escapeHtml(p.data.name)}</b>`;
      },
    },
    series: [{
      type: 'graph',
      layout: 'force',
      roam: true,
      draggable: true,
      force: { repulsion: 1400, edgeLength: [200, 340], gravity: 0.05, friction: 0.2 },
      edgeSymbol: ['none', 'arrow'],
      edgeSymbolSize: 9,
      label: { show: true, position: 'bottom', color: text, fontSize: 13 },
      edgeLabel: {
        show: true,
        fontSize: 11,
        color: text,
        formatter: (p) => `${formatInt(p.data.edge.calls)} calls · ${formatInt(p.data.edge.errors)} err · p95 ${formatMs(p.data.edge.p95Ms)}`,
      },
      data: nodes.map((n) => {
        const rate = n.summary ? n.summary.errorRate : (n.calls ? n.errors / n.calls : 0);
        return {
          name: n.name,
          node: n,
          symbolSize: 26 + Math.min(30, Math.log10(1 + (n.summary?.requests ?? n.calls)) * 7),
          itemStyle: {
            color: serviceColor(n.name),
            borderColor: rate > 0.01 ? ERROR_COLOR : 'transparent',
            borderWidth: rate > 0.01 ? 4 : 0,
          },
        };
      }),
      links: links.map((e) => ({
        source: e.from,
        target: e.to,
        edge: e,
        lineStyle: {
          width: 1 + 5 * ((Number(e.calls) || 0) / maxCalls),
          color: e.errors > 0 ? ERROR_COLOR : '#8b949e',
          opacity: 0.85,
          curveness: 0.12,
        },
      })),
    }],
  }, true);
  chart.off('click');
  chart.on('click', (p) => {
    if (p.dataType === 'node') location.hash = ctx.link(`#/service/${encodeURIComponent(p.data.name)}`);
  });
  return 'ready';
}
