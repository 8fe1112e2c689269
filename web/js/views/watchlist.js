// My list: the signed-in user's watchlist as a poster grid.

import * as api from '../api.js';
import { h, mount } from '../dom.js';
import { pagedGrid, posterCard, unwrapTitle } from './components.js';

export async function render(root, { navigate }) {
  if (!api.user()) {
    navigate(`/login?next=${encodeURIComponent('/watchlist')}`, { replace: true });
    return undefined;
  }
  document.title = 'My list – Kino';
  const grid = pagedGrid((cursor) => api.watchlist.list(cursor), {
    empty: 'Your list is empty. Add titles with “+ My list”.',
    card: (t) => posterCard(unwrapTitle(t)),
    label: 'My list',
  });
  mount(root, h('section.page', h('h1', 'My list'), grid.el));
  await grid.load();
  return grid.dispose;
}
