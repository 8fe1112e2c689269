// The web player's playback events (web/js/player/events.js) on a stand-in <video>: the events a viewing session
// produces, in batches, resent after a 503, and the last batch sent with keepalive when the page goes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

// the browser globals the tracker uses
globalThis.window = new EventTarget();
globalThis.document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
const { trackPlayback } = await import('../../web/js/player/events.js');

class FakeVideo extends EventTarget {
  constructor() { super(); this.currentTime = 0; this.paused = true; this.ended = false; this.seeking = false; }
  fire(type, detail) { this.dispatchEvent(detail === undefined ? new Event(type) : new CustomEvent(type, { detail })); }
}

test('a viewing session is reported as start, switch, stall, pause, seek and end, in batches', async () => {
  const video = new FakeVideo();
  const batches = [];
  let fail = 1; // the first batch meets a full queue (503) and must come again
  const tracker = trackPlayback(video, {
    mediaId: 'm-1', sessionId: () => 's-1',
    current: () => ({ height: 360, bitrate: 800000 }),
    send: async (events, opts) => {
      if (fail-- > 0) throw Object.assign(new Error('unavailable'), { status: 503 });
      batches.push({ events, keepalive: opts.keepalive });
      return { accepted: events.length, refused: [] };
    },
  });
  video.paused = false;
  video.fire('playing');
  video.currentTime = 4;
  video.fire('kino:levelswitched', { height: 720, bitrate: 2400000 });
  video.fire('waiting');
  video.fire('playing');
  video.paused = true;
  video.fire('pause');
  video.currentTime = 30;
  video.fire('seeked');
  await new Promise((r) => setTimeout(r, 10));
  window.dispatchEvent(new Event('pagehide')); // first send: 503, the events stay queued
  await new Promise((r) => setTimeout(r, 10));
  video.paused = false;
  video.fire('playing');
  tracker.dispose();
  await new Promise((r) => setTimeout(r, 10));

  const all = batches.flatMap((b) => b.events);
  assert.deepEqual(all.map((e) => e.type), ['start', 'switch', 'stall-start', 'stall-end', 'pause', 'seek', 'heartbeat', 'end']);
  assert.ok(batches.every((b) => b.keepalive), 'sent as the page goes: keepalive');
  assert.equal(new Set(all.map((e) => e.id)).size, all.length, 'an id per event');
  assert.ok(all.every((e) => /^[0-9a-f-]{36}$/.test(e.id) && e.mediaId === 'm-1' && e.sessionId === 's-1'));
  assert.equal(all[0].rendition, '360p');
  assert.ok(all[0].startupMs >= 0);
  assert.equal(all[1].rendition, '720p');
  assert.equal(all[1].bitrate, 2400000);
  assert.equal(all[5].position, 30);
});
