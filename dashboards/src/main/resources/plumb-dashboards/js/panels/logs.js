// Log records, newest first, with severity colours, trace links and expandable attributes.
import { pickRows } from '../api.js';
import { h, replace } from '../dom.js';
import { formatTs } from '../format.js';
import { fill } from '../variables.js';

/** The colour class of a severity text: ERROR and FATAL red, WARN amber, INFO blue, the rest grey. */
export function severityClass(severity) {
  const s = String(severity ?? '').toUpperCase();
  if (s.startsWith('FATAL') || s.startsWith('CRIT') || s.startsWith('EMERG')) return 'sev-fatal';
  if (s.startsWith('ERR')) return 'sev-error';
  if (s.startsWith('WARN')) return 'sev-warn';
  if (s.startsWith('INFO')) return 'sev-info';
  return 'sev-debug';
}

function attributeList(attributes) {
  const entries = Object.entries(attributes ?? {});
  if (!entries.length) return null;
  return h('dl', { class: 'attrs' }, entries.map(([k, v]) => [
    h('dt', {}, k),
    h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v)),
  ]));
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One log line; `onSpan` (optional) is called with its span id when the span link is used. */
export function logLine(log, ctx, { showService = true, onSpan = null } = {}) {
  const attrs = attributeList(log.attributes);
  const line = h('li', { class: `log ${severityClass(log.severity)}`, dataset: { spanId: log.spanId ?? '' } },
    h('time', { datetime: String(log.ts ?? '') }, formatTs(log.ts)),
    h('span', { class: 'sev' }, String(log.severity || '—')),
    showService ? h('a', { class: 'svc', href: ctx.link(`#/service/${encodeURIComponent(log.service ?? '')}`) }, log.service ?? '') : null,
    h('span', { class: 'body' }, String(log.body ?? '')),
    log.traceId && log.traceId !== ctx.vars.traceId
      ? h('a', { class: 'trace-link', href: ctx.link(`#/traces/${encodeURIComponent(log.traceId)}`), title: `trace ${log.traceId}` }, `trace ${String(log.traceId).slice(0, 8)}`)
      : null,
    onSpan && log.spanId
      ? h('button', { type: 'button', class: 'linkish', onclick: () => onSpan(log.spanId) }, 'span')
      : null,
    attrs ? h('details', { class: 'log-attrs' }, h('summary', {}, plural(Object.keys(log.attributes).length, 'attribute')), attrs) : null);
  return line;
}

/** Newest first, whatever order the server used. */
export function newestFirst(logs) {
  return [...logs].sort((a, b) => String(b.ts ?? '').localeCompare(String(a.ts ?? '')));
}

export async function renderLogs(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  let logs = pickRows(answer, panel.rows);
  if (!logs.length) return 'empty';
  logs = panel.order === 'oldest' ? [...logs].reverse() : newestFirst(logs);
  const onSpan = panel.selectsSpan ? (spanId) => ctx.bus.dispatchEvent(new CustomEvent('span', { detail: spanId })) : null;
  const list = h('ol', { class: 'logs', 'aria-label': fill(panel.title ?? 'logs', ctx.vars) },
    logs.map((log) => logLine(log, ctx, { showService: panel.showService !== false, onSpan })));
  const limit = Number(fill(panel.query.params?.limit ?? '', ctx.vars));
  const more = limit && logs.length >= limit
    ? h('p', { class: 'muted' }, `Showing the newest ${logs.length}; narrow the query or the time window to see older records.`)
    : null;
  if (panel.selectsSpan) {
    ctx.bus.addEventListener('span', (ev) => {
      for (const li of list.children) li.classList.toggle('highlight', li.dataset.spanId === ev.detail);
    }, { signal: ctx.signal });
  }
  replace(body, list, more);
  return 'ready';
}
