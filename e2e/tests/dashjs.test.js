// (b') dash.js (the npm package `dashjs`, loaded from e2e/node_modules, never from a CDN), unmodified, plays the
//      CENC DASH stream of ./kino demo to its end in headless Chromium with NO protection data: the media server
//      adds to the MPD a DASH-IF ClearKey ContentProtection (urn:uuid:e2719d58-…) whose dashif:Laurl is the
//      viewer's licence URL (same token), so dash.js finds the ClearKey licence endpoint on its own.
//
// The page is a bare <video> served by a tiny static server started here on 127.0.0.1 (a foreign origin for
// the media server, whose CORS allows any origin by default): no web app, no Shaka, only dash.js.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, api, apiLogin, newUser, playableTitle, startTarget, waitPlayer } from '../lib/target.js';

const E2E = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DASHJS_DIR = path.join(E2E, 'node_modules', 'dashjs');
const DASHJS_VERSION = JSON.parse(fs.readFileSync(path.join(DASHJS_DIR, 'package.json'), 'utf8')).version;
const DASHJS_FILE = path.join(DASHJS_DIR, 'dist', 'modern', 'umd', 'dash.all.min.js');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>dash.js ClearKey</title></head>
<body><video id="v" muted playsinline width="640" height="360"></video>
<script src="/dash.all.min.js"></script></body></html>
`;

let target;
let browser;
let server;
let origin;
let failed = false;

before(async () => {
  target = startTarget();
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(PAGE);
    } else if (req.method === 'GET' && url.pathname === '/dash.all.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      fs.createReadStream(DASHJS_FILE).pipe(res);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => {
  await browser?.close('dashjs', failed);
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** A signed-in viewer's playback grant (dashUrl, licenceUrl) from POST /api/v1/playback. */
async function grant() {
  await playableTitle(target);
  const user = newUser();
  await api(target, 'POST', '/auth/register', { json: user });
  const token = await apiLogin(target, user.username, user.password);
  const g = await api(target, 'POST', '/playback', { token, json: { mediaId: target.mediaId } });
  assert.match(g.dashUrl || '', /\/manifest\.mpd$/, `playback grant without a DASH URL: ${JSON.stringify(g)}`);
  assert.match(g.licenceUrl || '', /\/license\/clearkey$/, `playback grant without a ClearKey licence URL: ${JSON.stringify(g)}`);
  return g;
}

/** ClearKey licence requests the page makes: [{url, status}]. */
function watchLicences(page) {
  const licences = [];
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && /\/license\/clearkey$/.test(r.url())) licences.push({ url: r.url(), status: r.status() });
  });
  return licences;
}

/**
 * Opens the test page and starts dash.js on the MPD, with `protection` as its protection data (none when
 * null). Everything the tests wait on is recorded in window.__dash (events, not time).
 */
async function startDashjs(page, mpdUrl, protection) {
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => typeof window.dashjs?.MediaPlayer === 'function', null, { timeout: TIMEOUT });
  return page.evaluate(({ mpd, prot }) => {
    const v = document.getElementById('v');
    const player = window.dashjs.MediaPlayer().create();
    const E = window.dashjs.MediaPlayer.events;
    const P = window.dashjs.Protection.events; // MediaPlayer.events gains these only once protection is set up
    const rec = {
      errors: [], keySystems: [], licences: [], ended: false, playbackEnded: false, playing: false, maxTime: 0,
    };
    rec.fail = () => {
      if (v.error) rec.errors.push(`media error ${v.error.code}: ${v.error.message}`);
      if (rec.errors.length) throw new Error(`dash.js error: ${rec.errors.join('; ')}`);
    };
    const describe = (e) => {
      const err = e.error || {};
      return `${err.code ?? '?'} ${err.message || ''}`.trim();
    };
    window.__dash = rec;
    window.__player = player;
    player.on(E.ERROR, (e) => rec.errors.push(describe(e)));
    player.on(P.KEY_SYSTEM_SELECTED, (e) => rec.keySystems.push(e.data?.keySystem?.systemString || null));
    player.on(P.LICENSE_REQUEST_COMPLETE, (e) => rec.licences.push(e.error ? { error: describe(e) } : { ok: true }));
    player.on(E.PLAYBACK_ENDED, () => { rec.playbackEnded = true; });
    v.addEventListener('playing', () => { rec.playing = true; });
    v.addEventListener('ended', () => { rec.ended = true; });
    v.addEventListener('timeupdate', () => { rec.maxTime = Math.max(rec.maxTime, v.currentTime); });
    player.initialize();
    if (prot) player.setProtectionData(prot);
    player.attachView(v);
    player.attachSource(mpd);
    player.play();
    return player.getVersion();
  }, { mpd: mpdUrl, prot: protection });
}

/** Waits until decrypted frames are decoded and time advances (throws at once on a dash.js error). */
async function waitDecoding(page, timeout = TIMEOUT) {
  await waitPlayer(page, () => {
    window.__dash.fail();
    const v = document.getElementById('v');
    return v.currentTime > 1 && v.getVideoPlaybackQuality().totalVideoFrames > 10 && v.videoWidth > 0;
  }, null, timeout);
}

/** The MPD's ContentProtection elements and the licence URL of a DASH-IF ClearKey one, if any. */
async function mpdProtection(mpdUrl) {
  const res = await fetch(mpdUrl);
  assert.equal(res.status, 200, `GET ${mpdUrl}`);
  const mpd = await res.text();
  const protections = [...mpd.matchAll(/<ContentProtection\b([^>]*?)(?:\/>|>([\s\S]*?)<\/ContentProtection>)/g)]
    .map((m) => ({ scheme: /schemeIdUri="([^"]*)"/.exec(m[1])?.[1]?.toLowerCase(), body: m[2] || '' }));
  // What dash.js reads (CommonEncryption.getLicenseServerUrlFromMediaInfo): a <dashif:Laurl>, <clearkey:Laurl>
  // or <ck:Laurl> child of the ContentProtection of the ClearKey system it selected (DASH-IF IOP 4.1 §7.6.2.4:
  // urn:uuid:e2719d58-…; dash.js also maps the W3C common PSSH urn:uuid:1077efec-… to ClearKey).
  const clearKey = ['urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e', 'urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b'];
  const laurl = protections.filter((p) => clearKey.includes(p.scheme))
    .map((p) => /<(?:dashif|clearkey|ck):Laurl\b[^>]*>\s*([^<\s]+)\s*</i.exec(p.body)?.[1])
    .find(Boolean) || null;
  return { schemes: [...new Set(protections.map((p) => p.scheme))], laurl, dashifClearKey: protections.some((p) => p.scheme === clearKey[0]) };
}

/** Everything that shows dash.js used the ClearKey licence endpoint of the grant, and only it. */
async function assertClearKeyLicences(page, licences, g) {
  const state = await page.evaluate(() => ({ keySystems: window.__dash.keySystems, licences: window.__dash.licences }));
  assert.ok(state.keySystems.length > 0 && state.keySystems.every((k) => k === 'org.w3.clearkey'), `key systems: ${state.keySystems}`);
  assert.ok(licences.length > 0, 'dash.js asked the licence endpoint for keys');
  for (const l of licences) {
    assert.equal(l.status, 200, `licence answer ${l.status} from ${l.url}`);
    assert.equal(l.url, g.licenceUrl, 'licence requests go to the signed licence URL of the grant');
  }
  assert.ok(state.licences.length > 0 && state.licences.every((l) => l.ok), `dash.js licence requests: ${JSON.stringify(state.licences)}`);
}

test('the MPD of a protected title names the viewer\'s licence URL (DASH-IF ClearKey, dashif:Laurl)', { timeout: TIMEOUT }, async (t) => {
  const g = await grant();
  const mpd = await mpdProtection(g.dashUrl);
  t.diagnostic(`MPD ContentProtection schemes: ${mpd.schemes.join(', ')}`);
  assert.ok(mpd.dashifClearKey, 'a DASH-IF ClearKey ContentProtection (urn:uuid:e2719d58-…)');
  assert.equal(mpd.laurl, g.licenceUrl, 'its Laurl is the absolute licence URL of the grant (same token)');
});

test(`unmodified dash.js ${DASHJS_VERSION} plays the CENC DASH stream to its end with no protection data`, { timeout: 5 * TIMEOUT }, async () => {
  const { page } = browser;
  const licences = watchLicences(page);
  const g = await grant();

  const version = await startDashjs(page, g.dashUrl, null);
  assert.equal(version, DASHJS_VERSION, 'the page runs the dash.js of e2e/node_modules');

  await waitDecoding(page);
  await assertClearKeyLicences(page, licences, g);
  const renditions = await page.evaluate(() => window.__player.getRepresentationsByType('video').length);
  assert.ok(renditions >= 2, `video renditions in the MPD: ${renditions}`);

  // To the end: the <video> fires `ended` (dash.js closed the MediaSource) and dash.js its PLAYBACK_ENDED.
  await waitPlayer(page, () => { window.__dash.fail(); return window.__dash.ended && window.__dash.playbackEnded; }, null, 3 * TIMEOUT);
  const end = await page.evaluate(() => ({ t: window.__dash.maxTime, d: document.getElementById('v').duration, errors: window.__dash.errors }));
  assert.ok(end.d > 1 && end.t >= end.d - 1, `played to ${end.t} of ${end.d} s`);
  assert.deepEqual(end.errors, []);
});

// No test passes the licence URL as protection data (setProtectionData({'org.w3.clearkey': {serverURL}})): with
// protection data for 'org.w3.clearkey', dash.js 5.2.1 moves every key system of that name to the front with
// unshift (ProtectionKeyController.getSupportedKeySystemMetadataFromContentProtection), which reverses its own
// order, so the W3C common system id (urn:uuid:1077efec-…) wins over DASH-IF ClearKey and its PSSH box goes to
// generateRequest('keyids', …): Chromium rejects it (error 113). Applications should let dash.js read the MPD.
