// Forum pages: /forum (categories), /forum/c/{id} (threads), /forum/t/{id} (posts, reply form). Text stays text.

import * as api from '../api.js';
import { h, mount, errorText } from '../dom.js';
import { textNodes, reportDialog } from './community.js';
import { followButton } from './components.js';

export async function render(root, { params, route }) {
  if (route.mode === 'thread') return thread(root, params.id);
  if (route.mode === 'category') return category(root, params.id);
  const cats = await api.forum.categories();
  document.title = 'Forum – Kino';
  mount(root, h('section.page.forum',
    h('h1', 'Forum'),
    h('ul.categories', cats.map((c) => h('li.category',
      h('a', { href: `/forum/c/${encodeURIComponent(c.id)}` }, h('strong', c.name)),
      ` · ${c.threads} thread${c.threads === 1 ? '' : 's'}`,
      c.description ? h('p.muted', c.description) : null)))));
  return undefined;
}

async function category(root, id) {
  const page = await api.forum.threads(id);
  const form = api.user() ? newThreadForm(id) : h('p.muted', h('a', { href: '/login' }, 'Sign in'), ' to start a thread.');
  mount(root, h('section.page.forum',
    h('p', h('a', { href: '/forum' }, '← Forum')),
    h('ol.threads', page.items.map((t) => h('li.thread', { dataset: { threadId: t.id } },
      t.pinned ? '📌 ' : '', t.locked ? '🔒 ' : '',
      h('a', { href: `/forum/t/${encodeURIComponent(t.id)}` }, t.subject),
      ` · ${t.posts} post${t.posts === 1 ? '' : 's'}`, t.unread ? h('strong.unread', ` · ${t.unread} new`) : null))),
    form));
  return undefined;
}

function newThreadForm(categoryId) {
  const subject = h('input', { name: 'subject', maxlength: 200, required: true, placeholder: 'Subject' });
  const body = h('textarea', { name: 'body', rows: 4, required: true, placeholder: 'First post' });
  const status = h('span.form-status');
  const form = h('form.new-thread', h('h2', 'New thread'), subject, body, h('button.button.small', { type: 'submit' }, 'Post'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const t = await api.forum.createThread(categoryId, subject.value, body.value);
      location.assign(`/forum/t/${encodeURIComponent(t.id)}`);
    } catch (err) { mount(status, errorText(err)); }
  });
  return form;
}

async function thread(root, id) {
  const t = await api.forum.thread(id);
  document.title = `${t.subject} – Kino`;
  const list = h('ol.posts');
  const more = h('button.more', { hidden: true }, 'More posts');
  let next = null;
  let last = 0;
  const load = async () => {
    const page = await api.forum.posts(id, next);
    next = page.next;
    more.hidden = !next;
    for (const p of page.items) {
      last = Math.max(last, p.seq);
      list.append(h('li.post', { id: `p${p.seq}`, dataset: { postId: p.id } },
        h('p.comment-meta', `#${p.seq} · `, h('strong', p.author ? (p.author.displayName || p.author.username) : '—'),
          ' · ', new Date(p.createdAt).toLocaleString(), p.state === 'held' ? ' · awaiting a moderator' : p.state !== 'visible' ? ` · ${p.state}` : ''),
        p.body != null ? h('p.comment-text', textNodes(p.body)) : h('p.muted', 'Deleted post'),
        api.user() && p.state === 'visible' ? h('button.link', { onclick: () => reportDialog('post', p.id) }, 'Report') : null));
    }
    if (api.user() && last) api.forum.read(id, last).catch(() => {});
  };
  more.addEventListener('click', load);
  const body = h('textarea', { name: 'body', rows: 3, required: true, placeholder: 'Reply' });
  const status = h('span.form-status');
  const form = api.user() && !t.locked
    ? h('form.reply-form', body, h('button.button.small', { type: 'submit' }, 'Reply'), status) : null;
  form?.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.forum.post(id, body.value);
      body.value = '';
      mount(list);
      next = null;
      await load();
      while (next) await load();
    } catch (err) { mount(status, errorText(err)); }
  });
  mount(root, h('section.page.forum',
    h('p', h('a', { href: `/forum/c/${encodeURIComponent(t.categoryId)}` }, '← Threads')),
    h('h1', t.subject, t.locked ? ' 🔒' : ''),
    api.user() ? h('p', followButton(t.following, (on) => api.follows.setThread(t.id, on), 'thread', (u) => { location.href = u; })) : null,
    list, more,
    t.locked ? h('p.muted', 'This thread is locked.') : form));
  await load();
  return undefined;
}
