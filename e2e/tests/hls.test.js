// (a) hls.js plays the AES-128 HLS stream of ./kino demo to its last second and switches renditions.

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
after(async () => { await browser?.close('hls', failed); });

test('hls.js plays the AES-128 stream to the end and switches renditions', { timeout: 4 * TIMEOUT }, async () => {
  const { page } = browser;
  const keyRequests = [];
  const segments = [];
  page.on('request', (r) => { if (/\/keys\//.test(r.url())) keyRequests.push(r.url()); });
  page.on('request', (r) => { if (/\.m4s$/.test(new URL(r.url()).pathname)) segments.push(r.url()); });

  await register(page, target, newUser());
  await playableTitle(target);
  await openPlayer(page, target, 'hls');
  await recordEvents(page);
  assert.equal(await page.evaluate(() => window.kinoPlayer.engine.name), 'hls.js');

  // Playing, with at least two renditions to choose from.
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.playing && window.kinoPlayer.video.currentTime > 0.5; });
  const levels = await page.evaluate(() => window.kinoPlayer.engine.qualities());
  assert.ok(levels.length >= 2, `expected several renditions, got ${JSON.stringify(levels)}`);
  assert.ok(keyRequests.length > 0, 'hls.js fetched the AES-128 key from the media server');
  // CMCD (CTA-5004) on every segment request: the playback session, the media id, the rendition's bitrate.
  const ids = await page.evaluate(() => ({ sid: window.kinoPlayer.playback.sessionId, cid: window.kinoPlayer.mediaId }));
  const cmcd = segments.map((u) => new URL(u).searchParams.get('CMCD'));
  assert.ok(cmcd.length > 0 && cmcd.every(Boolean), `segment requests without CMCD: ${segments.slice(0, 3)}`);
  assert.ok(cmcd.every((c) => c.includes(`sid="${ids.sid}"`) && c.includes(`cid="${ids.cid}"`)), cmcd[0]);
  assert.ok(cmcd.some((c) => /(^|,)br=\d+/.test(c) && /(^|,)ot=a?v(,|$)/.test(c) && /(^|,)sf=h(,|$)/.test(c)), cmcd.join('\n'));
  const media = await page.evaluate(() => {
    const l = window.kinoPlayer.engine.hls.levels;
    return l.map((x) => ({ codecs: `${x.videoCodec},${x.audioCodec}`, height: x.height }));
  });
  assert.ok(media.every((m) => /avc1\./.test(m.codecs)), JSON.stringify(media));

  // Switch through the quality menu to a rendition that is not playing, and wait for hls.js to say so.
  const active = await page.evaluate(() => window.kinoPlayer.engine.active());
  const wanted = levels.find((l) => l.id !== active && l.height !== levels.find((x) => x.id === active)?.height) || levels.find((l) => l.id !== active);
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

  // Play to the last second: long streams jump to 5 s before the end, the demo clip plays whole.
  await page.evaluate(() => {
    const v = window.kinoPlayer.video;
    if (v.duration > 40) v.currentTime = v.duration - 5;
  });
  await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended; }, null, 3 * TIMEOUT);
  const end = await page.evaluate(() => ({ t: window.__kino.maxTime, d: window.kinoPlayer.video.duration, dropped: window.kinoPlayer.video.getVideoPlaybackQuality() }));
  assert.ok(end.d > 0 && end.t >= end.d - 1, `played to ${end.t} of ${end.d} s`);
  if (target.media && target.media.durationSeconds) {
    assert.ok(Math.abs(end.d - target.media.durationSeconds) < 1.5, `duration ${end.d} vs the API's ${target.media.durationSeconds}`);
  }
});
