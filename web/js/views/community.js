// The community parts of the title and watch pages: the rating, likes, and the comment section.
// User text is only ever put in the page as text (h() sets textContent); links in it become <a> elements made
// here, with rel="nofollow ugc noopener", and "12:34" positions in episode comments link into the player.

import * as api from '../api.js';
import { h, mount, errorText } from '../dom.js';

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/g;
const POSITION = /(?<![\d:])(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)(?![\d:])/g;

/** The comment text as nodes: plain text, safe links, and player positions when watchLink is given. */
export function textNodes(body, watchLink) {
  const nodes = [];
  const marks = [];
  for (const m of body.matchAll(URL_IN_TEXT)) marks.push({ at: m.index, end: m.index + m[0].length, kind: 'url', m });
  if (watchLink) {
    for (const m of body.matchAll(POSITION)) marks.push({ at: m.index, end: m.index + m[0].length, kind: 'pos', m });
  }
  marks.sort((a, b) => a.at - b.at);
  let at = 0;
  for (const mark of marks) {
    if (mark.at < at) continue;
    nodes.push(body.slice(at, mark.at));
    if (mark.kind === 'url') {
      nodes.push(h('a', { href: mark.m[0], rel: 'nofollow ugc noopener', target: '_blank' }, mark.m[0]));
    } else {
      const [, hh, mm, ss] = mark.m;
      const seconds = (Number(hh || 0) * 3600) + Number(mm) * 60 + Number(ss);
      nodes.push(h('a.position', { href: watchLink(seconds) }, mark.m[0]));
    }
    at = mark.end;
  }
  nodes.push(body.slice(at));
  return nodes;
}

/** Likes and dislikes of a title, with the caller's, clickable when signed in. */
export function titleReactions(titleId) {
  const box = h('div.reactions', { 'aria-label': 'Likes' });
  const draw = (r) => {
    const button = (value, label, count) => h('button.reaction', {
      class: r.mine === value ? 'mine' : '',
      disabled: !api.user(),
      title: api.user() ? '' : 'Sign in to react',
      onclick: async () => draw(await api.reactions.set(titleId, r.mine === value ? null : value)),
    }, `${label} ${count}`);
    mount(box, button('like', '👍', r.likes), button('dislike', '👎', r.dislikes));
  };
  api.reactions.get(titleId).then(draw, () => box.remove());
  return box;
}

/** The title's rating (weighted, average, votes) and, when signed in, the caller's score from 1 to 10. */
export function titleRating(titleId) {
  const box = h('div.rating');
  const draw = (r) => {
    const summary = r.count
      ? `★ ${r.weighted.toFixed(1)} (average ${r.average.toFixed(1)} of ${r.count} vote${r.count === 1 ? '' : 's'})`
      : 'No ratings yet';
    const mine = api.user() ? h('span.my-rating', 'Your rating: ', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => h('button.score', {
      class: r.mine === n ? 'mine' : '', 'aria-label': `Rate ${n}`,
      onclick: async () => draw(await api.ratings.set(titleId, r.mine === n ? null : n)),
    }, String(n)))) : null;
    mount(box, h('span.rating-summary', summary), mine);
  };
  api.ratings.get(titleId).then(draw, () => box.remove());
  return box;
}

/**
 * The comment section of a title (on = 'title') or an episode (on = 'media').
 * @param {{on: 'title'|'media', id: string, watchLink?: (seconds: number) => string}} where
 */
export function commentSection(where) {
  const section = h('section.page.comments', { 'aria-label': 'Comments' });
  let sort = 'newest';
  const list = h('ol.comment-list');
  const more = h('button.more', { hidden: true }, 'More comments');
  let next = null;

  const load = async (append) => {
    const page = await api.comments.list(where.on, where.id, sort, append ? next : null);
    next = page.next;
    more.hidden = !next;
    const items = page.items.map((c) => commentItem(c, where, () => load(false)));
    if (append) list.append(...items); else mount(list, ...items);
    if (!append && !page.items.length) mount(list, h('li.muted.empty', 'No comments yet.'));
  };
  more.addEventListener('click', () => load(true));

  const sorter = h('select.comment-sort', { 'aria-label': 'Order' },
    h('option', { value: 'newest' }, 'Newest'), h('option', { value: 'top' }, 'Top'));
  sorter.addEventListener('change', () => { sort = sorter.value; load(false); });

  mount(section, h('div.section-head', h('h2', 'Comments'), sorter),
    api.user() ? commentForm(where, null, () => load(false)) : h('p.muted', h('a', { href: '/login' }, 'Sign in'), ' to comment.'),
    list, more);
  load(false).catch((e) => mount(list, h('li.notice.error', errorText(e))));
  return section;
}

function commentForm(where, parent, done) {
  const text = h('textarea.comment-body', { name: 'body', rows: parent ? 2 : 3, maxlength: 10000, required: true,
    placeholder: parent ? 'Reply…' : 'Add a comment (12:34 links to that moment of the episode)' });
  const spoiler = h('input', { type: 'checkbox', name: 'spoiler' });
  const status = h('span.form-status');
  const form = h('form.comment-form', text, h('label.spoiler-flag', spoiler, ' Spoiler'),
    h('button.button.small', { type: 'submit' }, parent ? 'Reply' : 'Comment'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await api.comments.create(where.on, where.id, { body: text.value, spoiler: spoiler.checked,
        parentId: parent || undefined });
      text.value = '';
      spoiler.checked = false;
      mount(status);
      done();
    } catch (err) {
      mount(status, errorText(err));
    }
  });
  return form;
}

function commentItem(c, where, reload) {
  const me = api.user();
  const when = new Date(c.createdAt).toLocaleString();
  if (c.state === 'deleted') {
    const li = h('li.comment.tombstone', h('p.muted', 'Deleted comment'));
    if (c.replyCount) li.append(repliesBlock(c, where, reload));
    return li;
  }
  const body = h('p.comment-text', textNodes(c.body || '', where.watchLink));
  let shown = body;
  if (c.spoiler) {
    shown = h('button.spoiler-cover', { onclick: (e) => e.currentTarget.replaceWith(body) }, 'Spoiler: show');
  }
  const reactionBox = h('span.comment-reactions');
  const drawReactions = (r) => mount(reactionBox,
    h('button.reaction', { class: r.mine === 'like' ? 'mine' : '', disabled: !me,
      onclick: async () => drawReactions(await api.comments.react(c.id, r.mine === 'like' ? null : 'like')) }, `👍 ${r.likes}`),
    h('button.reaction', { class: r.mine === 'dislike' ? 'mine' : '', disabled: !me,
      onclick: async () => drawReactions(await api.comments.react(c.id, r.mine === 'dislike' ? null : 'dislike')) }, `👎 ${r.dislikes}`));
  drawReactions(c.reactions);
  const actions = h('span.comment-actions');
  if (me) {
    actions.append(h('button.link', { onclick: () => reportDialog('comment', c.id) }, 'Report'));
    if (c.author && c.author.id === me.id) {
      actions.append(h('button.link', { onclick: async () => { await api.comments.remove(c.id); reload(); } }, 'Delete'));
    }
  }
  const li = h('li.comment', { dataset: { commentId: c.id } },
    h('p.comment-meta', c.author
      ? h('a.author', { href: `/users/${encodeURIComponent(c.author.username)}` }, h('strong', c.author.displayName || c.author.username))
      : h('strong', 'deleted account'),
      c.authorReputation != null ? h('span.muted', ` (${c.authorReputation})`) : null,
      ' · ', h('time', { datetime: c.createdAt }, when), c.editedAt ? ' · edited' : '',
      c.state === 'held' ? ' · awaiting a moderator' : c.state !== 'visible' ? ` · ${c.state}` : ''),
    shown, h('div.comment-bar', reactionBox, actions));
  if (!c.parentId) li.append(repliesBlock(c, where, reload));
  return li;
}

function repliesBlock(c, where, reload) {
  const box = h('div.replies');
  const list = h('ol.reply-list');
  const show = async () => {
    const page = await api.comments.replies(c.id);
    mount(list, ...page.items.map((r) => commentItem(r, where, reload)));
  };
  const toggle = c.replyCount
    ? h('button.link.show-replies', { onclick: (e) => { e.currentTarget.remove(); show(); } },
      `${c.replyCount} repl${c.replyCount === 1 ? 'y' : 'ies'}`)
    : null;
  const replyForm = api.user() && c.state === 'visible'
    ? h('details.reply', h('summary', 'Reply'), commentForm(where, c.id, () => { show(); })) : null;
  mount(box, toggle, list, replyForm);
  return box;
}

/** Asks why, then files a report. */
export function reportDialog(targetType, targetId) {
  const reason = h('select', { name: 'reason', 'aria-label': 'Reason' },
    ['spam', 'abuse', 'spoiler', 'illegal', 'other'].map((r) => h('option', { value: r }, r)));
  const note = h('input', { name: 'note', maxlength: 1000, placeholder: 'Note (required for other)' });
  const status = h('p.form-status');
  const dialog = h('dialog.report-dialog',
    h('form', { method: 'dialog' }, h('h3', 'Report'), reason, note, status,
      h('div.actions', h('button.button.small', { value: 'send' }, 'Send'), h('button.link', { value: 'cancel' }, 'Cancel'))));
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue === 'send') {
      try {
        await api.reports.create(targetType, targetId, reason.value, note.value);
      } catch (e) {
        window.alert(errorText(e));
      }
    }
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal();
}
