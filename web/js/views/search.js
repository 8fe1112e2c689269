// The search page: /search?q=&type=&genre=&year=&audio=&subtitle=. Hits with their highlighted match, facets
// with counts that narrow the search, "more" through the cursor, and matching forum posts and comments.
// Every piece of user data is set as text (h() / text nodes); highlights are offsets, marked with <mark> nodes.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { marked } from '../app.js';

const FACETS = [['type', 'Type'], ['genre', 'Genre'], ['year', 'Year'], ['audio', 'Audio'], ['subtitle', 'Subtitles']];

export async function render(main, { query, navigate, isCurrent }) {
  const params = {};
  for (const k of ['q', 'type', 'genre', 'year', 'audio', 'subtitle']) {
    if (query.get(k)) params[k] = query.get(k);
  }
  const link = (changes) => {
    const u = new URLSearchParams();
    Object.entries({ ...params, ...changes }).forEach(([k, v]) => { if (v) u.set(k, v); });
    return `/search?${u}`;
  };
  const results = h('ol.search-hits');
  const facets = h('aside.facets');
  const more = h('div.more');
  const forum = h('section.forum-hits');
  const heading = h('h1', params.q ? `Results for “${params.q}”` : 'Search');
  mount(main, h('section.page.search-page', heading, h('div.search-layout', facets, h('div', results, more, forum))));

  const show = (r) => {
    for (const hit of r.hits) {
      results.appendChild(h('li.search-hit',
        h('a.name', { href: `/title/${encodeURIComponent(hit.id)}` },
          marked(hit.highlight.field === 'name' ? hit.highlight : { text: hit.name, ranges: [] })),
        h('span.muted', ` ${hit.type}${hit.year ? ` · ${hit.year}` : ''} · ${hit.ageRating}`),
        hit.highlight.field !== 'name' ? h('p.excerpt', h('span.muted', `${hit.highlight.field}: `), marked(hit.highlight)) : null,
        hit.genres && hit.genres.length ? h('p.genres.muted', hit.genres.join(', ')) : null));
    }
    mount(more, r.next ? h('button', {
      type: 'button',
      onclick: async () => { mount(more); show(await api.search.titles({ ...params, cursor: r.next })); },
    }, 'More results') : null);
  };

  try {
    const r = await api.search.titles(params);
    if (!isCurrent()) return;
    heading.textContent = params.q ? `${r.total} result${r.total === 1 ? '' : 's'} for “${params.q}”` : `${r.total} titles`;
    if (r.partial) main.querySelector('.search-page').insertBefore(notice('info', 'The search took too long; these results are incomplete.'), results.parentNode.parentNode);
    mount(facets, ...FACETS.filter(([k]) => (r.facets[k] || []).length || params[k]).map(([k, label]) => h('section.facet',
      h('h3', label),
      params[k] ? h('a.clear', { href: link({ [k]: '' }) }, `✕ ${params[k]}`) : null,
      h('ul', ...(r.facets[k] || []).slice(0, 12).map((f) => h('li',
        h('a', { href: link({ [k]: f.value }), class: params[k] === f.value ? 'active' : null }, f.value),
        h('span.count', ` ${f.count}`)))))));
    if (r.hits.length === 0) results.appendChild(h('li.muted', 'No titles found.'));
    show(r);
    if (params.q) {
      const f = await api.search.forum({ q: params.q });
      if (!isCurrent() || f.hits.length === 0) return;
      mount(forum, h('h2', 'In the forum and comments'), h('ul', ...f.hits.map((p) => h('li',
        h('a', { href: p.kind === 'post' ? `/forum/t/${encodeURIComponent(p.threadId)}` : `/title/${encodeURIComponent(p.titleId)}` },
          p.kind === 'post' ? p.subject : 'Comment'),
        h('p.excerpt', marked(p.highlight))))));
    }
  } catch (e) {
    if (isCurrent()) mount(results, notice('error', errorText(e)));
  }
  void navigate;
}
