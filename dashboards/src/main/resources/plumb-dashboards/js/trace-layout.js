// Turning a trace tree into the rows of a waterfall. Pure functions, tested under Node.

/**
 * Epoch milliseconds with the sub-millisecond fraction kept (Date.parse drops it, and
 * in-process spans are often shorter than a millisecond). Accepts RFC 3339 or epoch ms.
 */
export function tsMillis(ts) {
  if (typeof ts === 'number') return ts;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(String(ts ?? '').trim());
  if (!m) return Date.parse(ts);
  const whole = Date.parse(m[1] + (m[3] ? m[3].toUpperCase() : 'Z'));
  const fraction = m[2] ? Number(`0${m[2]}`) * 1000 : 0;
  return whole + fraction;
}

/**
 * The spans of a tree in waterfall order (each parent before its children, siblings by
 * start), with their depth and their start/end relative to the trace's first span.
 */
export function waterfallRows(roots) {
  const flat = [];
  const visit = (span, depth) => {
    flat.push({ span, depth, startAbs: tsMillis(span.startTs) });
    const children = [...(span.children ?? [])].sort((a, b) => tsMillis(a.startTs) - tsMillis(b.startTs));
    for (const child of children) visit(child, depth + 1);
  };
  [...(roots ?? [])].sort((a, b) => tsMillis(a.startTs) - tsMillis(b.startTs)).forEach((r) => visit(r, 0));
  const origin = Math.min(...flat.map((r) => r.startAbs).filter(Number.isFinite));
  return flat.map((r) => {
    const start = Number.isFinite(r.startAbs) && Number.isFinite(origin) ? r.startAbs - origin : 0;
    const duration = Number(r.span.durationMs) || 0;
    return { span: r.span, depth: r.depth, start, end: start + duration, error: isErrorStatus(r.span.status) };
  });
}

export function isErrorStatus(status) {
  return String(status ?? '').toUpperCase() === 'ERROR';
}

/** The total length of a waterfall: from the first start to the last end. */
export function traceLength(rows) {
  return rows.reduce((max, r) => Math.max(max, r.end), 0);
}
