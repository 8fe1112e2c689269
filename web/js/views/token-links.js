// Pages opened from mailed links: /verify-email?token=… and /reset-password?token=… (paths set by the
// control API's AuthService), plus /reset-password without a token to ask for a reset mail.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

export async function render(root, { route, query }) {
  const token = query.get('token') || '';
  if (route.mode === 'verify') {
    document.title = 'Confirm e-mail – Kino';
    mount(root, h('section.page.narrow', h('h1', 'Confirming your e-mail address…')));
    try {
      await api.request('POST', '/auth/verify-email', { json: { token }, auth: false });
      mount(root, h('section.page.narrow', h('h1', 'E-mail confirmed'), h('a.button', { href: '/' }, 'Go to the catalogue')));
    } catch (e) {
      mount(root, h('section.page.narrow', h('h1', 'This link did not work'), notice('error', errorText(e))));
    }
    return;
  }
  document.title = 'Reset password – Kino';
  const status = h('div.form-status', { 'aria-live': 'polite' });
  const form = token
    ? h('form.auth-form', h('label.field', h('span', 'New password'),
      h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: 8, required: true })),
    h('button.button', { type: 'submit' }, 'Set password'), status)
    : h('form.auth-form', h('label.field', h('span', 'E-mail'),
      h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true })),
    h('button.button', { type: 'submit' }, 'Mail me a reset link'), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = new FormData(form);
    try {
      if (token) {
        await api.request('POST', '/auth/password-reset/confirm', { json: { token, password: d.get('password') }, auth: false });
        mount(status, notice('info', 'Password changed. '), h('a', { href: '/login' }, 'Sign in'));
      } else {
        await api.auth.requestPasswordReset(d.get('email'));
        mount(status, notice('info', 'If that address has an account, a reset link is on its way.'));
      }
    } catch (err) {
      mount(status, notice('error', errorText(err)));
    }
  });
  mount(root, h('section.page.narrow', h('h1', 'Reset your password'), form));
}
