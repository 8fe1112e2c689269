// What the tests run against, and the steps they share.
//
// KINO_URL set (run.sh): the real Kino servers; KINO_TITLE_ID optional (else the first title of the
// catalogue). Otherwise (run.sh --fixtures, or `npm test` alone): ffmpeg fixtures behind the fixture media
// server and the mock API (lib/servers.js), so the web app can be developed before the servers exist.

import crypto from 'node:crypto';
import { makeFixtures } from './fixtures.js';
import { startAppServer, startMediaServer } from './servers.js';

export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 90_000);

export async function startTarget() {
  if (process.env.KINO_URL) {
    const baseUrl = process.env.KINO_URL.replace(/\/+$/, '');
    return { mode: 'kino', baseUrl, titleId: process.env.KINO_TITLE_ID || null, close: async () => {} };
  }
  const dir = makeFixtures();
  const media = await startMediaServer(dir);
  const app = await startAppServer({ mediaOrigin: media.origin });
  return {
    mode: 'fixtures',
    baseUrl: app.origin,
    titleId: 'test-pattern',
    media,
    api: app.api,
    close: async () => { await app.close(); await media.close(); },
  };
}

/** The title to play: KINO_TITLE_ID, or the first movie of the catalogue (the demo clip). */
export async function playableTitle(target) {
  if (target.titleId) return target.titleId;
  const res = await fetch(`${target.baseUrl}/api/v1/titles?limit=50`);
  if (!res.ok) throw new Error(`GET /api/v1/titles: HTTP ${res.status}`);
  const page = await res.json();
  const t = (page.items || []).find((x) => x.kind !== 'series') || (page.items || [])[0];
  if (!t) throw new Error('the catalogue is empty: did ./kino demo publish its clip?');
  target.titleId = t.id;
  return t.id;
}

export function newUser() {
  const n = crypto.randomBytes(4).toString('hex');
  return { email: `e2e-${n}@example.com`, username: `e2e_${n}`, password: `Zebra-${n}-Quilt-42` };
}

/** Registers through the form (which signs in) and waits for the signed-in top bar. */
export async function register(page, target, user) {
  await page.goto(`${target.baseUrl}/register`);
  await page.fill('#f-email', user.email);
  await page.fill('#f-username', user.username);
  await page.fill('#f-password', user.password);
  await page.click('form.auth-form button[type=submit]');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
}

export async function signIn(page, target, user) {
  await page.goto(`${target.baseUrl}/login`);
  await page.fill('#f-login', user.username);
  await page.fill('#f-password', user.password);
  await page.click('form.auth-form button[type=submit]');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
}

/** Opens the player page (client-side navigation keeps the in-memory session) and waits for the engine. */
export async function openPlayer(page, titleId, engine) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/watch/${encodeURIComponent(titleId)}${engine ? `?engine=${engine}` : ''}`);
  await page.waitForFunction(() => window.kinoPlayer && window.kinoPlayer.engine, null, { timeout: TIMEOUT });
}

/** Records player events in the page (window.__kino) so that tests wait on events, not on time. */
export async function recordEvents(page) {
  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    const rec = { switches: [], errors: [], ended: false, playing: false, maxTime: 0 };
    rec.fail = () => {
      const st = document.querySelector('.player[data-state=error] .player-status');
      if (st) rec.errors.push(st.textContent);
      if (rec.errors.length) throw new Error(`player error: ${rec.errors.join('; ')}`);
    };
    window.__kino = rec;
    v.addEventListener('kino:levelswitched', (e) => rec.switches.push(e.detail));
    v.addEventListener('kino:error', (e) => rec.errors.push(e.detail.message));
    v.addEventListener('playing', () => { rec.playing = true; });
    v.addEventListener('ended', () => { rec.ended = true; });
    v.addEventListener('timeupdate', () => { rec.maxTime = Math.max(rec.maxTime, v.currentTime); });
    if (!v.paused && v.readyState > 2) rec.playing = true;
  });
}

/**
 * Waits for a predicate evaluated in the page (polling, no fixed sleeps). Predicates start with
 * `window.__kino.fail()`, which throws (ending the wait at once) when the player reported an error.
 * NOTE: predicates are passed as functions, never strings: the app's CSP forbids eval in the page.
 */
export async function waitPlayer(page, fn, arg, timeout = TIMEOUT) {
  const handle = await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  return handle.jsonValue();
}
