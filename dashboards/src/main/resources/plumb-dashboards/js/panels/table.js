// Tables (services, traces, cost totals, peers) and stat tiles, configured by columns.
import { pickRows } from '../api.js';
import { h, replace } from '../dom.js';
import { formatMoney, formatValue, moneyDigits } from '../format.js';
import { fill } from '../variables.js';

// Sort choices survive the 10-second refresh, keyed by panel id.
const sortState = new Map();

/** Rows summed per `by` field: the totals of the cost table. */
export function aggregate(rows, { by, sum = [] }) {
  const groups = new Map();
  for (const row of rows) {
    const key = row[by];
    const acc = groups.get(key) ?? Object.fromEntries([[by, key], ...sum.map((f) => [f, 0])]);
    for (const f of sum) acc[f] += Number(row[f]) || 0;
    groups.set(key, acc);
  }
  return [...groups.values()];
}

export function sortRows(rows, field, desc) {
  const dir = desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[field];
    const y = b[field];
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
    return String(x ?? '').localeCompare(String(y ?? '')) * dir;
  });
}

function cellClass(col, value) {
  if (col.badAbove !== undefined && value > col.badAbove) return 'bad';
  if (col.warnAbove !== undefined && value > col.warnAbove) return 'warn';
  return '';
}

export async function renderTable(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  let rows = pickRows(answer, panel.rows);
  if (panel.aggregate) rows = aggregate(rows, panel.aggregate);
  if (!rows.length) return 'empty';
  const sort = sortState.get(panel.id) ?? panel.sort ?? null;
  if (sort) rows = sortRows(rows, sort.field, sort.desc);
  if (panel.limit) rows = rows.slice(0, panel.limit);

  const head = h('tr', {}, panel.columns.map((col) => {
    const active = sort?.field === col.field;
    const ariaSort = active ? (sort.desc ? 'descending' : 'ascending') : 'none';
    return h('th', { scope: 'col', class: col.align === 'right' ? 'num' : '', 'aria-sort': ariaSort },
      h('button', {
        type: 'button',
        class: 'sort',
        onclick: () => {
          sortState.set(panel.id, { field: col.field, desc: active ? !sort.desc : true });
          ctx.refreshPanel(panel.id);
        },
      }, col.label ?? col.field, active ? (sort.desc ? ' ▾' : ' ▴') : ''));
  }));
  // A money column uses one precision for all its rows, set by its largest amount.
  const digits = Object.fromEntries(panel.columns.filter((c) => c.format === 'money').map((c) => [c.field,
    moneyDigits(Math.max(...rows.map((r) => Math.abs(Number(r[c.field]) || 0))))]));
  const bodyRows = rows.map((row) => {
    const vars = { ...ctx.vars, ...row };
    // A row link may apply only to some choices, e.g. cost rows are services only when grouped so.
    const linkApplies = Object.entries(panel.rowLinkWhen ?? {}).every(([k, v]) => String(ctx.vars[k]) === v);
    const href = panel.rowLink && linkApplies ? ctx.link(fill(panel.rowLink, vars)) : null;
    const tr = h('tr', {
      class: href ? 'clickable' : '',
      dataset: { key: String(row[panel.columns[0].field] ?? '') },
      onclick: href ? (ev) => { if (!ev.target.closest('a, button')) location.hash = href; } : null,
    });
    for (const col of panel.columns) {
      const value = row[col.field];
      const text = col.format === 'money' ? formatMoney(Number(value), digits[col.field]) : formatValue(value, col.format);
      const cls = [col.align === 'right' ? 'num' : '', cellClass(col, value), col.format === 'error' && value ? 'bad' : ''].join(' ').trim();
      const link = col.link ? ctx.link(fill(col.link, vars)) : null;
      tr.append(h('td', { class: cls, title: col.format === 'id' ? String(value ?? '') : null },
        link ? h('a', { href: link }, text) : text));
    }
    return tr;
  });
  replace(body, h('div', { class: 'table-wrap' },
    h('table', {}, h('thead', {}, head), h('tbody', {}, bodyRows))));
  return 'ready';
}

/** A row of big figures for one record, such as one service's requests, error rate and p99. */
export async function renderStat(body, panel, ctx) {
  const answer = await ctx.fetch(panel.query);
  const rows = pickRows(answer, panel.rows);
  const match = Object.entries(panel.match ?? {}).map(([k, v]) => [k, fill(v, ctx.vars)]);
  const row = rows.find((r) => match.every(([k, v]) => String(r[k]) === v));
  if (!row) return 'empty';
  replace(body, h('div', { class: 'stats' }, panel.stats.map((s) => h('div', { class: `stat ${cellClass(s, row[s.field])}` },
    h('div', { class: 'stat-value' }, formatValue(row[s.field], s.format)),
    h('div', { class: 'stat-label' }, s.label ?? s.field)))));
  return 'ready';
}
