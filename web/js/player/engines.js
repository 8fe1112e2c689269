// Playback engines behind one small interface, so the player page does not care which one plays:
//   hls.js      HLS (AES-128 segments, keys fetched by hls.js) through Media Source Extensions
//   native-hls  Safari / iOS: the <video> element plays HLS itself (used when hls.js is not supported)
//   shaka       DASH with CENC, keys from the ClearKey licence endpoint through EME
//
// Every engine dispatches on the <video> element:
//   'kino:tracks'         qualities, audio or subtitle tracks changed: rebuild the menus
//   'kino:levelswitched'  {detail: {id, height, bitrate}} the rendition actually playing changed
//   'kino:error'          {detail: {message, fatal}} a playback error the engine could not recover from
//
// Engine interface:
//   name, qualities() → [{id, height, bitrate, label}], quality() → 'auto' | id, active() → id | null,
//   setQuality('auto' | id), audioTracks() → [{id, language, label}], audioTrack() → id, setAudioTrack(id),
//   textTracks() → [{id, language, label}], textTrack() → id | null, setTextTrack(id | null), destroy()

import { loadHls, loadShaka } from './vendor.js';

const emit = (video, type, detail) => video.dispatchEvent(new CustomEvent(type, { detail }));
const qualityLabel = (height, bitrate) => (height ? `${height}p` : `${Math.round((bitrate || 0) / 1000)} kbps`);

/**
 * Picks and starts an engine.
 * @param {HTMLVideoElement} video
 * @param {{hlsUrl?: string, dashUrl?: string, licenseUrl?: string}} source
 * @param {{engine?: 'hls'|'dash'|'native', startTime?: number, maxHeight?: number,
 *   cmcd?: {sessionId?: string, contentId?: string},
 *   onExpired?: () => Promise<{hlsUrl?: string, dashUrl?: string, licenseUrl?: string}>}} opts
 *   maxHeight: tallest rendition the viewer's plan allows (the playback grant's maxResolution)
 *   cmcd: send Common Media Client Data (CTA-5004) with every media request, with this session id (the playback
 *     session) and content id (the media id); the media server folds it into its QoE metrics
 */
export async function createEngine(video, source, opts = {}) {
  const want = opts.engine;
  const nativeHls = video.canPlayType('application/vnd.apple.mpegurl') !== '';
  if (want === 'dash') return createShaka(video, source, opts);
  if (want === 'native') return createNative(video, source, opts);
  if (source.hlsUrl && want !== 'dash') {
    const Hls = await loadHls().catch(() => null);
    if (Hls && Hls.isSupported()) return createHlsJs(Hls, video, source, opts);
    if (nativeHls) return createNative(video, source, opts);
  }
  if (source.dashUrl) return createShaka(video, source, opts);
  throw new Error('This browser cannot play this video (no Media Source Extensions, no native HLS).');
}

// ---- CMCD ----------------------------------------------------------------------------------------------
// Both engines send CMCD version 1 (the keys the media server parses: media-server CmcdAggregator) as the CMCD
// query parameter, not as CMCD-* headers: custom headers would make every cross-origin media request a CORS
// preflight, and the edge leaves the query out of its cache key (config/examples/nginx-edge.conf). The session id is
// the playback session the engine started with (a renewed token keeps it: one viewing, one id).
const cmcdConfig = (cmcd) => ({
  ...(cmcd.sessionId ? { sessionId: String(cmcd.sessionId) } : {}),
  ...(cmcd.contentId ? { contentId: String(cmcd.contentId) } : {}),
  useHeaders: false,
  version: 1,
});

// ---- hls.js --------------------------------------------------------------------------------------------

function createHlsJs(Hls, video, source, opts) {
  const hls = new Hls({
    startPosition: opts.startTime > 0 ? opts.startTime : -1,
    enableWorker: true,
    lowLatencyMode: false,
    backBufferLength: 60,
    // Keys and segments come from the media server with the token in the path: no credentials needed.
    ...(opts.cmcd ? { cmcd: cmcdConfig(opts.cmcd) } : {}),
  });
  let refreshing = false;
  let netRetries = 0;
  let mediaRecoveries = 0;

  // Renditions above the plan's resolution are neither chosen by ABR nor offered in the menu.
  const allowed = (l) => !opts.maxHeight || !l.height || l.height <= opts.maxHeight;
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    if (opts.maxHeight) {
      let cap = -1;
      hls.levels.forEach((l, i) => { if (allowed(l) && (cap < 0 || l.height >= hls.levels[cap].height)) cap = i; });
      if (cap >= 0) hls.autoLevelCapping = cap;
    }
    emit(video, 'kino:tracks');
  });
  hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => emit(video, 'kino:tracks'));
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => emit(video, 'kino:tracks'));
  hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, () => emit(video, 'kino:tracks'));
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, d) => {
    const l = hls.levels[d.level] || {};
    emit(video, 'kino:levelswitched', { id: d.level, height: l.height, bitrate: l.bitrate });
  });
  hls.on(Hls.Events.FRAG_LOADED, () => { netRetries = 0; });
  hls.on(Hls.Events.ERROR, async (_, d) => {
    if (!d.fatal) return;
    const code = d.response && d.response.code;
    if (d.type === Hls.ErrorTypes.NETWORK_ERROR) {
      // An expired or revoked playback token: ask the API for fresh URLs and continue where we were.
      if ((code === 403 || code === 410) && opts.onExpired && !refreshing) {
        refreshing = true;
        try {
          const fresh = await opts.onExpired();
          const at = video.currentTime;
          hls.config.startPosition = at;
          hls.loadSource(fresh.hlsUrl);
          hls.startLoad(at);
          return;
        } catch { /* fall through to the error */ } finally { refreshing = false; }
      }
      if (netRetries++ < 3) {
        hls.startLoad();
        return;
      }
    } else if (d.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries++ < 2) {
      hls.recoverMediaError();
      return;
    }
    emit(video, 'kino:error', { message: `Playback failed (${d.details}${code ? `, HTTP ${code}` : ''})`, fatal: true });
  });
  hls.attachMedia(video);
  hls.loadSource(source.hlsUrl);

  return {
    name: 'hls.js',
    hls,
    qualities: () => hls.levels.map((l, i) => ({ id: i, height: l.height, bitrate: l.bitrate, label: qualityLabel(l.height, l.bitrate), ok: allowed(l) }))
      .filter((q) => q.ok).map(({ ok, ...q }) => q).sort((a, b) => b.height - a.height || b.bitrate - a.bitrate),
    quality: () => (hls.autoLevelEnabled ? 'auto' : hls.manualLevel ?? hls.currentLevel),
    active: () => (hls.currentLevel >= 0 ? hls.currentLevel : null),
    setQuality(id) {
      // currentLevel switches now (flushing the buffer ahead); -1 hands control back to ABR.
      hls.currentLevel = id === 'auto' ? -1 : Number(id);
    },
    audioTracks: () => hls.audioTracks.map((t, i) => ({ id: i, language: t.lang || '', label: t.name || t.lang || `Audio ${i + 1}` })),
    audioTrack: () => hls.audioTrack,
    setAudioTrack(id) { hls.audioTrack = Number(id); },
    textTracks: () => hls.subtitleTracks.map((t, i) => ({ id: i, language: t.lang || '', label: t.name || t.lang || `Subtitles ${i + 1}` })),
    textTrack: () => (hls.subtitleTrack >= 0 && hls.subtitleDisplay ? hls.subtitleTrack : null),
    setTextTrack(id) {
      if (id === null || id === undefined || id === '') {
        hls.subtitleDisplay = false;
        hls.subtitleTrack = -1;
      } else {
        hls.subtitleTrack = Number(id);
        hls.subtitleDisplay = true;
      }
      emit(video, 'kino:tracks');
    },
    destroy() { hls.destroy(); },
  };
}

// ---- native HLS (Safari) -------------------------------------------------------------------------------

function createNative(video, source, opts) {
  const onMeta = () => {
    if (opts.startTime > 0) video.currentTime = opts.startTime;
    emit(video, 'kino:tracks');
  };
  video.addEventListener('loadedmetadata', onMeta, { once: true });
  video.src = source.hlsUrl;
  const list = (l) => Array.from(l || []);
  const texts = () => list(video.textTracks).filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
  return {
    name: 'native-hls',
    qualities: () => [],
    quality: () => 'auto',
    active: () => null,
    setQuality() { /* Safari chooses renditions itself */ },
    audioTracks: () => list(video.audioTracks).map((t, i) => ({ id: i, language: t.language, label: t.label || t.language || `Audio ${i + 1}` })),
    audioTrack: () => list(video.audioTracks).findIndex((t) => t.enabled),
    setAudioTrack(id) { list(video.audioTracks).forEach((t, i) => { t.enabled = i === Number(id); }); },
    textTracks: () => texts().map((t, i) => ({ id: i, language: t.language, label: t.label || t.language || `Subtitles ${i + 1}` })),
    textTrack: () => { const i = texts().findIndex((t) => t.mode === 'showing'); return i < 0 ? null : i; },
    setTextTrack(id) {
      texts().forEach((t, i) => { t.mode = id !== null && i === Number(id) ? 'showing' : 'disabled'; });
      emit(video, 'kino:tracks');
    },
    destroy() {
      video.removeEventListener('loadedmetadata', onMeta);
      video.removeAttribute('src');
      video.load();
    },
  };
}

// ---- Shaka (DASH + ClearKey) ---------------------------------------------------------------------------

async function createShaka(video, source, opts) {
  if (!source.dashUrl) throw new Error('No DASH stream for this title.');
  const shaka = await loadShaka();
  shaka.polyfill.installAll();
  if (!shaka.Player.isBrowserSupported()) throw new Error('This browser cannot play DASH (no MSE/EME).');
  const player = new shaka.Player();
  await player.attach(video);
  // The licence URL comes from the playback API; the media server also answers it next to the MPD.
  const licenseUrl = source.licenseUrl || new URL('license/clearkey', source.dashUrl).href;
  player.configure({
    drm: { servers: { 'org.w3.clearkey': licenseUrl } },
    streaming: { bufferingGoal: 30, rebufferingGoal: 2 },
    ...(opts.maxHeight ? { restrictions: { maxHeight: opts.maxHeight } } : {}),
    ...(opts.cmcd ? { cmcd: { enabled: true, ...cmcdConfig(opts.cmcd) } } : {}),
  });
  let manual = null; // selected video height, null = auto
  let lastVariant = null;
  const activeVariant = () => player.getVariantTracks().find((t) => t.active) || null;
  const announce = () => {
    const v = activeVariant();
    if (v && (!lastVariant || v.id !== lastVariant.id)) {
      if (!lastVariant || v.height !== lastVariant.height) {
        emit(video, 'kino:levelswitched', { id: v.height, height: v.height, bitrate: v.bandwidth });
      }
      lastVariant = v;
    }
  };
  player.addEventListener('adaptation', announce);
  player.addEventListener('variantchanged', announce);
  player.addEventListener('trackschanged', () => emit(video, 'kino:tracks'));
  player.addEventListener('texttrackvisibility', () => emit(video, 'kino:tracks'));
  player.addEventListener('error', (e) => {
    const d = e.detail || {};
    if (d.severity === shaka.util.Error.Severity.CRITICAL) {
      emit(video, 'kino:error', { message: `Playback failed (Shaka error ${d.code}${d.data && d.data.length ? `: ${JSON.stringify(d.data).slice(0, 300)}` : ''})`, fatal: true });
    }
  });
  await player.load(source.dashUrl, opts.startTime > 0 ? opts.startTime : null);
  emit(video, 'kino:tracks');
  announce();

  const currentAudio = () => {
    const v = activeVariant();
    return v ? v.audioId : null;
  };
  return {
    name: 'shaka',
    player,
    qualities: () => {
      const seen = new Map();
      for (const t of player.getVariantTracks()) {
        if (t.audioId !== currentAudio() || !t.height) continue;
        if (!seen.has(t.height) || seen.get(t.height).bandwidth > t.bandwidth) seen.set(t.height, t);
      }
      return [...seen.values()].sort((a, b) => b.height - a.height)
        .map((t) => ({ id: t.height, height: t.height, bitrate: t.bandwidth, label: qualityLabel(t.height, t.bandwidth) }));
    },
    quality: () => (manual === null ? 'auto' : manual),
    active: () => { const v = activeVariant(); return v ? v.height : null; },
    setQuality(id) {
      if (id === 'auto') {
        manual = null;
        player.configure({ abr: { enabled: true } });
        return;
      }
      manual = Number(id);
      const t = player.getVariantTracks().find((x) => x.height === manual && x.audioId === currentAudio());
      player.configure({ abr: { enabled: false } });
      if (t) player.selectVariantTrack(t, true, 2);
    },
    audioTracks: () => player.getAudioTracks().map((t, i) => ({ id: i, language: t.language, label: t.label || t.language || `Audio ${i + 1}` })),
    audioTrack: () => player.getAudioTracks().findIndex((t) => t.active),
    setAudioTrack(id) {
      const t = player.getAudioTracks()[Number(id)];
      if (t) player.selectAudioTrack(t, 2);
    },
    textTracks: () => player.getTextTracks().map((t) => ({ id: t.id, language: t.language, label: t.label || t.language || `Subtitles ${t.id}` })),
    textTrack: () => { const t = player.getTextTracks().find((x) => x.active); return t ? t.id : null; },
    setTextTrack(id) {
      if (id === null || id === undefined || id === '') player.selectTextTrack(null);
      else player.selectTextTrack(player.getTextTracks().find((t) => t.id === Number(id)));
      emit(video, 'kino:tracks');
    },
    destroy() { player.destroy(); },
  };
}
