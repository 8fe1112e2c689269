// Recommendations in the web app: the home page's shelves (GET /me/recommendations), the genre picker of accounts
// nothing is known about yet (PUT /me/taste), and "Similar titles" on the title page (GET /titles/{id}/similar).
// Everything from the API (headings, genres, names) is set as text, never parsed as HTML.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { posterCard, titleName } from './components.js';

/** Genres offered when the catalogue has no top-rated lists yet. */
const FALLBACK_GENRES = ['action', 'adventure', 'comedy', 'drama', 'fantasy', 'romance', 'sci-fi', 'slice of life',
  'mystery', 'horror', 'sports', 'documentary'];

/** One horizontal row of title cards. */
function row(heading, items, label) {
  return h('section.shelf', { 'aria-label': label || heading },
    h('h2', heading),
    h('div.shelf-items', items.map((t) => {
      const c = posterCard(t);
      c.title = titleName(t);
      return c;
    })));
}

/** The heading of a shelf, from its kind (the API's heading is English; the anchor's name is localised here). */
function heading(s) {
  switch (s.kind) {
    case 'recommended-for-you': return 'Recommended for you';
    case 'because-you-watched': return `Because you watched ${s.anchor ? titleName(s.anchor) : ''}`.trim();
    case 'trending': return 'Trending';
    case 'top-rated-in-genre': return `Top rated in ${s.genre || ''}`.trim();
    default: return s.heading || '';
  }
}

/**
 * Fills parent with the caller's shelves; for an account with nothing known and no picks, the genre picker first.
 * @param {HTMLElement} parent
 * @param {{onPicked: Function}} opts called after picks are saved (the page re-renders)
 */
export async function recommendationShelves(parent, { onPicked }) {
  try {
    const r = await api.recommendations.shelves();
    const children = [];
    if (r.basis === 'trending') {
      const taste = await api.recommendations.taste().catch(() => null);
      if (taste && !(taste.genres || []).length && !(taste.titleIds || []).length) {
        children.push(tastePicker(taste.availableGenres, onPicked));
      }
    }
    for (const s of r.shelves || []) {
      if ((s.items || []).length) children.push(row(heading(s), s.items));
    }
    mount(parent, ...children);
  } catch (e) {
    console.warn(`recommendations: ${e.message}`);
  }
}

/**
 * "Pick a few genres you like": chips from the catalogue's genres; Save stores them (PUT /me/taste).
 * @param {string[]} available genres to offer (the API's; a fallback list when the catalogue has none yet)
 * @param {Function} onSaved called once the picks are stored
 */
export function tastePicker(available, onSaved) {
  const genres = (available && available.length ? available : FALLBACK_GENRES).slice(0, 24);
  const chosen = new Set();
  const status = h('div.taste-status');
  const save = h('button.button', { type: 'button', disabled: true }, 'Show me titles');
  const chips = genres.map((g) => {
    const chip = h('button.chip', { type: 'button', 'aria-pressed': 'false' }, g);
    chip.addEventListener('click', () => {
      if (chosen.has(g)) chosen.delete(g);
      else if (chosen.size < 10) chosen.add(g);
      chip.setAttribute('aria-pressed', String(chosen.has(g)));
      save.disabled = chosen.size === 0;
    });
    return chip;
  });
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      await api.recommendations.setTaste([...chosen]);
      mount(status, notice('info', 'Saved. Your shelves now follow these genres.'));
      if (onSaved) onSaved();
    } catch (e) {
      mount(status, notice('error', errorText(e)));
      save.disabled = false;
    }
  });
  return h('section.taste-picker', { 'aria-label': 'Pick genres you like' },
    h('h2', 'What do you like to watch?'),
    h('p.muted', 'Pick a few genres (up to 10) and we will start from them.'),
    h('div.filters', { role: 'group', 'aria-label': 'Genres' }, chips),
    save, status);
}

/** The title page's "Similar titles" row (hidden when there are none). */
export function similarTitles(titleId) {
  const section = h('section.page.similar', { hidden: true, 'aria-label': 'Similar titles' });
  api.recommendations.similar(titleId).then((r) => {
    const items = (r && r.items) || [];
    if (!items.length) return;
    mount(section, row('Similar titles', items));
    section.hidden = false;
  }).catch((e) => console.warn(`similar titles: ${e.message}`));
  return section;
}
