import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseCostStep, chooseStep, durationSeconds, formatDuration, resolveTime, windowLabel } from '../js/time.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const H = 3600_000;

test('each picker window gets a step a person reads easily, at most about 90 points', () => {
  assert.equal(chooseStep(NOW - 15 * 60_000, NOW), '10s');
  assert.equal(chooseStep(NOW - H, NOW), '1m');
  assert.equal(chooseStep(NOW - 6 * H, NOW), '5m');
  assert.equal(chooseStep(NOW - 24 * H, NOW), '20m');
  assert.equal(chooseStep(NOW - 7 * 24 * H, NOW), '2h');
});

test('cost is hourly up to two days and daily beyond', () => {
  assert.equal(chooseCostStep(NOW - 24 * H, NOW), '1h');
  assert.equal(chooseCostStep(NOW - 7 * 24 * H, NOW), '1d');
});

test('time parameters resolve like the API reads them', () => {
  assert.equal(resolveTime('now', NOW), NOW);
  assert.equal(resolveTime('now-1h', NOW), NOW - H);
  assert.equal(resolveTime('now-7d', NOW), NOW - 7 * 24 * H);
  assert.equal(resolveTime('1772366400000', NOW), 1772366400000);
  assert.equal(resolveTime('2026-03-01T11:00:00Z', NOW), NOW - H);
  assert.ok(Number.isNaN(resolveTime('yesterday', NOW)));
  assert.ok(Number.isNaN(resolveTime('now-1y', NOW)));
});

test('durations read and write in the same units', () => {
  assert.equal(durationSeconds('15s'), 15);
  assert.equal(durationSeconds('5m'), 300);
  assert.equal(durationSeconds('1d'), 86400);
  assert.equal(durationSeconds('500ms'), 0.5);
  assert.ok(Number.isNaN(durationSeconds('5 minutes')));
  assert.equal(formatDuration(90), '90s');
  assert.equal(formatDuration(1200), '20m');
  assert.equal(formatDuration(86400), '1d');
});

test('only the picker windows ending now get a picker label', () => {
  assert.equal(windowLabel('now-6h', 'now'), '6h');
  assert.equal(windowLabel('now-2h', 'now'), null);
  assert.equal(windowLabel('now-6h', '2026-03-01T00:00:00Z'), null);
});
