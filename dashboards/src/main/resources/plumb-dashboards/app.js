// Plumb's dashboards: hash routes → dashboard definitions (JSON) → panels that query /api/v1.
import { getJson, pickRows } from './js/api.js';
import { h, replace } from './js/dom.js';
import { panelFrame, runPanel } from './js/panels/index.js';
import { buildHash, matchRoute, parseHash, withWindow } from './js/router.js';
import { DEFAULT_FROM, DEFAULT_TO, WINDOWS, windowLabel } from './js/time.js';
import { builtinVariables, fill, fillParams } from './js/variables.js';

const REFRESH_MS = 10_000;
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const toolbar = document.getElementById('toolbar');
const banner = document.getElementById('banner');

const state = {
  index: null,
  definitions: new Map(),
  autoRefresh: localStorage.getItem('plumb.autoRefresh') !== 'off',
  view: null, // { key, dashboard, frames, vars, controller }
  cycle: null,
};

// A failure that escaped a panel still must not go unnoticed or leave a broken page.
window.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  if (ev.reason?.name === 'AbortError') return;
  showBanner(`Something failed in the page: ${ev.reason?.message ?? ev.reason}`);
});
window.addEventListener('error', (ev) => showBanner(`Something failed in the page: ${ev.message}`));

function showBanner(text) {
  replace(banner, h('span', {}, text), h('button', { type: 'button', class: 'linkish', onclick: () => { banner.hidden = true; } }, 'dismiss'));
  banner.hidden = false;
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}

function initialTheme() {
  const saved = localStorage.getItem('plumb.theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

async function definition(file) {
  if (!state.definitions.has(file)) {
    state.definitions.set(file, fetch(new URL(`dashboards/${file}`, document.baseURI)).then((res) => {
      if (!res.ok) throw new Error(`dashboard definition dashboards/${file} answered ${res.status}`);
      return res.json();
    }).catch((e) => {
      state.definitions.delete(file);
      throw e;
    }));
  }
  return state.definitions.get(file);
}

function currentWindow(query) {
  return { from: query.get('from') || DEFAULT_FROM, to: query.get('to') || DEFAULT_TO };
}

/** Carries the time window into a link, leaving the defaults out so URLs stay short. */
function linkWith(vars) {
  const window = {};
  if (vars.from !== DEFAULT_FROM) window.from = vars.from;
  if (vars.to !== DEFAULT_TO) window.to = vars.to;
  return (hash) => withWindow(hash, window);
}

function renderNav(path, vars) {
  const link = linkWith(vars);
  replace(nav, h('ul', {}, state.index.dashboards.filter((d) => d.nav).map((d) => {
    const active = path === d.route || path.startsWith(`${d.navPrefix ?? d.route}/`);
    return h('li', {}, h('a', { href: link(`#${d.route}`), 'aria-current': active ? 'page' : null }, d.title));
  })));
}

function renderToolbar(path, query, dashboard) {
  const { from, to } = currentWindow(query);
  const label = windowLabel(from, to);
  const goWindow = (windowFrom) => {
    const values = Object.fromEntries(query);
    values.from = windowFrom === DEFAULT_FROM ? '' : windowFrom;
    values.to = '';
    location.hash = buildHash(path, values);
  };
  const picker = h('div', { class: 'picker', role: 'group', 'aria-label': 'Time window' },
    WINDOWS.map((w) => h('button', {
      type: 'button',
      'aria-pressed': String(label === w.label),
      onclick: () => goWindow(w.from),
    }, w.label)),
    label ? null : h('span', { class: 'custom-window', title: 'set by the URL' }, `${from} → ${to}`));
  const refreshable = dashboard?.refresh !== false && to === DEFAULT_TO;
  const auto = h('button', {
    type: 'button',
    class: 'auto',
    'aria-pressed': String(state.autoRefresh && refreshable),
    disabled: !refreshable,
    title: refreshable ? 'Refresh every 10 seconds' : 'This view does not refresh by itself',
    onclick: () => {
      state.autoRefresh = !state.autoRefresh;
      localStorage.setItem('plumb.autoRefresh', state.autoRefresh ? 'on' : 'off');
      renderToolbar(path, query, dashboard);
    },
  }, state.autoRefresh && refreshable ? 'Auto 10s' : 'Auto off');
  const now = h('button', { type: 'button', title: 'Refresh now', 'aria-label': 'Refresh now', onclick: () => refresh() }, '⟳');
  const theme = h('button', {
    type: 'button',
    title: 'Switch between dark and light',
    'aria-label': 'Switch between dark and light',
    onclick: () => {
      const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
      localStorage.setItem('plumb.theme', next);
      applyTheme(next);
      // Charts take their theme at creation, so the view is drawn anew.
      state.view = null;
      route();
    },
  }, '◐');
  replace(toolbar, picker, auto, now, theme, h('span', { class: 'updated muted', id: 'updated' }, ''));
}

async function controlOptions(control, vars, signal) {
  if (control.options) return control.options;
  if (!control.optionsFrom) return null;
  try {
    const q = control.optionsFrom;
    const body = await getJson(q.path, fillParams(q.params, vars), signal);
    return [...new Set(pickRows(body, q.rows).map((r) => r[q.field]).filter(Boolean))].sort();
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    return null; // A free-text field stands in when the list cannot be had.
  }
}

async function renderControls(dashboard, path, query, vars, signal) {
  const controls = dashboard.controls ?? [];
  if (!controls.length) return null;
  const form = h('form', { class: 'controls', role: 'search' });
  const submit = () => {
    const values = Object.fromEntries(query);
    for (const c of controls) values[c.var] = form.elements[c.var]?.value?.trim() ?? '';
    location.hash = buildHash(path, values);
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
  for (const c of controls) {
    const id = `ctl-${c.var}`;
    const value = vars[c.var] ?? '';
    let input;
    const options = c.type === 'select' ? await controlOptions(c, vars, signal) : null;
    if (options) {
      const all = value && !options.includes(value) ? [value, ...options] : options;
      input = h('select', { id, name: c.var, onchange: submit },
        c.includeEmpty !== undefined ? h('option', { value: '' }, c.includeEmpty) : null,
        all.map((o) => h('option', { value: o, selected: o === value }, o)));
    } else {
      input = h('input', {
        id,
        name: c.var,
        type: c.type === 'number' ? 'number' : 'search',
        min: c.type === 'number' ? '0' : null,
        value,
        placeholder: c.placeholder ?? '',
        spellcheck: 'false',
        autocomplete: 'off',
        class: c.type === 'search' ? 'query' : '',
      });
    }
    if (document.querySelector(`[data-error-field="${c.var}"]`)) input.setAttribute('aria-invalid', 'true');
    form.append(h('label', { for: id, class: `control ${c.type === 'search' ? 'grow' : ''}` }, h('span', {}, c.label ?? c.var), input));
  }
  form.append(h('button', { type: 'submit', class: 'primary' }, dashboard.submitLabel ?? 'Search'));
  const help = dashboard.help ? h('p', { class: 'muted help' }, dashboard.help) : null;
  return [form, help];
}

function variablesFor(entry, dashboard, params, query) {
  const vars = builtinVariables(query, Date.now(), location.hostname || 'localhost');
  for (const c of dashboard.controls ?? []) if (c.default !== undefined) vars[c.var] = c.default;
  for (const [k, v] of query) if (k !== 'from' && k !== 'to') vars[k] = v;
  Object.assign(vars, params);
  return vars;
}

/** Fetches for one refresh cycle, each URL once however many panels use it. */
function newCycle(vars) {
  state.cycle?.controller.abort();
  const controller = new AbortController();
  const cache = new Map();
  const bus = new EventTarget();
  const ctx = {
    vars,
    signal: controller.signal,
    bus,
    link: linkWith(vars),
    fetch: (q) => {
      const key = JSON.stringify([fill(q.path, vars), fillParams(q.params, vars)]);
      if (!cache.has(key)) {
        let path;
        try {
          path = q.path.replace(/\{(\w+)\}/g, (_, name) => {
            if (!vars[name]) throw new Error(`this view needs a ${name}`);
            return encodeURIComponent(vars[name]);
          });
        } catch (e) {
          return Promise.reject(e);
        }
        cache.set(key, getJson(path, fillParams(q.params, vars), controller.signal));
      }
      return cache.get(key);
    },
    refreshPanel: (id) => {
      const frame = state.view?.frames.find((f) => f.panel.id === id);
      if (frame) runPanel(frame.section, frame.panel, ctx);
    },
  };
  state.cycle = { controller, ctx };
  return ctx;
}

async function runCycle(ctx) {
  const frames = state.view?.frames ?? [];
  ctx.running = true;
  await Promise.all(frames.map((f) => runPanel(f.section, f.panel, ctx)));
  ctx.running = false;
  if (!ctx.signal.aborted) {
    const updated = document.getElementById('updated');
    if (updated) updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
  }
}

async function route() {
  const { path, query } = parseHash(location.hash);
  if (path === '/') {
    location.replace('#/services');
    return;
  }
  if (!state.index) state.index = await definition('index.json');
  const match = matchRoute(state.index.dashboards, path);
  if (!match) {
    state.view = null;
    state.cycle?.controller.abort();
    renderToolbar(path, query, null);
    replace(main, h('div', { class: 'empty-page' }, h('h1', {}, 'No such page'),
      h('p', {}, 'Nothing lives at ', h('code', {}, location.hash), '. Try ', h('a', { href: '#/services' }, 'the services'), '.')));
    return;
  }
  const dashboard = await definition(match.route.file);
  const vars = variablesFor(match.route, dashboard, match.params, query);
  renderNav(path, vars);
  renderToolbar(path, query, dashboard);
  const ctx = newCycle(vars);

  const title = fill(dashboard.title ?? match.route.title, vars);
  document.title = `${title} · Plumb`;
  const grid = h('div', { class: 'grid' });
  const frames = (dashboard.panels ?? []).map((panel) => ({ panel, section: panelFrame(panel, vars) }));
  for (const f of frames) grid.append(f.section);
  const heading = h('div', { class: 'page-head' },
    h('h1', {}, title),
    dashboard.subtitle ? h('p', { class: 'muted' }, fill(dashboard.subtitle, vars)) : null,
    (dashboard.links ?? []).length
      ? h('p', { class: 'page-links' }, dashboard.links.map((l) => h('a', { href: ctx.link(fill(l.href, vars)) }, fill(l.label, vars))))
      : null);
  const controlsSlot = h('div', { class: 'controls-slot' });
  replace(main, heading, controlsSlot, grid);
  state.view = { dashboard, frames, vars };
  main.focus({ preventScroll: true });

  renderControls(dashboard, path, query, vars, ctx.signal)
    .then((nodes) => { if (nodes) replace(controlsSlot, nodes); })
    .catch((e) => { if (e?.name !== 'AbortError') replace(controlsSlot, h('p', { class: 'error-text' }, String(e.message ?? e))); });
  await runCycle(ctx);
}

/** Draws the current view's panels again with fresh data, in place. */
function refresh() {
  if (!state.view) return route().catch(routeFailed);
  const { query } = parseHash(location.hash);
  const match = matchRoute(state.index.dashboards, parseHash(location.hash).path);
  if (!match) return undefined;
  const vars = variablesFor(match.route, state.view.dashboard, match.params, query);
  state.view.vars = vars;
  return runCycle(newCycle(vars));
}

function routeFailed(e) {
  replace(main, h('div', { class: 'empty-page', role: 'alert' }, h('h1', {}, 'This view could not be drawn'),
    h('p', { class: 'error-text' }, String(e?.message ?? e))));
}

function tick() {
  const view = state.view;
  const { query } = parseHash(location.hash);
  const live = (query.get('to') || DEFAULT_TO) === DEFAULT_TO;
  // A slow server is not asked again while the previous refresh is still on its way.
  const busy = state.cycle?.ctx.running;
  if (view && !busy && state.autoRefresh && live && view.dashboard.refresh !== false && !document.hidden) {
    refresh();
  }
}

applyTheme(initialTheme());
window.addEventListener('hashchange', () => route().catch(routeFailed));
setInterval(tick, REFRESH_MS);
route().catch(routeFailed);
