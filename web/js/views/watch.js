// The player page: asks the API for a playback session, starts the right engine (hls.js, native HLS or
// Shaka), draws the controls (quality, audio, subtitles, seek previews), resumes from the saved position,
// reports progress and frees the session's stream slot when it ends.
//
//   /watch/{titleId}[/{mediaId}]?engine=hls|dash|native&t=SECONDS   (no mediaId: the movie's feature or the
//                                                                     first episode)
//   /watch/direct?hls=URL&dash=URL&license=URL&thumbs=URL            (development: no API session)
//
// For tests, window.kinoPlayer = {engine, video, playback, mediaId, reported} once the engine has started, and
// the <video> dispatches kino:levelswitched / kino:tracks / kino:error (see engines.js).

import * as api from '../api.js';
import { commentSection } from './community.js';
import { h, mount, clock, notice, errorText, icon } from '../dom.js';
import { createEngine } from '../player/engines.js';
import { loadThumbnails, cueAt } from '../player/thumbnails.js';
import { trackPlayback } from '../player/events.js';
import { titleName } from './components.js';

const REPORT_EVERY_SECONDS = 10;
/** A saved position this close to the end counts as finished: play from the start. */
const FINISHED_WITHIN_SECONDS = 5;
/** The stop of the previous page's session: a new one waits for it (an account may have a single stream). */
let pendingStop = Promise.resolve();

export async function render(root, { params, query, route, navigate, isCurrent }) {
  const direct = !!route.direct;
  if (!direct && !api.user()) {
    navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    return undefined;
  }

  const video = h('video', { playsinline: true, preload: 'auto', crossorigin: 'anonymous' });
  const status = h('div.player-status', { 'aria-live': 'polite' });
  const player = h('div.player', { dataset: { state: 'loading' } }, video, status);
  const back = h('a.back', { href: direct ? '/' : `/title/${encodeURIComponent(params.titleId)}` }, '← Back');
  const heading = h('h1.player-title', '');
  mount(root, h('section.player-page', h('div.player-head', back, heading), player));
  if (!direct && params.mediaId) {
    const here = `/watch/${encodeURIComponent(params.titleId)}/${encodeURIComponent(params.mediaId)}`;
    root.append(commentSection({ on: 'media', id: params.mediaId, watchLink: (seconds) => `${here}?t=${seconds}` }));
  }

  const disposers = [];
  const on = (target, type, fn, o) => { target.addEventListener(type, fn, o); disposers.push(() => target.removeEventListener(type, fn, o)); };
  const fail = (text) => {
    player.dataset.state = 'error';
    status.replaceChildren(notice('error', text));
  };

  // ---- the playback session --------------------------------------------------------------------------
  let playback;
  let titleInfo = null;
  let item = null;
  try {
    if (direct) {
      playback = {
        hlsUrl: query.get('hls'), dashUrl: query.get('dash'), licenseUrl: query.get('license'),
        thumbnailsUrl: query.get('thumbs'), resumeSeconds: 0,
      };
    } else {
      titleInfo = await api.titles.get(params.titleId);
      item = findMedia(titleInfo, params.mediaId);
      if (!item) throw Object.assign(new Error('This title has nothing to play yet.'), { status: 404 });
      await pendingStop;
      if (!isCurrent()) return undefined;
      playback = await api.playback.start(item.id);
    }
  } catch (e) {
    if (!isCurrent()) return undefined;
    if (e.status === 429) fail('This account is already watching on as many screens as its plan allows. Stop playback elsewhere, or wait a minute and try again.');
    else if (e.status === 403) fail(`You cannot watch this title: ${errorText(e)}`);
    else fail(errorText(e));
    return undefined;
  }
  // From here on the session holds one of the account's concurrent streams until it is stopped.
  let stopped = false;
  const stopSession = (opts) => {
    if (direct || stopped || !playback.sessionId || !api.user()) return;
    stopped = true;
    pendingStop = api.playback.stop(playback.sessionId, opts).catch(() => { /* it expires with its token anyway */ });
  };
  if (!isCurrent()) {
    stopSession();
    return undefined;
  }
  const name = titleInfo ? titleName(titleInfo) : (query.get('name') || 'Video');
  const episode = item && item.episodeNumber != null
    ? `S${item.seasonNumber ?? 1} E${item.episodeNumber}${item.name ? ` · ${item.name}` : ''}` : null;
  heading.textContent = episode ? `${name} · ${episode}` : name;
  document.title = `${heading.textContent} – Kino`;

  const startParam = Number(query.get('t'));
  const known = item && item.durationSeconds;
  let startTime = Number.isFinite(startParam) && startParam > 0 ? startParam : playback.resumeSeconds || 0;
  if (known && startTime >= known - FINISHED_WITHIN_SECONDS) startTime = 0;

  // ---- the engine ------------------------------------------------------------------------------------
  let engine;
  try {
    engine = await createEngine(video, playback, {
      engine: query.get('engine') || undefined,
      startTime,
      maxHeight: playback.maxResolution || undefined,
      cmcd: { sessionId: playback.sessionId, contentId: item && item.id },
      onExpired: direct ? undefined : async () => {
        // The old session's slot is freed first: an account without a plan has a single stream.
        await api.playback.stop(playback.sessionId).catch(() => {});
        playback = await api.playback.start(item.id);
        return playback;
      },
    });
  } catch (e) {
    stopSession();
    if (!isCurrent()) return undefined;
    fail(errorText(e));
    return undefined;
  }
  if (!isCurrent()) {
    engine.destroy();
    stopSession();
    return undefined;
  }
  player.dataset.engine = engine.name;
  window.kinoPlayer = { engine, video, playback, mediaId: item && item.id, reported: [] };
  if (!direct && playback.sessionId) {
    // viewing analytics and QoE: playback events in batches (player/events.js)
    const tracker = trackPlayback(video, {
      mediaId: item.id, sessionId: () => playback.sessionId, send: api.playback.events,
      current: () => engine.qualities().find((q) => q.id === engine.active()) || null,
    });
    disposers.push(() => tracker.dispose());
  }
  // (disposers run in reverse: the final progress report, then the engine, then the session)
  disposers.push(() => stopSession());
  disposers.push(() => { engine.destroy(); if (window.kinoPlayer && window.kinoPlayer.engine === engine) window.kinoPlayer = null; });

  // ---- controls --------------------------------------------------------------------------------------
  const playBtn = h('button.ctl.play-toggle', { type: 'button', 'aria-label': 'Play' }, '▶');
  const bigPlay = h('button.big-play', { type: 'button', 'aria-label': 'Play' }, '▶');
  const time = h('span.time', '0:00 / 0:00');
  const seek = h('input.seek', { type: 'range', min: 0, max: 0, step: 0.1, value: 0, 'aria-label': 'Seek' });
  const buffered = h('div.buffered');
  const previewImg = h('div.preview-img');
  const previewTime = h('span.preview-time');
  const preview = h('div.preview', { hidden: true }, previewImg, previewTime);
  const timeline = h('div.timeline', buffered, seek, preview);
  const mute = h('button.ctl', { type: 'button', 'aria-label': 'Mute' }, icon('volume'));
  const volume = h('input.volume', { type: 'range', min: 0, max: 1, step: 0.05, value: 1, 'aria-label': 'Volume' });
  const qualitySel = h('select.ctl-select.quality', { 'aria-label': 'Quality' });
  const audioSel = h('select.ctl-select.audio', { 'aria-label': 'Audio language' });
  const textSel = h('select.ctl-select.subtitles', { 'aria-label': 'Subtitles' });
  const fullBtn = h('button.ctl', { type: 'button', 'aria-label': 'Full screen' }, icon('fullscreen'));
  const controls = h('div.controls', timeline,
    h('div.ctl-row', playBtn, time, mute, volume, h('span.spacer'), audioSel, textSel, qualitySel, fullBtn));
  player.append(bigPlay, controls);

  const toggle = () => (video.paused || video.ended ? video.play().catch(() => {}) : video.pause());
  on(playBtn, 'click', toggle);
  on(bigPlay, 'click', toggle);
  on(video, 'click', toggle);
  on(video, 'play', () => { playBtn.textContent = '❚❚'; playBtn.setAttribute('aria-label', 'Pause'); player.dataset.state = 'playing'; });
  on(video, 'pause', () => { playBtn.textContent = '▶'; playBtn.setAttribute('aria-label', 'Play'); player.dataset.state = 'paused'; });
  on(video, 'waiting', () => { player.dataset.buffering = 'true'; });
  on(video, 'playing', () => { delete player.dataset.buffering; });
  on(video, 'ended', () => { player.dataset.state = 'ended'; });

  let seeking = false;
  const paintTime = () => {
    const d = Number.isFinite(video.duration) ? video.duration : 0;
    time.textContent = `${clock(video.currentTime)} / ${clock(d)}`;
    if (!seeking) {
      seek.max = String(d);
      seek.value = String(video.currentTime);
    }
    seek.style.setProperty('--pos', d ? `${(video.currentTime / d) * 100}%` : '0%');
    if (video.buffered.length && d) {
      const end = video.buffered.end(video.buffered.length - 1);
      buffered.style.width = `${Math.min(100, (end / d) * 100)}%`;
    }
  };
  on(video, 'timeupdate', paintTime);
  on(video, 'durationchange', paintTime);
  on(video, 'progress', paintTime);
  on(seek, 'input', () => { seeking = true; time.textContent = `${clock(Number(seek.value))} / ${clock(video.duration)}`; });
  on(seek, 'change', () => { seeking = false; video.currentTime = Number(seek.value); });

  on(mute, 'click', () => { video.muted = !video.muted; });
  on(volume, 'input', () => { video.volume = Number(volume.value); video.muted = video.volume === 0; });
  on(video, 'volumechange', () => {
    const off = video.muted || video.volume === 0;
    mount(mute, icon(off ? 'muted' : 'volume'));
    mute.setAttribute('aria-label', off ? 'Unmute' : 'Mute');
    volume.value = String(video.muted ? 0 : video.volume);
  });
  on(fullBtn, 'click', () => (document.fullscreenElement ? document.exitFullscreen() : player.requestFullscreen()).catch(() => {}));

  on(root, 'keydown', (e) => {
    if (e.target.closest('select, input[type=text], input[type=search]')) return;
    const k = e.key;
    if (k === ' ' || k === 'k') { e.preventDefault(); toggle(); } else if (k === 'ArrowRight') { video.currentTime += 10; } else if (k === 'ArrowLeft') { video.currentTime -= 10; } else if (k === 'f') { fullBtn.click(); } else if (k === 'm') { mute.click(); }
  });

  // Menus: rebuilt whenever the engine reports new tracks.
  const fillMenus = () => {
    const qs = engine.qualities();
    const sel = engine.quality();
    const activeId = engine.active();
    const activeQ = qs.find((q) => q.id === activeId);
    mount(qualitySel, h('option', { value: 'auto' }, activeQ && sel === 'auto' ? `Auto (${activeQ.label})` : 'Auto'),
      qs.map((q) => h('option', { value: String(q.id) }, q.label)));
    qualitySel.value = String(sel);
    qualitySel.hidden = qs.length < 2;

    const as = engine.audioTracks();
    mount(audioSel, as.map((a) => h('option', { value: String(a.id) }, languageName(a.language, a.label))));
    audioSel.value = String(engine.audioTrack());
    audioSel.hidden = as.length < 2;

    const ts = engine.textTracks();
    mount(textSel, h('option', { value: '' }, 'Subtitles off'), ts.map((t) => h('option', { value: String(t.id) }, languageName(t.language, t.label))));
    const cur = engine.textTrack();
    textSel.value = cur === null || cur === undefined ? '' : String(cur);
    textSel.hidden = ts.length === 0;
  };
  on(video, 'kino:tracks', fillMenus);
  on(video, 'kino:levelswitched', (e) => { player.dataset.height = String(e.detail.height || ''); fillMenus(); });
  on(qualitySel, 'change', () => { engine.setQuality(qualitySel.value === 'auto' ? 'auto' : Number(qualitySel.value)); fillMenus(); });
  on(audioSel, 'change', () => engine.setAudioTrack(Number(audioSel.value)));
  on(textSel, 'change', () => engine.setTextTrack(textSel.value === '' ? null : Number(textSel.value)));
  on(video, 'kino:error', (e) => {
    player.dataset.state = 'error';
    status.replaceChildren(notice('error', e.detail.message));
  });
  fillMenus();

  // Preferred languages from the account, applied once tracks are known.
  const me = api.user();
  if (me) {
    const applyPrefs = () => {
      const pick = (tracks, prefs) => {
        for (const p of prefs || []) {
          const t = tracks.find((x) => x.language && (x.language === p || x.language.split('-')[0] === p.split('-')[0]));
          if (t) return t;
        }
        return null;
      };
      const a = pick(engine.audioTracks(), me.preferredAudioLanguages);
      if (a && a.id !== engine.audioTrack()) engine.setAudioTrack(a.id);
      const s = pick(engine.textTracks(), me.preferredSubtitleLanguages);
      if (s && engine.textTrack() === null) engine.setTextTrack(s.id);
    };
    if (engine.audioTracks().length || engine.textTracks().length) applyPrefs();
    else video.addEventListener('kino:tracks', applyPrefs, { once: true });
  }

  // ---- seek previews ---------------------------------------------------------------------------------
  const thumbsUrl = playback.thumbnailsUrl || guessThumbs(playback);
  loadThumbnails(thumbsUrl).then((cues) => {
    if (!isCurrent()) return;
    player.dataset.thumbnails = String(cues.length);
    const show = (e) => {
      const d = video.duration;
      if (!Number.isFinite(d) || d <= 0) return;
      const r = seek.getBoundingClientRect();
      const frac = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
      const t = frac * d;
      previewTime.textContent = clock(t);
      const cue = cueAt(cues, t);
      if (cue) {
        previewImg.hidden = false;
        previewImg.style.backgroundImage = `url("${cue.url.replace(/["\\\n]/g, encodeURIComponent)}")`;
        previewImg.style.width = `${cue.w || 160}px`;
        previewImg.style.height = `${cue.h || 90}px`;
        previewImg.style.backgroundPosition = cue.w ? `-${cue.x}px -${cue.y}px` : 'center';
        previewImg.style.backgroundSize = cue.w ? 'auto' : 'cover';
      } else {
        previewImg.hidden = true;
      }
      preview.hidden = false;
      const half = preview.offsetWidth / 2;
      preview.style.left = `${Math.min(r.width - half, Math.max(half, frac * r.width))}px`;
    };
    on(seek, 'pointermove', show);
    on(seek, 'pointerleave', () => { preview.hidden = true; });
  });

  // ---- resume and progress ---------------------------------------------------------------------------
  if (startTime > 0 && !direct) {
    const over = h('button.link', {
      type: 'button',
      onclick: () => { video.currentTime = 0; toast.remove(); },
    }, 'Start over');
    const toast = h('div.toast', `Resuming at ${clock(startTime)} · `, over);
    player.appendChild(toast);
    setTimeout(() => toast.remove(), 8000);
  }

  let lastReported = -Infinity;
  const report = (opts) => {
    if (direct || !api.user()) return;
    // At the end the position is the duration: the API clamps it and continue-watching drops the item.
    const at = video.ended && Number.isFinite(video.duration) ? video.duration : video.currentTime;
    lastReported = video.currentTime;
    if (window.kinoPlayer) window.kinoPlayer.reported.push(Math.floor(at));
    api.playback.progress(item.id, at, opts).catch((e) => console.warn('progress not saved', e.message));
  };
  on(video, 'timeupdate', () => {
    if (!video.paused && Math.abs(video.currentTime - lastReported) >= REPORT_EVERY_SECONDS) report();
  });
  on(video, 'pause', () => { if (video.currentTime > 0 && !video.ended) report(); });
  on(video, 'ended', () => report());
  on(window, 'pagehide', () => {
    if (video.currentTime > 0 && !video.ended) report({ keepalive: true });
    stopSession({ keepalive: true });
  });
  disposers.push(() => { if (video.currentTime > 0 && !video.ended) report({ keepalive: true }); });

  video.play().catch(() => { player.dataset.state = 'paused'; });
  root.querySelector('.player-page').tabIndex = -1;

  // Disposers run in reverse so the final progress report happens before the engine goes.
  return () => disposers.reverse().forEach((d) => { try { d(); } catch (e) { console.error(e); } });
}

/** The media item to play: the one named, else the movie's feature, else the first episode. */
function findMedia(t, id) {
  const all = [...(t.media || []), ...(t.seasons || []).flatMap((s) => s.episodes || [])];
  return id ? all.find((m) => String(m.id) === String(id)) || null : all[0] || null;
}

function guessThumbs(p) {
  // The packager writes thumbnails.vtt next to the master playlist (same signed prefix).
  const base = p.hlsUrl || p.dashUrl;
  try { return base ? new URL('thumbnails.vtt', base).href : null; } catch { return null; }
}

let names;
function languageName(tag, label) {
  if (label && label !== tag) return label;
  if (!tag) return label || 'Unknown';
  try {
    names = names || new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' });
    return names.of(tag) || tag;
  } catch {
    return tag;
  }
}
