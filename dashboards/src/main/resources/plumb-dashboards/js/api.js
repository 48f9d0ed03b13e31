// The only way the UI talks to the server: GET /api/v1/... with JSON in and typed errors out.

/** A non-2xx answer (or no answer) from the API, carrying the server's {error, field, hint}. */
export class ApiError extends Error {
  constructor(status, body, url) {
    const error = body && typeof body === 'object' ? body : {};
    super(error.error || (status ? `HTTP ${status}` : 'no answer from the server'));
    this.name = 'ApiError';
    this.status = status;
    this.field = error.field ?? null;
    this.hint = error.hint ?? null;
    this.id = error.id ?? null;
    this.position = errorPosition(error);
    this.url = url;
  }

  /** True when the endpoint itself does not exist yet on this server. */
  get notAvailable() {
    return this.status === 404 || this.status === 501;
  }
}

/**
 * The 0-based column a query error points at: the `position` field when the server sends
 * one, else the "at column N" / "position N" in its message; null when there is none.
 */
export function errorPosition(error) {
  if (!error || typeof error !== 'object') return null;
  if (Number.isInteger(error.position) && error.position >= 0) return error.position;
  const m = /\b(?:at column|column|position|at offset|offset)\s+(\d+)/i.exec(String(error.error ?? ''));
  return m ? Number(m[1]) : null;
}

/** Fills `{name}` segments of an API path template, each value URL-encoded. */
export function expandPath(template, vars) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const v = vars[name];
    if (v === undefined || v === null || v === '') throw new Error(`missing value for {${name}} in ${template}`);
    return encodeURIComponent(String(v));
  });
}

/** The URL of an API call, relative to the page so that the UI also works behind a path prefix. */
export function apiUrl(path, params = {}, base = globalThis.document?.baseURI ?? 'http://localhost/') {
  const url = new URL(`api/v1${path}`, base);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url;
}

/** GET a JSON document; rejects with ApiError (or the AbortError of `signal`). */
export async function getJson(path, params = {}, signal = undefined) {
  const url = apiUrl(path, params);
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    throw new ApiError(0, {
      error: 'cannot reach the Plumb server',
      hint: 'is `./plumb serve` still running on this host and port?',
    }, url);
  }
  const text = await res.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = res.ok ? null : { error: text.slice(0, 300) };
      if (res.ok) throw new ApiError(res.status, { error: `the server answered ${url.pathname} with something that is not JSON` }, url);
    }
  }
  if (!res.ok) throw new ApiError(res.status, body, url);
  return body;
}

/**
 * The list of records in an answer: the answer itself when it is an array, else its `key`
 * member, else its first array member (so `{services: [...]}` and `[...]` both work).
 */
export function pickRows(body, key) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  if (key && Array.isArray(body[key])) return body[key];
  const first = Object.values(body).find(Array.isArray);
  return first ?? [];
}
