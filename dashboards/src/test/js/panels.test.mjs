import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLength, tsMillis, waterfallRows } from '../js/trace-layout.js';
import { aggregate, sortRows } from '../js/panels/table.js';
import { costSeries } from '../js/panels/cost.js';
import { graphOf } from '../js/panels/service-map.js';
import { seriesOf } from '../js/panels/timeseries.js';
import { newestFirst, severityClass } from '../js/panels/logs.js';
import { formatDelta, formatMoney, formatMs, formatPercent } from '../js/format.js';

const span = (spanId, service, startTs, durationMs, children = [], status = 'UNSET') => ({
  spanId, service, name: `${service}.op`, startTs, durationMs, status, children,
});

test('timestamps keep their sub-millisecond part', () => {
  assert.equal(tsMillis('2026-03-01T12:00:00.000250Z') - tsMillis('2026-03-01T12:00:00Z'), 0.25);
  assert.equal(tsMillis('2026-03-01T14:00:00.5+02:00'), Date.parse('2026-03-01T12:00:00.500Z'));
  assert.equal(tsMillis(1234), 1234);
});

test('a waterfall lists parents before children, siblings by start, with depth and offsets', () => {
  const tree = [span('a', 'frontend', '2026-03-01T12:00:00.000Z', 230, [
    span('c', 'inventory', '2026-03-01T12:00:00.195Z', 12.5),
    span('b', 'checkout', '2026-03-01T12:00:00.020Z', 170, [
      span('d', 'payment', '2026-03-01T12:00:00.040Z', 120, [], 'ERROR'),
    ]),
  ], 'ERROR')];
  const rows = waterfallRows(tree);
  assert.deepEqual(rows.map((r) => r.span.spanId), ['a', 'b', 'd', 'c']);
  assert.deepEqual(rows.map((r) => r.depth), [0, 1, 2, 1]);
  assert.deepEqual(rows.map((r) => Math.round(r.start)), [0, 20, 40, 195]);
  assert.deepEqual(rows.map((r) => r.error), [true, false, true, false]);
  assert.equal(Math.round(traceLength(rows) * 10) / 10, 230);
});

test('a trace whose parent never arrived still draws each root', () => {
  const rows = waterfallRows([span('x', 'b', '2026-03-01T12:00:01Z', 5), span('y', 'a', '2026-03-01T12:00:00Z', 1)]);
  assert.deepEqual(rows.map((r) => [r.span.spanId, r.depth, r.start]), [['y', 0, 0], ['x', 0, 1000]]);
});

test('cost totals add up per group and sort by total', () => {
  const rows = [
    { group: 'payment', ts: '2026-03-01T00:00:00Z', cpu: 1.5, memory: 0.25, total: 1.75 },
    { group: 'payment', ts: '2026-03-02T00:00:00Z', cpu: 2, memory: 0.5, total: 2.5 },
    { group: 'cart', ts: '2026-03-01T00:00:00Z', cpu: 3, memory: 1, total: 4 },
  ];
  const totals = sortRows(aggregate(rows, { by: 'group', sum: ['cpu', 'memory', 'total'] }), 'total', true);
  assert.deepEqual(totals, [
    { group: 'payment', cpu: 3.5, memory: 0.75, total: 4.25 },
    { group: 'cart', cpu: 3, memory: 1, total: 4 },
  ]);
  const byResource = costSeries(rows, { stackBy: 'resource', resources: ['cpu', 'memory'] });
  assert.deepEqual(byResource.map((s) => [s.name, s.data.map((p) => p[1])]), [['cpu', [4.5, 2]], ['memory', [1.25, 0.5]]]);
  const byGroup = costSeries(rows, { stackBy: 'group', field: 'total', top: 1 });
  assert.deepEqual(byGroup.map((s) => [s.name, s.data.map((p) => p[1])]), [['payment', [1.75, 2.5]], ['other (1)', [4, 0]]]);
});

test('the service map has every service at either end of an edge and those without calls', () => {
  const { nodes } = graphOf(
    [{ from: 'frontend', to: 'checkout', calls: 10, errors: 1, p95Ms: 5 }, { from: 'checkout', to: 'payment', calls: 4, errors: 0, p95Ms: 9 }],
    [{ name: 'batch', requests: 3, errorRate: 0 }],
  );
  assert.deepEqual(nodes.map((n) => n.name).sort(), ['batch', 'checkout', 'frontend', 'payment']);
  assert.equal(nodes.find((n) => n.name === 'checkout').errors, 1);
});

test('requests per step become requests per second and error rates percentages', () => {
  const rows = [{ ts: '2026-03-01T12:00:00Z', requests: 120, errorRate: 0.025 }, { ts: '2026-03-01T12:01:00Z', requests: 60, errorRate: null }];
  const [rate] = seriesOf(rows, { series: [{ field: 'requests', perSecond: true }] }, 60);
  assert.deepEqual(rate.data.map((p) => p[1]), [2, 1]);
  const [errors] = seriesOf(rows, { series: [{ field: 'errorRate', percent: true }] }, 60);
  assert.deepEqual(errors.data.map((p) => p[1]), [2.5, null]);
});

test('logs are shown newest first with a colour per severity', () => {
  const logs = newestFirst([{ ts: '2026-03-01T12:00:00Z' }, { ts: '2026-03-01T12:00:02Z' }, { ts: '2026-03-01T12:00:01Z' }]);
  assert.deepEqual(logs.map((l) => l.ts.slice(17, 19)), ['02', '01', '00']);
  assert.equal(severityClass('ERROR'), 'sev-error');
  assert.equal(severityClass('ERROR2'), 'sev-error');
  assert.equal(severityClass('FATAL'), 'sev-fatal');
  assert.equal(severityClass('WARN'), 'sev-warn');
  assert.equal(severityClass('INFO'), 'sev-info');
  assert.equal(severityClass(''), 'sev-debug');
});

test('figures are written the way an on-call engineer reads them', () => {
  assert.equal(formatPercent(0.0123), '1.23%');
  assert.equal(formatPercent(0.25), '25.0%');
  assert.equal(formatMs(0.42), '0.42 ms');
  assert.equal(formatMs(12.34), '12.3 ms');
  assert.equal(formatMs(480), '480 ms');
  assert.equal(formatMs(1500), '1.50 s');
  assert.equal(formatMoney(0.0316), '0.0316');
  assert.equal(formatDelta(-1.2), '−1.20');
  assert.equal(formatDelta(0.86), '+0.86');
});

test('a trace opens on the deepest failed span, where the error started', async () => {
  const { initialSpan } = await import('../js/panels/waterfall.js');
  const rows = waterfallRows([span('a', 'frontend', '2026-03-01T12:00:00Z', 10, [
    span('b', 'checkout', '2026-03-01T12:00:00.001Z', 8, [span('c', 'payment', '2026-03-01T12:00:00.002Z', 5, [], 'ERROR')], 'ERROR'),
    span('d', 'inventory', '2026-03-01T12:00:00.003Z', 1),
  ], 'ERROR')]);
  assert.equal(rows[initialSpan(rows)].span.spanId, 'c');
  assert.equal(initialSpan(waterfallRows([span('r', 'x', '2026-03-01T12:00:00Z', 1)])), 0);
});

test('money columns keep one precision for every row', async () => {
  const { formatMoney, moneyDigits } = await import('../js/format.js');
  assert.equal(formatMoney(0, moneyDigits(0.05)), '0.0000');
  assert.equal(formatMoney(0, moneyDigits(12)), '0.00');
});
