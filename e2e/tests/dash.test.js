// (2) Shaka plays the CENC DASH stream with keys from the ClearKey licence endpoint.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, newUser, openPlayer, playableTitle, recordEvents, register, startTarget, waitPlayer } from '../lib/target.js';

let target;
let browser;

before(async () => {
  target = await startTarget();
  browser = await launch();
});

after(async () => {
  if (browser && process.exitCode) console.log(browser.logs.slice(-40).join('\n'));
  await browser?.close();
  await target?.close();
});

test('Shaka plays the CENC DASH stream with ClearKey', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const licences = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /license\/clearkey|licen[cs]e/.test(r.url())) licences.push(r.url()); });

  await register(page, target, newUser());
  const titleId = await playableTitle(target);
  await openPlayer(page, titleId, 'dash');
  await recordEvents(page);
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.name), 'shaka');

  // Decrypted frames are decoded and time advances.
  await waitPlayer(page, () => {
    window.__kino.fail();
    const v = window.kinoPlayer.video;
    return v.currentTime > 1 && v.getVideoPlaybackQuality().totalVideoFrames > 10 && v.videoWidth > 0;
  });
  assert.ok(licences.length > 0, 'Shaka asked the ClearKey licence endpoint for the keys');
  const drm = await page.evaluate(() => window.kinoPlayer.engine.player.keySystem());
  assert.equal(drm, 'org.w3.clearkey');

  const qualities = await page.evaluate(() => window.kinoPlayer.engine.qualities());
  assert.ok(qualities.length >= 1);
  if (qualities.length >= 2) {
    // Manual rendition choice through the menu.
    const active = await page.evaluate(() => window.kinoPlayer.engine.active());
    const wanted = qualities.find((q) => q.id !== active);
    await page.hover('.player');
    await page.selectOption('select.quality', String(wanted.id));
    await waitPlayer(page, (h) => { window.__kino.fail(); return window.kinoPlayer.video.videoHeight === h; }, wanted.height);
  }

  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    if (v.duration > 40) v.currentTime = v.duration - 5;
  });
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended; }, null, 3 * TIMEOUT);
  const end = await page.evaluate(() => ({ t: window.__kino.maxTime, d: window.kinoPlayer.video.duration }));
  assert.ok(end.d > 0 && end.t >= end.d - 1, `played to ${end.t} of ${end.d} s`);
});
