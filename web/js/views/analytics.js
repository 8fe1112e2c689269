// Analytics dashboard (analytics.read): the last 30 days of viewing, QoE and engagement from
// GET /api/v1/admin/analytics/{overview,qoe,engagement}, a chart of views and watch hours per day (uPlot, packaged
// from its npm tarball by the control-api build), "now watching" refreshed every 10 s, and each table as CSV.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { loadScript } from '../player/vendor.js';

/** Keep in step with uplot.version in control-api/pom.xml (AnalyticsDashboardAssetsTest checks it is packaged). */
export const UPLOT_JS_URL = '/vendor/uplot-1.6.32/dist/uPlot.iife.min.js';
export const UPLOT_CSS_URL = '/vendor/uplot-1.6.32/dist/uPlot.min.css';
const LIVE_MS = 10_000;

const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
const num = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString());
const change = (v) => (v === null || v === undefined ? '' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(0)} %`);

async function loadUplot() {
  if (!document.querySelector(`link[href="${UPLOT_CSS_URL}"]`)) {
    document.head.append(h('link', { rel: 'stylesheet', href: UPLOT_CSS_URL }));
  }
  if (!window.uPlot) await loadScript(UPLOT_JS_URL);
  return window.uPlot;
}

function card(label, value, delta) {
  return h('div.stat', h('span.stat-label', label), h('strong.stat-value', value), delta ? h('span.stat-change', delta) : null);
}

function csvButton(report, table, q) {
  return h('button.link', {
    type: 'button',
    onclick: async () => {
      const blob = await api.analytics.csv(report, { ...q, table });
      const a = h('a', { href: URL.createObjectURL(blob), download: `${report}-${table}-${q.from}-${q.to}.csv` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
  }, `${table} (CSV)`);
}

export async function render(root, { navigate, isCurrent }) {
  if (!api.user()) {
    navigate('/login?next=%2Fadmin%2Fanalytics', { replace: true });
    return undefined;
  }
  document.title = 'Analytics – Kino';
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const q = { from, to, interval: 'day' };
  const live = h('strong.stat-value', '–');
  mount(root, h('section.analytics', h('h1', 'Analytics'), h('p', `${from} to ${to}, UTC`), notice('info', 'Loading…')));
  let overview;
  let qoe;
  let engagement;
  try {
    [overview, qoe, engagement] = await Promise.all([api.analytics.overview(q), api.analytics.qoe(q), api.analytics.engagement(q)]);
  } catch (e) {
    if (isCurrent()) mount(root, h('section.analytics', h('h1', 'Analytics'), notice('error', errorText(e))));
    return undefined;
  }
  if (!isCurrent()) return undefined;
  const t = overview.totals;
  const c = overview.change;
  live.textContent = num(overview.concurrentViewers);
  const chart = h('div.analytics-chart');
  mount(root, h('section.analytics',
    h('h1', 'Analytics'), h('p', `${from} to ${to}, UTC; against the 30 days before`),
    h('div.stats',
      h('div.stat', h('span.stat-label', 'Watching now'), live),
      card('Views', num(t.views), change(c.views)),
      card('Unique viewers', num(t.uniqueViewers), change(c.uniqueViewers)),
      card('Watch hours', num(Math.round(t.watchSeconds / 360) / 10), change(c.watchSeconds)),
      card('Completion', pct(t.completionRate)),
      card('Startup p50 / p95', `${num(qoe.totals.startupMsP50)} / ${num(qoe.totals.startupMsP95)} ms`),
      card('Rebuffering', pct(qoe.totals.rebufferingRatio)),
      card('Errors', pct(qoe.totals.errorRate)),
      card('DAU / MAU', `${num(engagement.dailyActiveUsers)} / ${num(engagement.monthlyActiveUsers)}`)),
    chart,
    h('h2', 'Most viewed'),
    h('table.analytics-table',
      h('thead', h('tr', ['Title', 'Views', 'Unique viewers', 'Watch hours', 'Completion'].map((x) => h('th', x)))),
      h('tbody', overview.titles.map((r) => h('tr',
        h('td', h('a', { href: `/title/${encodeURIComponent(r.titleId)}` }, r.title || r.titleId)),
        h('td', num(r.views)), h('td', num(r.uniqueViewers)), h('td', num(Math.round(r.watchSeconds / 360) / 10)),
        h('td', pct(r.completionRate)))))),
    h('p.csv-links', 'Download: ', csvButton('overview', 'series', q), ' · ', csvButton('overview', 'titles', q),
      ' · ', csvButton('qoe', 'renditions', q), ' · ', csvButton('qoe', 'devices', q),
      ' · ', csvButton('engagement', 'cohorts', q))));

  loadUplot().then((uPlot) => {
    if (!isCurrent()) return;
    const days = overview.series.map((p) => Date.parse(`${p.period}T00:00:00Z`) / 1000);
    // eslint-disable-next-line new-cap
    new uPlot({
      width: Math.min(900, root.clientWidth || 900), height: 260, title: 'Views and watch hours per day',
      series: [{}, { label: 'Views', stroke: '#e50914' }, { label: 'Watch hours', stroke: '#1f77b4', scale: 'h' }],
      axes: [{}, { label: 'views' }, { side: 1, scale: 'h', label: 'hours', grid: { show: false } }],
    }, [days, overview.series.map((p) => p.views), overview.series.map((p) => p.watchSeconds / 3600)], chart);
    chart.dataset.ready = 'true';
  }).catch((e) => chart.append(notice('error', `chart: ${errorText(e)}`)));

  // "now watching": concurrent viewers from the stream leases, refreshed while the page is open
  const timer = setInterval(async () => {
    try {
      live.textContent = num((await api.analytics.now()).concurrentViewers);
    } catch { /* keep the last figure */ }
  }, LIVE_MS);
  return () => clearInterval(timer);
}
