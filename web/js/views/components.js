// Pieces shared by several views: poster cards, grids with cursor pagination, the watchlist button.

import * as api from '../api.js';
import { h, safeUrl, notice, errorText } from '../dom.js';

/** A list item that is either a title summary or {title: summary, ...} (watchlist, continue watching). */
export const unwrapTitle = (x) => (x && x.title && typeof x.title === 'object' ? x.title : x);

/** The browser's languages, most preferred first, plus English: for picking localised names and synopses. */
function languages() {
  const list = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']);
  return [...list.flatMap((l) => [l, l.split('-')[0]]), 'en'];
}

/** Picks the entry of a {language: text} map the reader prefers, else any. */
export function localised(map) {
  if (!map || typeof map !== 'object') return '';
  for (const l of languages()) if (map[l]) return map[l];
  const first = Object.values(map).find(Boolean);
  return first || '';
}

/** A title's display name: the localised name the reader prefers, else the original title. */
export const titleName = (t) => (t && (localised(t.titles) || t.originalTitle)) || 'Untitled';

/** The catalogue's poster image of a title (404 until one of its media items is packaged). */
export const posterUrl = (id) => (id ? `/api/v1/titles/${encodeURIComponent(id)}/poster` : null);

/** A poster card linking to the title page. Optional progress (0..1) draws a bar under the poster. */
export function posterCard(t, { progress, href, subtitle } = {}) {
  const poster = safeUrl(t.posterUrl || posterUrl(t.id));
  const name = titleName(t);
  // A title without a packaged poster yet answers 404: the card then shows the title's initial instead.
  const initial = h('span.initial', name.slice(0, 1));
  const img = poster ? h('img', { src: poster, alt: '', loading: 'lazy', decoding: 'async',
    onerror: () => img.replaceWith(initial) }) : null;
  return h('a.card', { href: href || `/title/${encodeURIComponent(t.id)}`, dataset: { titleId: t.id } },
    h('div.poster',
      img || initial,
      progress > 0 ? h('div.progress', h('div', { style: { width: `${Math.min(100, progress * 100).toFixed(1)}%` } })) : null),
    h('div.caption',
      h('span.name', name),
      h('span.meta', subtitle || [t.year, t.kind === 'series' ? 'Series' : null].filter(Boolean).join(' · '))));
}

/**
 * A grid that loads pages from fetchPage(cursor) → {items, next}, with a "More" button (and automatic
 * loading when the button scrolls into view).
 */
export function pagedGrid(fetchPage, { empty = 'Nothing here yet.', card = (t) => posterCard(t), label } = {}) {
  const grid = h('div.grid', { role: 'list', 'aria-label': label });
  const status = h('div.grid-status');
  const more = h('button.button.secondary.more', { type: 'button', hidden: true }, 'More');
  let next = null;
  let loading = false;
  let observer = null;
  const load = async () => {
    if (loading) return;
    loading = true;
    more.disabled = true;
    try {
      const page = await fetchPage(next);
      const items = (page && page.items) || [];
      for (const t of items) {
        const c = card(t);
        c.setAttribute('role', 'listitem');
        grid.appendChild(c);
      }
      next = (page && (page.next || page.nextCursor)) || null;
      more.hidden = !next;
      status.replaceChildren();
      if (!grid.children.length) status.appendChild(h('p.empty', empty));
    } catch (e) {
      status.replaceChildren(notice('error', errorText(e)));
    } finally {
      loading = false;
      more.disabled = false;
    }
  };
  more.addEventListener('click', load);
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting) && next) load(); });
    observer.observe(more);
  }
  const el = h('div.paged', grid, status, more);
  return { el, load, dispose: () => observer && observer.disconnect() };
}

/** "+ My list" / "✓ In my list" toggle. Without a session it links to the sign-in page. */
export function watchlistButton(titleId, initial, navigate) {
  let inList = !!initial;
  const btn = h('button.button.secondary.watchlist', { type: 'button', 'aria-pressed': String(inList) });
  const paint = () => {
    btn.textContent = inList ? '✓ In my list' : '+ My list';
    btn.setAttribute('aria-pressed', String(inList));
  };
  paint();
  btn.addEventListener('click', async () => {
    if (!api.user()) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    btn.disabled = true;
    try {
      if (inList) await api.watchlist.remove(titleId);
      else await api.watchlist.add(titleId);
      inList = !inList;
      paint();
    } catch (e) {
      btn.title = errorText(e);
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

/**
 * A follow/unfollow toggle (titles, threads, users): asks for sign-in first when signed out.
 *
 * @param {boolean} initial whether the user follows it now
 * @param {(on: boolean) => Promise<any>} set follows (true) or unfollows (false)
 * @param {string} what shown after "Follow", e.g. "title"
 */
export function followButton(initial, set, what, navigate) {
  let on = !!initial;
  const btn = h('button.button.secondary.follow', { type: 'button', 'aria-pressed': String(on) });
  const paint = () => {
    btn.textContent = on ? `✓ Following ${what}` : `Follow ${what}`;
    btn.setAttribute('aria-pressed', String(on));
  };
  paint();
  btn.addEventListener('click', async () => {
    if (!api.user()) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    btn.disabled = true;
    try {
      await set(!on);
      on = !on;
      paint();
    } catch (e) {
      btn.title = errorText(e);
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}
