// (3) A user registers, logs in, adds a title to the watchlist and resumes playback where they left off.
// (4) Screenshots of the catalogue and of the player mid-video, under e2e/artifacts/.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { artifact, launch } from '../lib/browser.js';
import { TIMEOUT, newUser, openPlayer, playableTitle, recordEvents, register, signIn, startTarget, waitPlayer } from '../lib/target.js';

let target;
let browser;
const user = newUser();

before(async () => {
  target = await startTarget();
  browser = await launch();
});

after(async () => {
  if (browser && process.exitCode) console.log(browser.logs.slice(-40).join('\n'));
  await browser?.close();
  await target?.close();
});

test('register, sign in, add to my list, resume where playback stopped', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const titleId = await playableTitle(target);

  // Register (the form signs in), sign out, sign in again with the username.
  await register(page, target, user);
  await page.click('#nav >> text=Sign out');
  await page.waitForSelector('#nav >> text=Sign in');
  await signIn(page, target, user);

  // Title page → "+ My list" → My list shows it.
  await page.click(`.card[data-title-id="${titleId}"]`);
  await page.waitForSelector('.hero h1');
  const name = await page.textContent('.hero h1');
  await page.click('button.watchlist');
  await page.waitForSelector('button.watchlist[aria-pressed="true"]');
  await page.click('#nav >> text=My list');
  await page.waitForSelector(`.grid .card[data-title-id="${titleId}"]`, { timeout: TIMEOUT });
  assert.equal((await page.textContent(`.grid .card[data-title-id="${titleId}"] .name`)).trim(), name.trim());

  // Play a few seconds, pause (reports the position), and leave the page.
  await openPlayer(page, titleId, 'hls');
  await recordEvents(page);
  const stopAt = await page.evaluate(() => Math.min(5, Math.max(2, window.kinoPlayer.video.duration / 3 || 5)));
  await waitPlayer(page, (t) => { window.__kino.fail(); return window.kinoPlayer.video.currentTime >= t; }, stopAt);
  const progressSaved = page.waitForResponse((r) => r.url().includes('/playback/progress') && r.request().method() === 'PUT', { timeout: TIMEOUT });
  const pausedAt = await page.evaluate(() => { const v = window.kinoPlayer.video; v.pause(); return v.currentTime; });
  assert.ok((await progressSaved).ok(), 'the API accepted the progress report');

  // A reload keeps the session (refresh token in sessionStorage); the catalogue offers to continue.
  await page.goto(`${target.baseUrl}/`);
  await page.waitForSelector('#nav >> text=Sign out', { timeout: TIMEOUT });
  const continueRow = await page.waitForSelector('.shelf[aria-label="Continue watching"]:not([hidden])', { timeout: TIMEOUT })
    .then(() => true, () => false);
  if (target.mode === 'fixtures') assert.ok(continueRow, 'continue watching row shown');

  // Playing again starts where it stopped.
  await openPlayer(page, titleId, 'hls');
  await recordEvents(page);
  await waitPlayer(page, () => { window.__kino.fail(); return window.kinoPlayer.video.currentTime > 0 && window.kinoPlayer.video.readyState >= 2; });
  const resumedAt = await page.evaluate(() => window.kinoPlayer.video.currentTime);
  assert.ok(resumedAt >= pausedAt - 2.5, `resumed at ${resumedAt}, stopped at ${pausedAt}`);
  assert.ok(await page.isVisible('.toast >> text=Resuming at'), 'the player says it resumed');
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

  await openPlayer(page, titleId, 'hls');
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
  // Show the controls and a seek preview over the timeline, three quarters along.
  const box = await page.locator('input.seek').boundingBox();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  await page.waitForFunction(() => {
    const p = document.querySelector('.preview');
    return p && !p.hidden;
  }, null, { timeout: TIMEOUT });
  await page.screenshot({ path: artifact('player.png') });
});
