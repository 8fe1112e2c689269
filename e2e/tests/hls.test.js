// (1) hls.js plays the AES-128 HLS stream to its last second and switches renditions.

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

test('hls.js plays the AES-128 stream to the end and switches renditions', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const keyRequests = [];
  page.on('request', (r) => { if (/\/keys\/|key\.bin/.test(r.url())) keyRequests.push(r.url()); });

  await register(page, target, newUser());
  const titleId = await playableTitle(target);
  await openPlayer(page, titleId, 'hls');
  await recordEvents(page);

  const engine = await page.evaluate(() => window.kinoPlayer.engine.name);
  assert.equal(engine, 'hls.js');

  // Playing, with at least two renditions to choose from.
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.playing && window.kinoPlayer.video.currentTime > 0.5; });
  const levels = await page.evaluate(() => window.kinoPlayer.engine.qualities());
  assert.ok(levels.length >= 2, `expected several renditions, got ${JSON.stringify(levels)}`);
  assert.ok(keyRequests.length > 0, 'hls.js fetched the AES-128 key');

  // Switch through the quality menu to a rendition that is not playing, and wait for hls.js to say so.
  const active = await page.evaluate(() => window.kinoPlayer.engine.active());
  const wanted = levels.find((l) => l.id !== active);
  await page.hover('.player');
  await page.selectOption('select.quality', String(wanted.id));
  const switched = await waitPlayer(page, (id) => {
    window.__kino.fail();
    return window.__kino.switches.find((s) => s.id === id) || false;
  }, wanted.id);
  assert.equal(switched.height, wanted.height);
  // Frames of the new rendition get decoded.
  await waitPlayer(page, (h) => { window.__kino.fail(); return window.kinoPlayer.video.videoHeight === h; }, wanted.height);

  // Back to automatic selection.
  await page.selectOption('select.quality', 'auto');
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.quality()), 'auto');

  // Play to the last second: long streams jump to 5 s before the end, the fixture plays whole.
  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    if (v.duration > 40) v.currentTime = v.duration - 5;
  });
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended; }, null, 3 * TIMEOUT);
  const end = await page.evaluate(() => ({ t: window.__kino.maxTime, d: window.kinoPlayer.video.duration }));
  assert.ok(end.d > 0 && end.t >= end.d - 1, `played to ${end.t} of ${end.d} s`);
});
