// The moderation queue (/moderation, moderators): reported and held objects with what was said about them;
// act with a reason. The reported text is shown as text.

import * as api from '../api.js';
import { h, mount, errorText } from '../dom.js';

const ACTIONS = {
  comment: ['hide', 'restore', 'delete', 'spoiler', 'warn', 'ban', 'dismiss'],
  post: ['hide', 'restore', 'delete', 'lock', 'warn', 'ban', 'dismiss'],
  user: ['warn', 'ban', 'dismiss'],
  title: ['dismiss'],
};

export async function render(root) {
  if (!api.canModerate()) {
    mount(root, h('section.page', h('p', 'The moderation queue is for moderators.')));
    return undefined;
  }
  document.title = 'Moderation – Kino';
  const list = h('ol.queue');
  const draw = async () => {
    const page = await api.moderation.queue('open');
    mount(list, ...page.items.map((c) => entry(c, draw)));
    if (!page.items.length) mount(list, h('li.muted', 'Nothing to review.'));
  };
  mount(root, h('section.page.moderation', h('h1', 'Moderation queue'), list));
  await draw();
  return undefined;
}

function entry(c, redraw) {
  const ctx = c.context || {};
  const reason = h('input', { name: 'reason', placeholder: 'Reason (for the audit log)', required: true });
  const status = h('span.form-status');
  const buttons = (ACTIONS[c.targetType] || ['dismiss']).map((a) => h('button.button.small', {
    type: 'button', dataset: { action: a },
    onclick: async () => {
      if (!reason.value.trim()) { mount(status, 'Give a reason.'); return; }
      try { await api.moderation.act(c.id, a, reason.value); await redraw(); } catch (e) { mount(status, errorText(e)); }
    },
  }, a));
  return h('li.case', { dataset: { caseId: c.id, targetId: c.targetId } },
    h('p', h('strong', c.targetType), ` · ${c.reports} report${c.reports === 1 ? '' : 's'} · `,
      Object.entries(c.reasons || {}).map(([r, n]) => `${r} ${n}`).join(', ')),
    ctx.body != null ? h('blockquote.reported-text', ctx.body) : null,
    ctx.author ? h('p.muted', `by ${ctx.author}${ctx.state ? ` · ${ctx.state}` : ''}`) : null,
    ctx.username ? h('p.muted', `user @${ctx.username}`) : null,
    (c.notes || []).length ? h('ul.notes', c.notes.map((n) => h('li', n))) : null,
    reason, h('div.actions', buttons), status);
}
