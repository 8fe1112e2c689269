// Account: profile and playback language preferences (PATCH /me), active sessions.

import * as api from '../api.js';
import { h, mount, notice, errorText, safeUrl } from '../dom.js';

const tags = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

export async function render(root, { navigate }) {
  if (!api.user()) {
    navigate('/login?next=%2Faccount', { replace: true });
    return;
  }
  document.title = 'Account – Kino';
  const me = await api.me.get();
  const status = h('div.form-status', { 'aria-live': 'polite' });
  const input = (name, label, value, attrs = {}) => h('label.field', h('span', label),
    h('input', { name, value: value || '', ...attrs }));
  const form = h('form.auth-form',
    h('p.muted', `${me.username} · ${me.email}${me.emailVerified ? '' : ' (not verified)'}`),
    input('displayName', 'Display name', me.displayName, { maxlength: 64 }),
    input('audio', 'Preferred audio languages (e.g. en, fr)', (me.preferredAudioLanguages || []).join(', ')),
    input('subs', 'Preferred subtitle languages', (me.preferredSubtitleLanguages || []).join(', ')),
    h('button.button', { type: 'submit' }, 'Save'),
    status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    try {
      await api.me.update({
        displayName: d.get('displayName').toString().trim() || null,
        preferredAudioLanguages: tags(d.get('audio').toString()),
        preferredSubtitleLanguages: tags(d.get('subs').toString()),
      });
      status.replaceChildren(notice('info', 'Saved.'));
    } catch (err) {
      status.replaceChildren(notice('error', errorText(err)));
    }
  });

  // Avatar: the image is uploaded as it is; the server keeps only a 256x256 PNG made from it.
  const avatarImg = h('img.avatar', { alt: '', width: 96, height: 96, hidden: !me.avatarUrl, src: safeUrl(me.avatarUrl) || undefined });
  const avatarStatus = h('div.form-status', { 'aria-live': 'polite' });
  const file = h('input', { type: 'file', name: 'avatar', accept: 'image/png,image/jpeg,image/gif,image/bmp' });
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    try {
      await api.request('PUT', '/me/avatar', { body: f, headers: { 'Content-Type': f.type || 'application/octet-stream' } });
      avatarImg.src = `/api/v1/users/${encodeURIComponent(me.username)}/avatar?v=${Date.now()}`;
      avatarImg.hidden = false;
      avatarStatus.replaceChildren(notice('info', 'Avatar saved.'));
    } catch (err) {
      avatarStatus.replaceChildren(notice('error', errorText(err)));
    }
  });
  const privacy = h('input', { type: 'checkbox', name: 'showActivity', checked: !!me.showActivity });
  privacy.addEventListener('change', async () => {
    try { await api.me.update({ showActivity: privacy.checked }); } catch (err) { avatarStatus.replaceChildren(notice('error', errorText(err))); }
  });
  const sessions = h('ul.sessions');
  mount(root, h('section.page.narrow', h('h1', 'Account'),
    h('div.avatar-field', avatarImg, h('label.field', h('span', 'Avatar'), file), avatarStatus),
    h('p', h('a', { href: '/account/security' }, 'Security: second factors and passkeys'), ' · ',
      h('a', { href: `/users/${encodeURIComponent(me.username)}` }, 'Your public profile'), ' · ',
      h('label', privacy, ' show what I rated on it')),
    form, h('h2', 'Signed-in devices'), sessions));
  try {
    const page = await api.me.sessions();
    for (const s of page.items || []) {
      const btn = s.current ? h('span.muted', 'this device') : h('button.button.secondary.small', {
        type: 'button',
        onclick: async () => { await api.me.revokeSession(s.id); li.remove(); },
      }, 'Sign out');
      const li = h('li', h('span', s.userAgent || 'Unknown device'),
        h('span.muted', ` · since ${new Date(s.createdAt).toLocaleDateString()}`), ' ', btn);
      sessions.appendChild(li);
    }
  } catch (err) {
    sessions.appendChild(h('li', notice('error', errorText(err))));
  }
}
