// Hash routes such as #/service/payment?from=now-6h, so that any view is a URL to paste in chat.

/** Splits `#/logs?q=a` into its path (`/logs`) and query (URLSearchParams). */
export function parseHash(hash) {
  const raw = String(hash ?? '').replace(/^#/, '') || '/';
  const qAt = raw.indexOf('?');
  const path = qAt < 0 ? raw : raw.slice(0, qAt);
  const query = new URLSearchParams(qAt < 0 ? '' : raw.slice(qAt + 1));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

/**
 * The first route whose pattern (`/service/:service`) matches the path, with its decoded
 * parameters; null when none does.
 */
export function matchRoute(routes, path) {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.route.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i].startsWith(':')) {
        try {
          params[pattern[i].slice(1)] = decodeURIComponent(parts[i]);
        } catch {
          ok = false;
        }
      } else {
        ok = pattern[i] === parts[i];
      }
    }
    if (ok) return { route, params };
  }
  return null;
}

/** A hash for a path and query values; empty values are left out. */
export function buildHash(path, values = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/**
 * A link of a dashboard definition (`#/service/${name}` already filled) with the current time
 * window carried over, unless the link sets its own.
 */
export function withWindow(hash, window) {
  const { path, query } = parseHash(hash);
  for (const [k, v] of Object.entries(window)) {
    if (v && !query.has(k)) query.set(k, v);
  }
  const qs = query.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}
