// Viewing analytics and QoE end to end (#16): a viewer plays the demo's title with hls.js through to its end (the
// demo clip is 16 s: more than the 10 s a view needs), then
//   1. the title's report (GET /admin/analytics/titles/{id}, as the demo's admin) counts the view, its watch time and
//      a retention curve that reaches the end of the item, once the workers' rollups (periodic job
//      analytics-rollups, every 30 s) have folded the player's events in;
//   2. the media server's /metrics (its admin port, which run.sh exports as KINO_MEDIA_METRICS_URL) counts the
//      segment requests that carried CMCD, and the QoE report (GET /admin/analytics/qoe?titleId=) has the session;
//   3. the admin dashboard (/admin/analytics) lists the title with its view in "Most viewed" and draws its chart
//      (screenshot artifacts/analytics.png).
// Every wait is a bounded poll (no fixed sleep decides anything): rollups lag the events by up to a minute.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { artifact, launch } from '../lib/browser.js';
import {
  TIMEOUT, api, newUser, openPlayer, playableTitle, recordEvents, register, signIn, startTarget, waitPlayer,
} from '../lib/target.js';

let target;
let browser; // the viewer's
let adminBrowser; // the admin's, signed in once: the API allows 30 sign-ins per address in 5 min (LoginThrottle),
// which the whole suite, all from 127.0.0.1, comes close to
let failed = false;

before(async () => {
  target = startTarget();
  browser = await launch();
  adminBrowser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => {
  await browser?.close('analytics', failed);
  await adminBrowser?.close('analytics-admin', failed);
});

/** Polls fn (async) every second until it returns a truthy value; throws with the last value after timeoutMs. */
async function poll(what, fn, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => { setTimeout(r, 1000); });
  }
}

/**
 * Sums a Prometheus counter over its label sets in text exposition format 0.0.4.
 * @returns {number} the sum (0 when the series are absent)
 */
function counterSum(text, name) {
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'gm');
  let sum = 0;
  for (const m of text.matchAll(re)) sum += Number(m[1]);
  return sum;
}

async function scrape(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

const metricsUrl = process.env.KINO_MEDIA_METRICS_URL;

test('a view played with hls.js is counted, its CMCD reaches the origin, and the dashboard shows it',
  {
    timeout: 6 * TIMEOUT,
    skip: (!process.env.KINO_ADMIN_PASSWORD && 'the demo printed no admin password (not a fresh data.dir)')
      || (!metricsUrl && 'no KINO_MEDIA_METRICS_URL (run.sh exports the media server\'s /metrics URL the demo printed)'),
  },
  async () => {
    const { page } = browser;
    const titleId = await playableTitle(target);
    const mediaId = target.mediaId;
    // The admin signs in to the web app in their own browser; the figures are read with the session it got.
    const adminPage = adminBrowser.page;
    const [login] = await Promise.all([
      adminPage.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/auth/login',
        { timeout: TIMEOUT }),
      signIn(adminPage, target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD),
    ]);
    const admin = (await login.json()).accessToken;
    assert.ok(admin, 'the sign-in answered an access token');
    const titleReport = () => api(target, 'GET', `/admin/analytics/titles/${titleId}`, { token: admin });
    const qoeReport = () => api(target, 'GET', `/admin/analytics/qoe?titleId=${titleId}`, { token: admin });

    // Before: what earlier playbacks of this title (other tests, other runs) already count.
    const before0 = await titleReport();
    const qoe0 = await qoeReport();
    const metrics0 = await scrape(metricsUrl);
    const cmcd0 = counterSum(metrics0, 'kino_cmcd_requests_total');

    // The viewer's batches of playback events, as the media server sees its segment requests.
    const batches = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/playback/events') {
        batches.push({ types: (JSON.parse(r.postData() || '{}').events || []).map((e) => e.type), status: null, r });
      }
    });
    page.on('response', (res) => {
      const b = batches.find((x) => x.r === res.request());
      if (b) b.status = res.status();
    });
    const segments = [];
    let segmentsFailed = 0; // aborted by hls.js (a level switch): they may never have reached the origin
    const isSegment = (r) => /\.m4s$/.test(new URL(r.url()).pathname);
    page.on('request', (r) => { if (isSegment(r)) segments.push(r.url()); });
    page.on('requestfailed', (r) => { if (isSegment(r)) segmentsFailed += 1; });

    const started = Date.now();
    await register(page, target, newUser());
    await openPlayer(page, target, 'hls');
    await recordEvents(page);
    assert.equal(await page.evaluate(() => window.kinoPlayer.engine.name), 'hls.js');
    await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended; }, null, 3 * TIMEOUT);
    const played = await page.evaluate(() => ({ t: window.__kino.maxTime, d: window.kinoPlayer.video.duration }));
    assert.ok(played.d >= 10 && played.t >= played.d - 1, `played to ${played.t} of ${played.d} s`);
    // The tracker sends its last batch (with "end") when the video ends; it must be taken.
    await poll('the batch with the end event answered 200', async () => ({
      ok: batches.some((b) => b.types.includes('end') && b.status === 200),
      batches: batches.map((b) => ({ types: b.types, status: b.status })),
    }));
    assert.ok(batches.some((b) => b.types.includes('start')), 'a start event was sent');
    assert.ok(batches.every((b) => b.status === 200 || b.status === null), JSON.stringify(batches.map((b) => b.status)));
    const sessionId = await page.evaluate(() => window.kinoPlayer.playback.sessionId);
    console.log(`played ${played.t.toFixed(1)} s in ${((Date.now() - started) / 1000).toFixed(1)} s (session ${sessionId})`);

    // 2. CMCD reached the origin: every segment request carried it, and the media server counted more requests with
    // CMCD than before this playback (folded off the hot path, hence the poll), with their time to first byte.
    assert.ok(segments.length > 0, 'hls.js fetched segments');
    assert.ok(segments.every((u) => (new URL(u).searchParams.get('CMCD') || '').includes(`sid="${sessionId}"`)),
      `segment requests without this session's CMCD: ${segments.slice(0, 3)}`);
    const metrics1 = await poll('kino_cmcd_requests_total counted this playback', async () => {
      const text = await scrape(metricsUrl);
      const n = counterSum(text, 'kino_cmcd_requests_total');
      return { ok: n - cmcd0 >= segments.length - segmentsFailed, before: cmcd0, now: n, segments: segments.length, text };
    });
    assert.ok(counterSum(metrics1.text, 'kino_cmcd_startup_requests_total') > counterSum(metrics0, 'kino_cmcd_startup_requests_total'),
      'the start-up requests (CMCD su) were counted');
    assert.ok(counterSum(metrics1.text, 'kino_media_time_to_first_byte_seconds_count')
      > counterSum(metrics0, 'kino_media_time_to_first_byte_seconds_count'), 'origin time to first byte was measured');
    assert.match(metrics1.text, /^kino_cmcd_encoded_bitrate_kbps_count\{[^}]*ot="a?v"[^}]*\} [1-9]/m, 'CMCD br of video segments');

    // 1. The rollups (every 30 s in the worker) count the view, its watch time and retention.
    const rolled = await poll('the title report counts the view', async () => {
      const r = await titleReport();
      return {
        ok: r.totals.views > before0.totals.views && r.totals.watchSeconds >= before0.totals.watchSeconds + 10,
        views: r.totals.views, watchSeconds: r.totals.watchSeconds, before: before0.totals, r,
      };
    }, 90_000 + TIMEOUT / 3);
    const report = rolled.r;
    assert.equal(report.titleId, titleId);
    assert.ok(report.totals.plays > before0.totals.plays, `plays ${report.totals.plays} vs ${before0.totals.plays}`);
    assert.ok(report.totals.uniqueViewers > before0.totals.uniqueViewers, 'a new viewer');
    assert.ok(report.totals.completionRate > 0, `completion ${report.totals.completionRate}`);
    assert.equal(report.retention.length, 100, 'retention in 1 % buckets');
    // Played through: this session is still playing in the first and in the 90th bucket of the duration.
    assert.ok(report.retention[0] > 0 && report.retention[89] > 0, `retention ${JSON.stringify(report.retention)}`);
    assert.ok(report.retention.every((v, i) => v >= 0 && v <= 1 && (i === 0 || v <= report.retention[i - 1] + 1e-9)),
      `a retention curve never rises: ${JSON.stringify(report.retention)}`);
    const item = report.media.find((m) => m.mediaId === mediaId);
    assert.ok(item && item.views >= 1 && item.retention.length === 100, JSON.stringify(report.media));
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(report.series.some((p) => p.period === today && p.views >= 1), `today's period: ${JSON.stringify(report.series.slice(-2))}`);

    // 2 (cont.). The QoE report has the session: startup time, watch time, the bitrate the player reported.
    const qoe = (await poll('the QoE report has the session', async () => {
      const q = await qoeReport();
      return { ok: q.totals.sessions > qoe0.totals.sessions && q.totals.watchSeconds > qoe0.totals.watchSeconds, q };
    })).q;
    assert.ok(qoe.totals.startupMsP50 > 0, `startup ${JSON.stringify(qoe.totals)}`);
    assert.ok(qoe.totals.averageBitrateKbps > 0, `bitrate ${JSON.stringify(qoe.totals)}`);
    assert.ok(qoe.devices.some((d) => d.qoe.sessions >= 1), JSON.stringify(qoe.devices));

    // 3. The dashboard, in the admin's browser: the title in "Most viewed" with its views.
    await adminPage.click('#nav >> text=Analytics');
    const row = adminPage.locator(`table.analytics-table tbody tr:has(a[href="/title/${titleId}"])`);
    await row.waitFor({ timeout: TIMEOUT });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], report.title || titleId);
    const shownViews = Number(cells[1].replace(/\D/g, ''));
    assert.ok(shownViews >= report.totals.views, `dashboard views ${cells[1]} vs the title report's ${report.totals.views}`);
    const viewsCard = await adminPage.locator('.stat:has(.stat-label:text-is("Views")) .stat-value').textContent();
    assert.ok(Number(viewsCard.replace(/\D/g, '')) >= 1, `Views card ${viewsCard}`);
    await adminPage.waitForSelector('.analytics-chart[data-ready=true]', { timeout: TIMEOUT });
    await adminPage.screenshot({ path: artifact('analytics.png'), fullPage: true });
    console.log(`CMCD requests ${cmcd0} -> ${counterSum(metrics1.text, 'kino_cmcd_requests_total')} for ${segments.length} segments;`
      + ` views ${before0.totals.views} -> ${report.totals.views}, watch ${before0.totals.watchSeconds} -> ${report.totals.watchSeconds} s,`
      + ` retention [0] ${report.retention[0]} [89] ${report.retention[89]} [99] ${report.retention[99]};`
      + ` QoE sessions ${qoe0.totals.sessions} -> ${qoe.totals.sessions}, startup p50 ${qoe.totals.startupMsP50} ms,`
      + ` ${qoe.totals.averageBitrateKbps} kbit/s; dashboard row ${JSON.stringify(cells)}`);
    console.log(`analytics journey took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
