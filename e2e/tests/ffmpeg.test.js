// (e) FFmpeg (Debian's ffmpeg CLI) decodes the whole AES-128 HLS stream from the signed URL ./kino demo
//     printed: every rendition and the audio, with no error, for the stream's full duration.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { TIMEOUT, api, playableTitle, startTarget } from '../lib/target.js';

const run = promisify(execFile);

test('ffmpeg decodes the whole AES-128 HLS stream from the printed signed URL', { timeout: 2 * TIMEOUT }, async () => {
  const target = startTarget();
  let url = process.env.KINO_DEMO_HLS_URL;
  if (!url) {
    // run.sh --url against a Kino that did not print one: a guest grant of the (free) title.
    await playableTitle(target);
    url = (await api(target, 'POST', '/playback', { json: { mediaId: target.mediaId } })).hlsUrl;
  }
  assert.match(url, /\/master\.m3u8$/);

  const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,height:format=duration',
    '-of', 'json', url], { timeout: TIMEOUT });
  const info = JSON.parse(probe.stdout);
  const video = info.streams.filter((s) => s.codec_type === 'video');
  const audio = info.streams.filter((s) => s.codec_type === 'audio');
  assert.ok(video.length >= 2, `renditions: ${JSON.stringify(info.streams)}`);
  assert.ok(audio.length >= 1, 'an audio stream');
  const duration = Number(info.format.duration);
  assert.ok(duration > 1, `duration ${duration}`);

  // -map 0: every program of the multivariant playlist (all renditions, audio), decrypted and decoded.
  const { stdout, stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', url, '-map', '0', '-progress', 'pipe:1',
    '-f', 'null', '-'], { timeout: TIMEOUT, maxBuffer: 16 << 20 });
  assert.equal(stderr.trim(), '', `ffmpeg reported errors:\n${stderr}`);
  const last = (key) => Number([...stdout.matchAll(new RegExp(`^${key}=(\\S+)$`, 'gm'))].pop()?.[1]);
  const outSeconds = last('out_time_us') / 1e6;
  assert.ok(outSeconds >= duration - 0.5, `decoded ${outSeconds} s of ${duration} s`);
  assert.ok(last('frame') > 0, 'video frames decoded');
});
