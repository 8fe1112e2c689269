// (c) A user registers, signs in, adds the demo title to the watchlist and resumes playback where they left
//     off: the position goes through PUT /api/v1/playback/progress, survives a reload, and the player starts
//     from the grant's resumePositionSeconds.
// (d) Screenshots of the catalogue, the title page and the player mid-video, under e2e/artifacts/.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { artifact, launch } from '../lib/browser.js';
import {
  TIMEOUT, api, apiLogin, newUser, openPlayer, playableTitle, recordEvents, register, signIn, startTarget, waitPlayer,
} from '../lib/target.js';

let target;
let browser;
let failed = false;
const user = newUser();

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('journey', failed); });

test('register, sign in, add to my list, resume where playback stopped', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const titleId = await playableTitle(target);

  // Register (the form signs in), sign out, sign in again with the username.
  await register(page, target, user);
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await signIn(page, target, user.username, user.password);

  // Catalogue → title page → "+ My list" → My list shows it.
  await page.click(`.grid .card[data-title-id="${titleId}"]`);
  await page.waitForSelector('.hero h1');
  const name = (await page.textContent('.hero h1')).trim();
  await page.click('button.watchlist');
  await page.waitForSelector('button.watchlist[aria-pressed="true"]');
  await page.click('#nav >> text=My list');
  await page.waitForSelector(`.grid .card[data-title-id="${titleId}"]`, { timeout: TIMEOUT });
  assert.equal((await page.textContent(`.grid .card[data-title-id="${titleId}"] .name`)).trim(), name);
  const token = await apiLogin(target, user.username, user.password);
  const list = await api(target, 'GET', '/me/watchlist', { token });
  assert.deepEqual(list.items.map((e) => e.titleId), [titleId], 'the API has the title in the watchlist');

  // Play a few seconds, pause (the player reports the position), and leave the page.
  await openPlayer(page, target, 'hls');
  await recordEvents(page);
  await waitPlayer(page, () => { window.__kino.fail(); return window.kinoPlayer.video.currentTime >= 5.2; });
  const progressSaved = page.waitForResponse((r) => r.url().endsWith('/api/v1/playback/progress') && r.request().method() === 'PUT', { timeout: TIMEOUT });
  const pausedAt = await page.evaluate(() => { const v = window.kinoPlayer.video; v.pause(); return v.currentTime; });
  assert.equal((await progressSaved).status(), 204, 'the API accepted the progress report');
  const saved = await api(target, 'GET', '/me/continue-watching', { token });
  assert.equal(saved.items.length, 1, JSON.stringify(saved));
  assert.equal(saved.items[0].media.id, target.mediaId);
  assert.equal(saved.items[0].positionSeconds, Math.floor(pausedAt), 'the position is persisted through the API');

  // A reload keeps the session (refresh token in sessionStorage) and frees the stream slot (pagehide);
  // the catalogue offers to continue.
  await page.goto(`${target.baseUrl}/`);
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  const card = '.shelf[aria-label="Continue watching"]:not([hidden]) .card';
  await page.waitForSelector(card, { timeout: TIMEOUT });
  assert.ok(await page.isVisible('.shelf[aria-label="My list"]:not([hidden])'), 'my list row shown');

  // Continuing starts where it stopped (the grant's resumePositionSeconds).
  await page.click(card);
  await page.waitForFunction(() => (window.kinoPlayer && window.kinoPlayer.engine)
    || document.querySelector('.player[data-state=error]'), null, { timeout: TIMEOUT });
  await recordEvents(page);
  assert.ok(await page.isVisible('.toast >> text=Resuming at'), 'the player says it resumes');
  await waitPlayer(page, () => { window.__kino.fail(); const v = window.kinoPlayer.video; return v.currentTime > 0 && v.readyState >= 2; });
  const resumedAt = await page.evaluate(() => window.kinoPlayer.video.currentTime);
  assert.ok(resumedAt >= Math.floor(pausedAt) - 0.5 && resumedAt < pausedAt + 3, `resumed at ${resumedAt}, stopped at ${pausedAt}`);
  assert.equal(await page.evaluate(() => window.kinoPlayer.playback.resumeSeconds), Math.floor(pausedAt));
});

test('screenshots of the catalogue and of the player mid-video', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const titleId = await playableTitle(target);
  await page.goto(`${target.baseUrl}/`);
  await page.waitForSelector('.grid .card', { timeout: TIMEOUT });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: TIMEOUT });
  await page.screenshot({ path: artifact('catalogue.png'), fullPage: true });

  await page.goto(`${target.baseUrl}/title/${encodeURIComponent(titleId)}`);
  await page.waitForSelector('.hero h1');
  await page.screenshot({ path: artifact('title.png') });

  await openPlayer(page, target, 'hls');
  await recordEvents(page);
  const mid = await waitPlayer(page, () => {
    window.__kino.fail();
    const v = window.kinoPlayer.video;
    return Number.isFinite(v.duration) && v.duration > 0 && v.readyState >= 2 && v.duration / 2;
  });
  await page.evaluate((t) => { window.kinoPlayer.video.currentTime = t; }, mid);
  await waitPlayer(page, (t) => {
    window.__kino.fail();
    const v = window.kinoPlayer.video;
    return v.currentTime >= t && !v.seeking && v.readyState >= 3;
  }, mid);
  await page.evaluate(() => window.kinoPlayer.video.pause());
  // Show the controls and a seek preview over the timeline, three quarters along (a thumbnail when the
  // packager wrote thumbnails.vtt, else the time alone).
  const box = await page.locator('input.seek').boundingBox();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.waitForFunction(() => {
    const p = document.querySelector('.preview');
    return p && !p.hidden;
  }, null, { timeout: TIMEOUT });
  await page.screenshot({ path: artifact('player.png') });
});
