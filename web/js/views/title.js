// Title page: facts, synopsis, play, my list, and for series a season picker with episodes.
// Data: GET /titles/{id} (TitleDetail: seasons[].episodes[] and, for a movie, media[] are MediaView items);
// the play links are /watch/{titleId}/{mediaId}.

import * as api from '../api.js';
import { h, mount, safeUrl, duration } from '../dom.js';
import { followButton, localised, posterUrl, titleName, watchlistButton } from './components.js';
import { commentSection, titleRating, titleReactions } from './community.js';
import { similarTitles } from './recommend.js';

export async function render(root, { params, query, navigate }) {
  const t = await api.titles.get(params.id);
  const name = titleName(t);
  document.title = `${name} – Kino`;
  const seasons = (t.seasons || []).filter((s) => (s.episodes || []).length);
  const isSeries = t.kind === 'series';
  const feature = (t.media || [])[0] || null;
  const watch = (m) => `/watch/${encodeURIComponent(t.id)}/${encodeURIComponent(m.id)}`;

  const firstEpisode = seasons[0] && seasons[0].episodes[0];
  const playable = isSeries ? firstEpisode : feature;

  let inList = false;
  let following = false;
  if (api.user()) {
    try {
      inList = (await api.watchlist.status(t.id)).inWatchlist;
      following = (await api.follows.title(t.id)).following;
    } catch { inList = false; }
  }

  const all = [...(t.media || []), ...seasons.flatMap((s) => s.episodes)];
  const facts = [t.year,
    isSeries ? `${seasons.length} season${seasons.length === 1 ? '' : 's'}` : duration(feature && feature.durationSeconds),
    t.ageRating && t.ageRating !== 'all' ? t.ageRating : null].filter(Boolean).join(' · ');
  const poster = safeUrl(t.posterUrl || posterUrl(t.id));

  const hero = h('section.hero',
    h('div.hero-body',
      poster ? h('img.hero-poster', { src: poster, alt: '', onerror: (e) => e.target.remove() }) : null,
      h('div.hero-text',
        h('h1', name),
        name !== t.originalTitle ? h('p.muted.original', t.originalTitle) : null,
        facts ? h('p.facts', facts) : null,
        (t.genres || []).length
          ? h('p.genres', t.genres.map((g) => h('a.chip', { href: `/?genre=${encodeURIComponent(g)}` }, g))) : null,
        h('p.synopsis', localised(t.synopses)),
        languages(all),
        h('div.actions',
          playable ? h('a.button.play', { href: watch(playable) }, '▶ Play') : h('span.muted', 'Not playable yet'),
          watchlistButton(t.id, inList, navigate),
          followButton(following, (on) => api.follows.setTitle(t.id, on), 'title', navigate)),
        h('div.community-bar', titleRating(t.id), titleReactions(t.id)))));

  const content = [hero];
  if (isSeries && seasons.length) {
    const wanted = Number(query.get('season'));
    const list = h('ol.episodes');
    const select = h('select.season', { 'aria-label': 'Season' },
      seasons.map((s, i) => h('option', { value: String(i) }, s.name || (s.number === 0 ? 'Specials' : `Season ${s.number}`))));
    const show = (i) => {
      mount(list, seasons[i].episodes.map((e, n) => h('li.episode',
        h('a', { href: watch(e), dataset: { mediaId: e.id } },
          h('div.thumb', h('span', '▶')),
          h('div.episode-text',
            h('h3', `${e.episodeNumber ?? n + 1}. ${e.name || `Episode ${e.episodeNumber ?? n + 1}`}`),
            h('p.meta', duration(e.durationSeconds)))))));
    };
    const idx = Math.max(0, seasons.findIndex((s) => s.number === wanted));
    select.value = String(idx);
    select.addEventListener('change', () => show(Number(select.value)));
    show(idx);
    content.push(h('section.page.seasons', h('div.section-head', h('h2', 'Episodes'), select), list));
  }
  content.push(similarTitles(t.id));
  content.push(commentSection({ on: 'title', id: t.id }));
  mount(root, ...content);
}

/** Audio and subtitle languages over the playable items ('und' = not tagged, not shown). */
function languages(items) {
  const union = (key) => [...new Set(items.flatMap((m) => m[key] || []))].filter((l) => l && l !== 'und');
  const name = (tag) => {
    try { return new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' }).of(tag) || tag; } catch { return tag; }
  };
  const audio = union('audioLanguages').map(name).join(', ');
  const subs = union('subtitleLanguages').map(name).join(', ');
  if (!audio && !subs) return null;
  return h('p.languages', audio ? `Audio: ${audio}` : '', audio && subs ? ' · ' : '', subs ? `Subtitles: ${subs}` : '');
}
