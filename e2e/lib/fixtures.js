// Development fixtures, made with Debian's ffmpeg CLI, for running the player tests without the Kino
// servers: a 12 s test pattern with two video renditions (360p, 180p) and two audio languages, as
//   hls/   fMP4 HLS, media segments AES-128 encrypted (key hls/key.bin), English subtitles (WebVTT)
//   dash/  DASH with CENC (cenc-aes-ctr) segments and ContentProtection for ClearKey
//   thumbnails.vtt + thumbs.jpg   seek previews (a 3x2 sprite, one tile per 2 s)
// The final tests target the real Kino servers (run.sh); these fixtures only stand in until then.
//
// Usage: node lib/fixtures.js [DIR]   (default: e2e/.fixtures; reused when already made)

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encryptInit, encryptSegment } from './cenc.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_DIR = path.join(HERE, '..', '.fixtures');
export const SECONDS = 12;
// Fixed test key material (fixtures only): ClearKey key id and key, 16 bytes each, hex.
export const KID = '0123456789abcdef0123456789abcdef';
export const KEY = '00112233445566778899aabbccddeeff';
const VERSION = 'v5'; // bump when the layout below changes

const SOURCES = ['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=24:duration=${SECONDS}`,
  '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`,
  '-f', 'lavfi', '-i', `sine=frequency=660:duration=${SECONDS}`];
const LADDER = ['-filter_complex', '[0:v]split=2[v1][v2];[v2]scale=320:180[v2o]', '-map', '[v1]', '-map', '[v2o]'];
const CODECS = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '48', '-keyint_min', '48', '-sc_threshold', '0',
  '-b:v:0', '800k', '-b:v:1', '200k', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k', '-ac', '2'];

function ffmpeg(args, cwd) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

export function makeFixtures(dir = DEFAULT_DIR) {
  const stamp = path.join(dir, `.done-${VERSION}`);
  if (fs.existsSync(stamp)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'hls'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dash'), { recursive: true });

  // ---- HLS: fMP4, then AES-128-CBC over each media segment (Debian's ffmpeg cannot encrypt fMP4 HLS) ----
  ffmpeg([...SOURCES, ...LADDER, '-map', '1:a', '-map', '2:a', ...CODECS,
    '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4',
    '-hls_segment_filename', 'hls/%v/seg-%03d.m4s', '-hls_fmp4_init_filename', 'init.mp4',
    '-master_pl_name', 'master.m3u8',
    '-var_stream_map', 'v:0,agroup:aud,name:360p v:1,agroup:aud,name:180p a:0,agroup:aud,language:en,name:en,default:yes a:1,agroup:aud,language:fr,name:fr',
    'hls/%v/index.m3u8'], dir);
  const key = crypto.randomBytes(16);
  fs.writeFileSync(path.join(dir, 'hls', 'key.bin'), key);
  for (const v of ['360p', '180p', 'en', 'fr']) {
    const pl = path.join(dir, 'hls', v, 'index.m3u8');
    const out = [];
    let seq = 0;
    for (const line of fs.readFileSync(pl, 'utf8').split('\n')) {
      if (line.endsWith('.m4s')) {
        const iv = Buffer.alloc(16);
        iv.writeUInt32BE(seq++, 12);
        const file = path.join(dir, 'hls', v, line);
        const c = crypto.createCipheriv('aes-128-cbc', key, iv);
        fs.writeFileSync(file, Buffer.concat([c.update(fs.readFileSync(file)), c.final()]));
        out.splice(out.length - 1, 0, `#EXT-X-KEY:METHOD=AES-128,URI="../key.bin",IV=0x${iv.toString('hex')}`);
      }
      out.push(line);
    }
    fs.writeFileSync(pl, out.join('\n'));
  }
  fs.mkdirSync(path.join(dir, 'hls', 'subs'));
  fs.writeFileSync(path.join(dir, 'hls', 'subs', 'en.vtt'),
    'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:00.500 --> 00:00:05.000\nHello from Kino.\n\n00:00:05.500 --> 00:00:11.500\nThis line is a subtitle.\n');
  fs.writeFileSync(path.join(dir, 'hls', 'subs', 'en.m3u8'),
    `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:${SECONDS}\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:${SECONDS}.0,\nen.vtt\n#EXT-X-ENDLIST\n`);
  let master = fs.readFileSync(path.join(dir, 'hls', 'master.m3u8'), 'utf8');
  master = master.replace(/NAME="audio_2"/, 'NAME="English"').replace(/NAME="audio_3"/, 'NAME="Français"')
    .replace('#EXT-X-STREAM-INF', '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=NO,URI="subs/en.m3u8"\n#EXT-X-STREAM-INF')
    .replace(/AUDIO="group_aud"/g, 'AUDIO="group_aud",SUBTITLES="subs"');
  fs.writeFileSync(path.join(dir, 'hls', 'master.m3u8'), master);

  // ---- DASH with CENC. Debian's ffmpeg 5.1 writes no sample encryption boxes into fragments, so each
  // rendition is written as one clear fragmented MP4 (2 s fragments), split here into init + media
  // segments and encrypted by cenc.js, and described by a hand-written MPD with ClearKey protection. ----
  const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '48', '-keyint_min', '48', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'];
  const reps = [
    { id: '360p', width: 640, height: 360, bandwidth: 800000, args: [...x264, '-b:v', '800k', '-movflags', 'frag_keyframe+empty_moov+default_base_moof'] },
    { id: '180p', width: 320, height: 180, bandwidth: 200000, args: ['-vf', 'scale=320:180', ...x264, '-b:v', '200k', '-movflags', 'frag_keyframe+empty_moov+default_base_moof'] },
    { id: 'audio-en', audio: true, bandwidth: 64000, args: ['-c:a', 'aac', '-b:a', '64k', '-ac', '2', '-frag_duration', '2000000', '-movflags', 'empty_moov+default_base_moof'] },
  ];
  for (const r of reps) {
    const input = r.audio ? SOURCES.slice(4, 8) : SOURCES.slice(0, 4);
    ffmpeg([...input, ...r.args, `dash/${r.id}.mp4`], dir);
    r.codecs = splitFragmented(path.join(dir, 'dash', `${r.id}.mp4`), path.join(dir, 'dash', r.id), !r.audio);
  }
  const uuid = `${KID.slice(0, 8)}-${KID.slice(8, 12)}-${KID.slice(12, 16)}-${KID.slice(16, 20)}-${KID.slice(20)}`;
  const protection = `<ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" cenc:default_KID="${uuid}"/>
      <ContentProtection schemeIdUri="urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e" value="ClearKey1.0"/>`;
  const template = '<SegmentTemplate timescale="1000" duration="2000" startNumber="1" initialization="$RepresentationID$/init.mp4" media="$RepresentationID$/seg-$Number$.m4s"/>';
  const rep = (r) => (r.audio
    ? `<Representation id="${r.id}" codecs="${r.codecs}" bandwidth="${r.bandwidth}" audioSamplingRate="44100"><AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2"/></Representation>`
    : `<Representation id="${r.id}" codecs="${r.codecs}" bandwidth="${r.bandwidth}" width="${r.width}" height="${r.height}" frameRate="24" sar="1:1"/>`);
  fs.writeFileSync(path.join(dir, 'dash', 'manifest.mpd'), `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" xmlns:cenc="urn:mpeg:cenc:2013" profiles="urn:mpeg:dash:profile:isoff-live:2011"
     type="static" mediaPresentationDuration="PT${SECONDS}S" minBufferTime="PT2S">
  <Period id="0" start="PT0S">
    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      ${protection}
      ${template}
      ${reps.filter((r) => !r.audio).map(rep).join('\n      ')}
    </AdaptationSet>
    <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" lang="en" segmentAlignment="true" startWithSAP="1">
      ${protection}
      ${template}
      ${reps.filter((r) => r.audio).map(rep).join('\n      ')}
    </AdaptationSet>
  </Period>
</MPD>
`);

  // ---- thumbnails: a 3x2 sprite of 160x90 tiles, one per 2 s, and its WebVTT track ----
  ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=24:duration=${SECONDS}`,
    '-vf', 'fps=1/2,scale=160:90,tile=3x2', '-frames:v', '1', '-q:v', '5', 'thumbs.jpg'], dir);
  const cues = [];
  for (let i = 0; i < SECONDS / 2; i++) {
    const t = (s) => `00:00:${String(s).padStart(2, '0')}.000`;
    cues.push(`${t(i * 2)} --> ${t(i * 2 + 2)}\nthumbs.jpg#xywh=${(i % 3) * 160},${Math.floor(i / 3) * 90},160,90`);
  }
  fs.writeFileSync(path.join(dir, 'thumbnails.vtt'), `WEBVTT\n\n${cues.join('\n\n')}\n`);
  fs.writeFileSync(stamp, new Date().toISOString());
  return dir;
}

/**
 * Splits a fragmented MP4 into init.mp4 (everything before the first moof) and seg-N.m4s (each moof with
 * its mdat, N from 1) in outDir, CENC-encrypted. @returns the RFC 6381 codecs string read from the avcC / the AAC default
 */
function splitFragmented(file, outDir, video) {
  const buf = fs.readFileSync(file);
  fs.mkdirSync(outDir, { recursive: true });
  let pos = 0;
  let initEnd = -1;
  let segStart = -1;
  let n = 0;
  while (pos + 8 <= buf.length) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (size === 1) size = Number(buf.readBigUInt64BE(pos + 8));
    if (size === 0) size = buf.length - pos;
    if (type === 'moof') {
      if (initEnd < 0) {
        initEnd = pos;
        fs.writeFileSync(path.join(outDir, 'init.mp4'), encryptInit(buf.subarray(0, pos), KID));
      }
      segStart = pos;
    } else if (type === 'mdat' && segStart >= 0) {
      n += 1;
      fs.writeFileSync(path.join(outDir, `seg-${n}.m4s`), encryptSegment(buf.subarray(segStart, pos + size), KEY, video, n));
      segStart = -1;
    }
    pos += size;
  }
  fs.rmSync(file);
  const avcC = buf.subarray(0, initEnd).indexOf('avcC', 0, 'latin1');
  return avcC < 0 ? 'mp4a.40.2' : `avc1.${buf.subarray(avcC + 5, avcC + 8).toString('hex')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(makeFixtures(process.argv[2] || DEFAULT_DIR));
}
