// Playback events for viewing analytics and QoE (POST /api/v1/playback/events; control-api analytics package).
//
// Listens to the <video> and the engine's kino:* events and reports, in batches:
//   start        first frame (with startupMs: from the tracker's creation, i.e. the play request, to it)
//   heartbeat    every 10 s while playing (position, rendition, bitrate)
//   pause, seek (to the new position), stall-start / stall-end (rebuffering after the first frame),
//   switch (a new rendition), error (fatal), end (ended, or the page left while playing)
// A batch goes every 10 s and when the page is hidden or left (fetch keepalive, which carries the bearer token;
// sendBeacon cannot). Every event has its own id, so a batch the server could not take (503) is sent again as is.

const HEARTBEAT_MS = 10_000;
const MAX_QUEUED = 500; // the server's batch limit; beyond it the oldest are dropped (a player offline for long)

/** A random (version 4) UUID; crypto.randomUUID exists only in secure contexts (HTTPS, localhost). */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * @param {HTMLVideoElement} video
 * @param {{mediaId: string, sessionId: () => string, send: (events: object[], opts: {keepalive: boolean}) => Promise<*>,
 *   current?: () => ({height?: number, bitrate?: number} | null)}} o
 *   sessionId is read at each event (a token refresh starts a new playback session); current tells the rendition
 *   playing when the engine announced it before the tracker listened
 * @returns {{dispose: () => void}}
 */
export function trackPlayback(video, { mediaId, sessionId, send, current }) {
  const t0 = performance.now();
  const queue = [];
  let started = false;
  let stalled = false;
  let ended = false;
  let rendition = null;
  let bitrate = null;
  let sending = null;

  const event = (type, extra = {}) => {
    const e = {
      id: uuid(), type, mediaId, sessionId: sessionId(), at: Date.now(),
      position: Math.max(0, Number.isFinite(video.currentTime) ? video.currentTime : 0), ...extra,
    };
    if (rendition) e.rendition = rendition;
    if (bitrate) e.bitrate = bitrate;
    queue.push(e);
    if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
  };

  const flush = (keepalive = false) => {
    if (!queue.length || (sending && !keepalive)) return sending;
    const batch = queue.splice(0, queue.length);
    sending = send(batch, { keepalive })
      .catch((e) => {
        // 503 (queue full) and network failures: keep them for the next batch; refusals (200) are final
        if (!e || !e.status || e.status === 503 || e.status === 429) queue.unshift(...batch.slice(0, MAX_QUEUED - queue.length));
      })
      .finally(() => { sending = null; });
    return sending;
  };

  const handlers = {
    playing: () => {
      if (!started) {
        started = true;
        const c = !rendition && current ? current() : null;
        if (c && c.height) rendition = `${c.height}p`;
        if (c && c.bitrate) bitrate = c.bitrate;
        event('start', { startupMs: Math.round(performance.now() - t0) });
      } else if (stalled) {
        stalled = false;
        event('stall-end');
      } else {
        event('heartbeat'); // resumed after a pause
      }
    },
    waiting: () => {
      if (started && !stalled && !video.seeking && !video.paused) {
        stalled = true;
        event('stall-start');
      }
    },
    pause: () => { if (started && !video.ended) event('pause'); },
    seeked: () => { if (started) event('seek'); },
    ended: () => { ended = true; event('end'); flush(); },
    'kino:levelswitched': (e) => {
      const d = e.detail || {};
      rendition = d.height ? `${d.height}p` : rendition;
      bitrate = d.bitrate || bitrate;
      if (started) event('switch');
    },
    'kino:error': (e) => { event('error', { message: String((e.detail && e.detail.message) || '').slice(0, 256) }); flush(); },
  };
  Object.entries(handlers).forEach(([type, fn]) => video.addEventListener(type, fn));

  const timer = setInterval(() => {
    if (started && !video.paused && !stalled && !video.ended) event('heartbeat');
    flush();
  }, HEARTBEAT_MS);
  const leave = () => {
    if (started && !ended && !video.paused) event('end');
    flush(true);
  };
  const hidden = () => { if (document.visibilityState === 'hidden') flush(true); };
  window.addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', hidden);

  return {
    dispose() {
      clearInterval(timer);
      Object.entries(handlers).forEach(([type, fn]) => video.removeEventListener(type, fn));
      window.removeEventListener('pagehide', leave);
      document.removeEventListener('visibilitychange', hidden);
      leave();
    },
  };
}
