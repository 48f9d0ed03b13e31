import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, apiUrl, errorPosition, expandPath, pickRows } from '../js/api.js';

test('the column of a query error comes from the position field or from the message', () => {
  assert.equal(errorPosition({ error: 'x', position: 7 }), 7);
  assert.equal(errorPosition({ error: "unexpected ')' at column 14: remove it or add a matching '('" }), 14);
  assert.equal(errorPosition({ error: 'unterminated quote at position 3' }), 3);
  assert.equal(errorPosition({ error: 'unknown service' }), null);
  assert.equal(errorPosition(null), null);
});

test('an API error keeps the server error, field and hint and knows a missing endpoint', () => {
  const e = new ApiError(400, { error: "unexpected ')' at column 14", field: 'q', hint: 'remove it' }, 'http://h/api/v1/logs');
  assert.equal(e.message, "unexpected ')' at column 14");
  assert.equal(e.field, 'q');
  assert.equal(e.hint, 'remove it');
  assert.equal(e.position, 14);
  assert.equal(e.notAvailable, false);
  assert.equal(new ApiError(404, null, 'u').notAvailable, true);
  assert.equal(new ApiError(0, null, 'u').message, 'no answer from the server');
});

test('path parameters are URL-encoded and a missing one is named', () => {
  assert.equal(expandPath('/services/{service}/red', { service: 'a b/c' }), '/services/a%20b%2Fc/red');
  assert.throws(() => expandPath('/traces/{traceId}', {}), /traceId/);
});

test('API URLs sit under api/v1 relative to the page and drop empty parameters', () => {
  const url = apiUrl('/logs', { q: 'service:payment AND status:error', limit: 100, from: '' }, 'http://h:4320/');
  assert.equal(url.pathname, '/api/v1/logs');
  assert.equal(url.searchParams.get('q'), 'service:payment AND status:error');
  assert.equal(url.searchParams.get('limit'), '100');
  assert.equal(url.searchParams.has('from'), false);
  assert.equal(apiUrl('/services', {}, 'http://h/plumb/').pathname, '/plumb/api/v1/services');
});

test('records are found in an array answer or under their key', () => {
  assert.deepEqual(pickRows([{ a: 1 }], 'services'), [{ a: 1 }]);
  assert.deepEqual(pickRows({ services: [{ a: 2 }] }, 'services'), [{ a: 2 }]);
  assert.deepEqual(pickRows({ step: '1m', points: [{ a: 3 }] }, 'rows'), [{ a: 3 }]);
  assert.deepEqual(pickRows(null, 'x'), []);
});
