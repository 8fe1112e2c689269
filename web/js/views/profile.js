// Public profile: /users/{username}. Reputation, recent comments and, if the user allows it, ratings and watching.

import * as api from '../api.js';
import { h, mount, safeUrl } from '../dom.js';
import { followButton } from './components.js';

export async function render(root, { params, navigate }) {
  const p = await api.people.profile(params.username);
  const me = api.user();
  let following = false;
  if (me && me.username !== p.username) {
    try { following = (await api.follows.user(p.username)).following; } catch (e) { following = false; }
  }
  document.title = `${p.displayName || p.username} – Kino`;
  const s = p.reputation;
  const avatar = safeUrl(p.avatarUrl);
  mount(root, h('section.page.profile',
    avatar ? h('img.avatar', { src: avatar, alt: '', width: 128, height: 128 }) : null,
    h('h1', p.displayName || p.username),
    h('p.muted', `@${p.username} · joined ${new Date(p.joinedAt).toLocaleDateString()}`),
    me && me.username !== p.username
      ? h('p', followButton(following, (on) => api.follows.setUser(p.username, on), 'user', navigate)) : null,
    p.bio ? h('p.bio', p.bio) : null,
    h('p.reputation', `${s.points} reputation · ${s.level.name}`, s.next ? ` (next: ${s.next.name} at ${s.next.minPoints})` : ''),
    h('h2', 'Recent comments'),
    p.recentComments.length ? h('ul.recent-comments', p.recentComments.map((c) => h('li',
      h('a', { href: `/title/${encodeURIComponent(c.titleId)}` }, c.body != null ? c.body : '(spoiler)')))) : h('p.muted', 'None yet.'),
    p.ratings ? [h('h2', 'Ratings'), p.ratings.length ? h('ul.ratings', p.ratings.map((r) => h('li',
      h('a', { href: `/title/${encodeURIComponent(r.titleId)}` }, r.titleName || 'a title'), ` ★ ${r.score}`)))
      : h('p.muted', 'None yet.')] : null,
    p.watched ? [h('h2', 'Watched'), p.watched.length ? h('ul.watched', p.watched.map((w) => h('li',
      h('a', { href: `/title/${encodeURIComponent(w.titleId)}` }, w.titleName || 'a title'),
      w.episodeNumber != null ? ` · S${w.seasonNumber ?? 1}E${w.episodeNumber}` : '',
      w.watchedThrough ? ' · watched through' : ' · started')))
      : h('p.muted', 'Nothing yet.')] : null));
  return undefined;
}
