// Notifications: /notifications (the list) and /account/notifications (what arrives where).
// Text from notifications is user text: always set as text, never as HTML.

import * as api from '../api.js';
import * as live from '../live.js';
import { errorText, h, mount, notice } from '../dom.js';

const LABELS = {
  reply: 'Replies to my comments and posts',
  mention: 'Mentions of me',
  reactions: 'Likes on my comments and posts',
  'new-episode': 'New episodes of what I follow or have in my list',
  'title-published': 'Titles I follow or wait for coming out',
  'thread-post': 'New posts in forum threads I follow',
  'user-comment': 'New comments by people I follow',
  'report-outcome': 'What moderators decided on my reports',
  moderation: 'Moderators acting on my content or account',
  security: 'Security (new sign-ins, password changes)',
  job: 'Packaging jobs I started',
};

export async function render(root, { route, navigate }) {
  if (!api.user()) {
    navigate(`/login?next=${encodeURIComponent(location.pathname)}`, true);
    return undefined;
  }
  return route.mode === 'settings' ? settings(root) : list(root, navigate);
}

async function list(root, navigate) {
  document.title = 'Notifications – Kino';
  const ul = h('ul.notifications');
  const more = h('button.button.secondary', { type: 'button', hidden: true }, 'Older');
  const status = h('div');
  let next = null;
  const item = (n) => h(`li.notification${n.readAt ? '' : '.unread'}`, { 'data-id': String(n.id) },
    h('a', {
      href: n.data.link || '/notifications',
      onclick: async () => {
        if (!n.readAt) {
          try { live.setUnread((await api.notifications.read([n.id])).unread); } catch (e) { /* shown again later */ }
        }
      },
    }, n.data.text || n.type),
    h('span.muted', ` · ${new Date(n.createdAt).toLocaleString()}`));
  const load = async () => {
    const page = await api.notifications.list({ cursor: next });
    ul.append(...page.items.map(item));
    next = page.next;
    more.hidden = !next;
    if (!ul.children.length) status.replaceChildren(h('p.muted', 'Nothing yet.'));
  };
  more.addEventListener('click', () => load().catch((e) => status.replaceChildren(notice('error', errorText(e)))));
  const allRead = h('button.button.secondary', {
    type: 'button',
    onclick: async () => {
      try {
        live.setUnread((await api.notifications.read('all')).unread);
        ul.querySelectorAll('.unread').forEach((li) => li.classList.remove('unread'));
      } catch (e) {
        status.replaceChildren(notice('error', errorText(e)));
      }
    },
  }, 'Mark all read');
  mount(root, h('section.page.narrow', h('h1', 'Notifications'),
    h('p', allRead, ' ', h('a', { href: '/account/notifications' }, 'Settings')), status, ul, more));
  await load();
  // new ones appear at the top while the page is open
  return live.onUnread((count, n) => {
    if (n && !ul.querySelector(`[data-id="${n.id}"]`)) {
      status.replaceChildren();
      ul.prepend(item(n));
    }
  });
}

async function settings(root) {
  document.title = 'Notification settings – Kino';
  const { settings: rows } = await api.notifications.settings();
  const status = h('p.muted', { role: 'status' });
  const box = (s, channel) => {
    const input = h('input', {
      type: 'checkbox', checked: !!s[channel], disabled: !!s.locked,
      'aria-label': `${LABELS[s.type] || s.type}: ${channel === 'inApp' ? 'in the app' : 'by e-mail'}`,
    });
    input.addEventListener('change', async () => {
      try {
        await api.notifications.saveSettings([{ type: s.type, [channel]: input.checked }]);
        status.textContent = 'Saved.';
      } catch (e) {
        input.checked = !input.checked;
        status.replaceChildren(notice('error', errorText(e)));
      }
    });
    return input;
  };
  mount(root, h('section.page.narrow', h('h1', 'Notification settings'),
    h('p.muted', 'E-mails come as a digest, at most one an hour; security notices come at once.'),
    h('table.settings', h('thead', h('tr', h('th', 'What'), h('th', 'In the app'), h('th', 'By e-mail'))),
      h('tbody', rows.map((s) => h('tr', h('td', LABELS[s.type] || s.type), h('td', box(s, 'inApp')),
        h('td', box(s, 'email')))))),
    status));
  return undefined;
}
