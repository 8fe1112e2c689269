// Title page: artwork, facts, synopsis, play, my list, and for series a season picker with episodes.

import * as api from '../api.js';
import { h, mount, safeUrl, duration } from '../dom.js';
import { titleName, unwrapTitle, watchlistButton } from './components.js';

export async function render(root, { params, query, navigate }) {
  const t = await api.titles.get(params.id);
  const name = titleName(t);
  document.title = `${name} – Kino`;
  const seasons = Array.isArray(t.seasons) ? t.seasons.filter((s) => Array.isArray(s.episodes)) : [];
  const isSeries = t.kind === 'series' || seasons.length > 0;
  const backdrop = safeUrl(t.backdropUrl || t.posterUrl);
  const poster = safeUrl(t.posterUrl);
  const watch = (episodeId) => `/watch/${encodeURIComponent(t.id)}${episodeId ? `/${encodeURIComponent(episodeId)}` : ''}`;

  const firstEpisode = seasons[0] && seasons[0].episodes[0];
  const playHref = isSeries ? (firstEpisode ? watch(firstEpisode.id) : null) : watch();

  let inList = t.inWatchlist;
  if (inList === undefined && api.user()) {
    // The title answer may not say; ask the list (first page is enough for a hint).
    try {
      const page = await api.watchlist.list();
      inList = (page.items || []).some((x) => unwrapTitle(x).id === t.id);
    } catch { inList = false; }
  }

  const facts = [t.year, isSeries ? `${seasons.length} season${seasons.length === 1 ? '' : 's'}` : duration(t.durationSeconds),
    t.rating || t.maturity].filter(Boolean).join(' · ');

  const hero = h('section.hero',
    backdrop ? h('div.backdrop', h('img', { src: backdrop, alt: '' })) : null,
    h('div.hero-body',
      poster ? h('img.hero-poster', { src: poster, alt: '' }) : null,
      h('div.hero-text',
        h('h1', name),
        facts ? h('p.facts', facts) : null,
        Array.isArray(t.genres) && t.genres.length
          ? h('p.genres', t.genres.map((g) => h('a.chip', { href: `/?genre=${encodeURIComponent(g)}` }, g))) : null,
        h('p.synopsis', t.synopsis || t.description || ''),
        languages(t),
        h('div.actions',
          playHref ? h('a.button.play', { href: playHref }, '▶ Play') : h('span.muted', 'Not playable yet'),
          watchlistButton(t.id, inList, navigate)))));

  const content = [hero];
  if (isSeries && seasons.length) {
    const wanted = Number(query.get('season')) || seasons[0].number || 1;
    const list = h('ol.episodes');
    const select = h('select.season', { 'aria-label': 'Season' },
      seasons.map((s, i) => h('option', { value: String(i) }, s.title || `Season ${s.number ?? i + 1}`)));
    const show = (i) => {
      const s = seasons[i];
      mount(list, s.episodes.map((e, n) => h('li.episode',
        h('a', { href: watch(e.id) },
          h('div.thumb', safeUrl(e.thumbnailUrl || e.stillUrl) ? h('img', { src: safeUrl(e.thumbnailUrl || e.stillUrl), alt: '', loading: 'lazy' }) : h('span', '▶')),
          h('div.episode-text',
            h('h3', `${e.number ?? n + 1}. ${e.title || `Episode ${e.number ?? n + 1}`}`),
            h('p.meta', duration(e.durationSeconds)),
            h('p', e.synopsis || e.description || ''))))));
    };
    const idx = Math.max(0, seasons.findIndex((s) => s.number === wanted));
    select.value = String(idx);
    select.addEventListener('change', () => show(Number(select.value)));
    show(idx);
    content.push(h('section.page.seasons', h('div.section-head', h('h2', 'Episodes'), select), list));
  }
  mount(root, ...content);
}

function languages(t) {
  const audio = (t.audioLanguages || []).join(', ');
  const subs = (t.subtitleLanguages || []).join(', ');
  if (!audio && !subs) return null;
  return h('p.languages', audio ? `Audio: ${audio}` : '', audio && subs ? ' · ' : '', subs ? `Subtitles: ${subs}` : '');
}
