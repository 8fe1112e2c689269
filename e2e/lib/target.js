// The Kino under test (started by run.sh: ./kino demo on free ports, or any running Kino with run.sh --url)
// and the steps the tests share.
//
// Environment (run.sh sets it): KINO_URL (control API and web app), KINO_DEMO_HLS_URL (the signed HLS URL the
// demo printed), KINO_ADMIN_LOGIN / KINO_ADMIN_PASSWORD (the demo's admin, when it printed its password),
// KINO_TITLE_ID (optional: the title to play, else the first movie of the catalogue).

import crypto from 'node:crypto';

export const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 90_000);

export function startTarget() {
  if (!process.env.KINO_URL) {
    throw new Error('KINO_URL is not set: run the tests with e2e/run.sh (it starts ./kino demo), or run.sh --url URL');
  }
  const baseUrl = process.env.KINO_URL.replace(/\/+$/, '');
  return { baseUrl, titleId: process.env.KINO_TITLE_ID || null, mediaId: null, close: async () => {} };
}

/** Calls the control API from Node. @returns the parsed JSON (null for 204); throws with the problem on errors */
export async function api(target, method, path, { token, json } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${target.baseUrl}/api/v1${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Signs in through the API. @returns the access token */
export async function apiLogin(target, login, password) {
  return (await api(target, 'POST', '/auth/login', { json: { login, password } })).accessToken;
}

/**
 * The title to play and its media item: KINO_TITLE_ID, else the demo's clip (the title whose media the demo's
 * printed URL names), else the first movie of the catalogue.
 */
export async function playableTitle(target) {
  if (!target.titleId) {
    const page = await api(target, 'GET', '/titles?limit=100');
    const items = page.items || [];
    if (!items.length) throw new Error('the catalogue is empty: did ./kino demo publish its clip?');
    const folder = (process.env.KINO_DEMO_HLS_URL || '').split('/').slice(-2, -1)[0];
    for (const t of folder ? items : []) {
      const d = await api(target, 'GET', `/titles/${t.id}`);
      if ((d.media || []).some((m) => m.packagedTitleId === folder)) {
        target.titleId = t.id;
        break;
      }
    }
    target.titleId = target.titleId || (items.find((x) => x.kind === 'movie') || items[0]).id;
  }
  if (!target.mediaId) {
    const t = await api(target, 'GET', `/titles/${target.titleId}`);
    const m = [...(t.media || []), ...(t.seasons || []).flatMap((s) => s.episodes)][0];
    if (!m) throw new Error(`title ${target.titleId} has no published media`);
    target.mediaId = m.id;
    target.media = m;
  }
  return target.titleId;
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

export async function signIn(page, target, login, password) {
  await page.goto(`${target.baseUrl}/login`);
  await page.fill('#f-login', login);
  await page.fill('#f-password', password);
  await page.click('form.auth-form button[type=submit]');
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
}

/** Opens the player page (client-side navigation keeps the in-memory session) and waits for the engine. */
export async function openPlayer(page, target, engine, { titleId = target.titleId, mediaId = target.mediaId } = {}) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/watch/${encodeURIComponent(titleId)}/${encodeURIComponent(mediaId)}${engine ? `?engine=${engine}` : ''}`);
  await page.waitForFunction(() => (window.kinoPlayer && window.kinoPlayer.engine)
    || document.querySelector('.player[data-state=error] .player-status'), null, { timeout: TIMEOUT });
  const error = await page.evaluate(() => !window.kinoPlayer && document.querySelector('.player-status')?.textContent);
  if (error) throw new Error(`the player page failed: ${error}`);
}

/** Records player events in the page (window.__kino) so that tests wait on events, not on time. */
export async function recordEvents(page) {
  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    const rec = { switches: [], errors: [], ended: false, playing: false, maxTime: 0 };
    rec.fail = () => {
      const st = document.querySelector('.player[data-state=error] .player-status');
      if (st) rec.errors.push(st.textContent);
      if (v.error) rec.errors.push(`media error ${v.error.code}: ${v.error.message}`);
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
