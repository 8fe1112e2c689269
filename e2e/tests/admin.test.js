// The admin page's whole publishing flow on the real API, with the demo's admin account: a clip with two
// audio languages (made here with ffmpeg) is uploaded in chunks, packaged by the demo's worker, published;
// then the catalogue search finds it and hls.js plays it with an audio menu that switches language.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { launch } from '../lib/browser.js';
import { TIMEOUT, recordEvents, signIn, startTarget, waitPlayer } from '../lib/target.js';

let target;
let browser;
let failed = false;
let dir;

before(async () => {
  target = startTarget();
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kino-e2e-upload-'));
});
afterEach((t) => { if (!t.passed) failed = true; });
after(async () => {
  await browser?.close('admin', failed);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** 6 s of 320x180 test pattern with an English (440 Hz) and a French (660 Hz) audio track. */
function makeClip(file) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=6',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-f', 'lavfi', '-i', 'sine=frequency=660:duration=6',
    '-map', '0:v', '-map', '1:a', '-map', '2:a', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '64k', '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fra', file],
  { stdio: ['ignore', 'inherit', 'inherit'] });
}

test('an admin uploads, packages and publishes a video; viewers find it and switch its audio language',
  { timeout: 6 * TIMEOUT, skip: !process.env.KINO_ADMIN_PASSWORD && 'the demo printed no admin password (not a fresh data.dir)' },
  async () => {
    const { page } = browser;
    const clip = path.join(dir, 'two-languages.mp4');
    makeClip(clip);
    const name = `Upload ${crypto.randomBytes(3).toString('hex')}`;

    await signIn(page, target, process.env.KINO_ADMIN_LOGIN, process.env.KINO_ADMIN_PASSWORD);
    await page.click('#nav >> text=Admin');
    await page.waitForSelector('form.upload-form');
    await page.setInputFiles('#a-file', clip);
    await page.fill('#a-title', name);
    await page.fill('#a-language', 'en');
    await page.fill('#a-genres', 'test, e2e');
    await page.selectOption('#a-access', 'free');
    await page.selectOption('#a-protection', 'aes-128+cenc');
    const chunks = [];
    page.on('request', (r) => { if (r.method() === 'PUT' && /\/api\/v1\/uploads\/[^/]+\/chunks\/\d+$/.test(r.url())) chunks.push(r.url()); });
    await page.click('form.upload-form button[type=submit]');

    const job = '.job[data-state]';
    await page.waitForFunction((sel) => {
      const j = document.querySelector(sel);
      if (j && j.dataset.state === 'failed') throw new Error(`admin flow failed: ${j.querySelector('.job-state').textContent}`);
      return j && j.dataset.state === 'packaged';
    }, job, { timeout: 4 * TIMEOUT, polling: 250 });
    assert.ok(chunks.length >= 1, 'the file went up in chunks');
    await page.click(`${job} button.publish`);
    await page.waitForSelector('.job[data-state=published]');

    // Search finds it (GET /search?q=; the index follows the catalogue within seconds), its title page plays it.
    await page.fill('.search input', name.toLowerCase());
    await page.press('.search input', 'Enter');
    for (let i = 0; ; i++) {
      await page.waitForSelector('ol.search-hits > li', { timeout: TIMEOUT });
      const found = await page.$$eval('li.search-hit a.name', (els, n) => els.some((e) => e.textContent === n), name);
      if (found || i === 15) break;
      await page.waitForTimeout(1000);
      await page.reload();
    }
    const cards = await page.$$eval('li.search-hit a.name', (els) => els.map((e) => e.textContent));
    assert.deepEqual(cards, [name]);
    await page.click('li.search-hit a.name');
    await page.waitForSelector('.hero h1');
    assert.equal((await page.textContent('.hero h1')).trim(), name);
    assert.match(await page.textContent('.hero .languages'), /English.*French/);
    await page.click('a.play');
    await page.waitForFunction(() => (window.kinoPlayer && window.kinoPlayer.engine)
      || document.querySelector('.player[data-state=error]'), null, { timeout: TIMEOUT });
    await recordEvents(page);
    await waitPlayer(page, () => { window.__kino.fail(); return window.kinoPlayer.video.currentTime > 0.5; });

    // The audio menu offers both languages and switches.
    const tracks = await page.evaluate(() => window.kinoPlayer.engine.audioTracks());
    // (the packager writes BCP 47 tags: en, fr)
    const langs = tracks.map((t) => t.language).sort();
    assert.ok(langs.length === 2 && /^en/.test(langs[0]) && /^fr/.test(langs[1]), JSON.stringify(tracks));
    const current = await page.evaluate(() => window.kinoPlayer.engine.audioTrack());
    const wanted = tracks.find((t) => t.id !== current);
    await page.hover('.player');
    await page.selectOption('select.audio', String(wanted.id));
    await waitPlayer(page, (id) => { window.__kino.fail(); return window.kinoPlayer.engine.audioTrack() === id; }, wanted.id);
    await waitPlayer(page, () => { window.__kino.fail(); return window.__kino.ended || window.kinoPlayer.video.currentTime > 4; });
  });
