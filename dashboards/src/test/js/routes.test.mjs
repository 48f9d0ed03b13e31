import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHash, matchRoute, parseHash, withWindow } from '../js/router.js';
import { builtinVariables, fill, fillParams, usedVariables } from '../js/variables.js';

const ROUTES = [
  { route: '/services' },
  { route: '/service/:service' },
  { route: '/traces' },
  { route: '/traces/:traceId' },
];

test('hash routes match with decoded parameters and keep their query', () => {
  const { path, query } = parseHash('#/service/payment%20api?from=now-6h');
  assert.equal(path, '/service/payment%20api');
  assert.equal(query.get('from'), 'now-6h');
  const m = matchRoute(ROUTES, path);
  assert.equal(m.route.route, '/service/:service');
  assert.deepEqual(m.params, { service: 'payment api' });
  assert.equal(matchRoute(ROUTES, '/traces').route.route, '/traces');
  assert.deepEqual(matchRoute(ROUTES, '/traces/4bf92f35').params, { traceId: '4bf92f35' });
  assert.equal(matchRoute(ROUTES, '/nowhere'), null);
});

test('a log search survives the round trip through the URL', () => {
  const hash = buildHash('/logs', { q: 'service:"payment" AND status:error', limit: '' });
  assert.equal(parseHash(hash).query.get('q'), 'service:"payment" AND status:error');
  assert.equal(parseHash(hash).query.has('limit'), false);
});

test('links carry the time window unless they set their own', () => {
  assert.equal(withWindow('#/service/payment', { from: 'now-6h' }), '#/service/payment?from=now-6h');
  assert.equal(withWindow('#/logs?q=a&from=now-1d', { from: 'now-6h' }), '#/logs?q=a&from=now-1d');
});

test('variables fill queries and the baseline is the window just before', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const vars = builtinVariables(new URLSearchParams('from=now-7d'), now, 'plumb.local');
  assert.equal(vars.from, 'now-7d');
  assert.equal(vars.to, 'now');
  assert.equal(vars.toMs, now);
  assert.equal(vars.baselineToMs, now - 7 * 86400_000);
  assert.equal(vars.baselineFromMs, now - 14 * 86400_000);
  assert.equal(vars.costStep, '1d');
  assert.equal(vars.otlpHttpUrl, 'http://plumb.local:4318');
  assert.equal(fill('service:"${service}" AND status:error', { service: 'payment' }), 'service:"payment" AND status:error');
  assert.deepEqual(fillParams({ service: '${service}', q: '${q}', limit: '20' }, { service: 'cart' }), { service: 'cart', limit: '20' });
  assert.deepEqual(usedVariables('#/cost?groupBy=${groupBy}&service=${group}'), ['groupBy', 'group']);
});

test('a window the URL cannot express falls back to the last hour', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const vars = builtinVariables(new URLSearchParams('from=yesterday'), now);
  assert.equal(vars.fromMs, now - 3600_000);
  assert.equal(vars.step, '1m');
});
