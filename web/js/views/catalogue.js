// Catalogue: continue watching, the recommendation shelves and my list (signed in; guests get trending), with a genre
// picker for accounts nothing is known about yet, then the browsable, searchable grid.

import * as api from '../api.js';
import { h, mount } from '../dom.js';
import { pagedGrid, posterCard, titleName, unwrapTitle } from './components.js';
import { recommendationShelves } from './recommend.js';

const KINDS = [['', 'All'], ['movie', 'Movies'], ['series', 'Series']];

export async function render(root, { query, navigate }) {
  const q = query.get('q') || '';
  const type = query.get('type') || '';
  const genre = query.get('genre') || '';
  const disposers = [];

  const setFilter = (k, v) => {
    const p = new URLSearchParams(location.search);
    if (v) p.set(k, v); else p.delete(k);
    const s = p.toString();
    navigate(`${location.pathname}${s ? `?${s}` : ''}`, { replace: true });
  };

  const filters = h('div.filters', { role: 'group', 'aria-label': 'Filter' },
    KINDS.map(([v, label]) => h('button.chip', {
      type: 'button', 'aria-pressed': String(type === v), onclick: () => setFilter('type', v),
    }, label)),
    genre ? h('button.chip', { type: 'button', 'aria-pressed': 'true', onclick: () => setFilter('genre', '') },
      `Genre: ${genre} ✕`) : null);

  const grid = pagedGrid((cursor) => api.titles.list({ q, type, genre, cursor }), {
    empty: q ? `No titles match “${q}”.` : 'The catalogue is empty. An admin can upload a video.',
    label: 'Titles',
  });
  disposers.push(grid.dispose);

  const rows = h('div.rows');
  mount(root, h('section.page.catalogue',
    rows,
    h('div.section-head', h('h1', q ? `Results for “${q}”` : 'Catalogue'), filters),
    grid.el));
  document.title = q ? `${q} – Kino` : 'Kino';

  const work = [grid.load()];
  if (api.user() && !q) {
    work.push(shelf(rows, 'Continue watching', () => api.continueWatching.list(), (it) => {
      const t = unwrapTitle(it);
      const href = `/watch/${encodeURIComponent(t.id)}/${encodeURIComponent(it.media.id)}`;
      const episode = it.media.episodeNumber != null
        ? `S${it.media.seasonNumber ?? 1} E${it.media.episodeNumber}${it.media.name ? ` · ${it.media.name}` : ''}` : null;
      return posterCard(t, { progress: it.progress || 0, href, subtitle: episode });
    }));
    const recs = h('div.recommendations');
    rows.appendChild(recs);
    const refresh = () => recommendationShelves(recs, { onPicked: refresh });
    work.push(refresh());
    work.push(shelf(rows, 'My list', () => api.watchlist.list(), (t) => posterCard(unwrapTitle(t))));
  } else if (!q) {
    work.push(shelf(rows, 'Trending', () => api.recommendations.trending(), (t) => posterCard(t)));
  }
  await Promise.all(work);
  return () => disposers.forEach((d) => d());
}

/** A horizontal row of cards; hidden when empty or when the endpoint is missing. */
export async function shelf(parent, heading, fetch, card) {
  const row = h('section.shelf', { 'aria-label': heading, hidden: true });
  parent.appendChild(row);
  try {
    const page = await fetch();
    const items = (page && page.items) || [];
    if (!items.length) return;
    mount(row, h('h2', heading), h('div.shelf-items', items.map((it) => {
      const c = card(it);
      c.title = titleName(unwrapTitle(it));
      return c;
    })));
    row.hidden = false;
  } catch (e) {
    console.warn(`${heading}: ${e.message}`);
  }
}
