// (b) Shaka plays the CENC DASH stream of ./kino demo with keys from the ClearKey licence endpoint.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, newUser, openPlayer, playableTitle, recordEvents, register, startTarget, waitPlayer } from '../lib/target.js';

let target;
let browser;
let failed = false;

before(async () => {
  target = startTarget();
  browser = await launch();
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => { await browser?.close('dash', failed); });

test('Shaka plays the CENC DASH stream with ClearKey', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const licences = [];
  const segments = [];
  page.on('response', (r) => {
    // (Shaka's CMCD rides on licence requests too, as a query)
    if (r.request().method() === 'POST' && /\/license\/clearkey(\?|$)/.test(r.url())) licences.push(r.status());
  });
  page.on('request', (r) => { if (/\.m4s(\?|$)/.test(new URL(r.url()).pathname)) segments.push(r.url()); });

  await register(page, target, newUser());
  await playableTitle(target);
  await openPlayer(page, target, 'dash');
  await recordEvents(page);
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.name), 'shaka');

  // Decrypted frames are decoded and time advances.
  await waitPlayer(page, () => {
    window.__kino.fail();
    const v = window.kinoPlayer.video;
    return v.currentTime > 1 && v.getVideoPlaybackQuality().totalVideoFrames > 10 && v.videoWidth > 0;
  });
  assert.ok(licences.length > 0 && licences.every((s) => s === 200), `ClearKey licence answers: ${licences}`);
  // CMCD (CTA-5004) on every segment request: the playback session, the media id, the rendition's bitrate.
  const ids = await page.evaluate(() => ({ sid: window.kinoPlayer.playback.sessionId, cid: window.kinoPlayer.mediaId }));
  const cmcd = segments.map((u) => new URL(u).searchParams.get('CMCD'));
  assert.ok(cmcd.length > 0 && cmcd.every(Boolean), `segment requests without CMCD: ${segments.slice(0, 3)}`);
  assert.ok(cmcd.every((c) => c.includes(`sid="${ids.sid}"`) && c.includes(`cid="${ids.cid}"`)), cmcd[0]);
  assert.ok(cmcd.some((c) => /(^|,)br=\d+/.test(c) && /(^|,)sf=d(,|$)/.test(c)), cmcd.join('\n'));
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.player.keySystem()), 'org.w3.clearkey');
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.player.drmInfo()?.keySystem), 'org.w3.clearkey');

  const qualities = await page.evaluate(() => window.kinoPlayer.engine.qualities());
  assert.ok(qualities.length >= 2, `renditions: ${JSON.stringify(qualities)}`);
  // Manual rendition choice through the menu.
  const active = await page.evaluate(() => window.kinoPlayer.engine.active());
  const wanted = qualities.find((q) => q.id !== active);
  await page.hover('.player');
  await page.selectOption('select.quality', String(wanted.id));
  await waitPlayer(page, (h) => { window.__kino.fail(); return window.kinoPlayer.video.videoHeight === h; }, wanted.height);

  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    if (v.duration > 40) v.currentTime = v.duration - 5;
  });
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended; }, null, 3 * TIMEOUT);
  const end = await page.evaluate(() => ({ t: window.__kino.maxTime, d: window.kinoPlayer.video.duration }));
  assert.ok(end.d > 0 && end.t >= end.d - 1, `played to ${end.t} of ${end.d} s`);
});
