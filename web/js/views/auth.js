// Sign-in and registration forms. Field errors from the API's problem+json are shown next to the fields.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

export async function render(root, { route, query, navigate }) {
  const register = route.mode === 'register';
  const next = safeNext(query.get('next'));
  document.title = `${register ? 'Create account' : 'Sign in'} – Kino`;
  const status = h('div.form-status', { 'aria-live': 'polite' });
  const field = (name, label, attrs) => {
    const input = h('input', { id: `f-${name}`, name, required: true, ...attrs });
    const err = h('span.field-error', { id: `e-${name}` });
    input.setAttribute('aria-describedby', err.id);
    return h('label.field', { for: input.id }, h('span', label), input, err);
  };
  const fields = register
    ? [field('email', 'E-mail', { type: 'email', autocomplete: 'email' }),
      field('username', 'Username', { autocomplete: 'username', minlength: 3, maxlength: 32, pattern: '[A-Za-z0-9_.\\-]+' }),
      field('password', 'Password', { type: 'password', autocomplete: 'new-password', minlength: 8 })]
    : [field('login', 'E-mail or username', { autocomplete: 'username' }),
      field('password', 'Password', { type: 'password', autocomplete: 'current-password' })];
  const submit = h('button.button', { type: 'submit' }, register ? 'Create account' : 'Sign in');
  const form = h('form.auth-form', { novalidate: false }, fields, submit, status);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    form.querySelectorAll('.field-error').forEach((el) => { el.textContent = ''; });
    status.replaceChildren();
    submit.disabled = true;
    try {
      if (register) {
        await api.auth.register(data);
        await api.auth.login({ login: data.email, password: data.password });
      } else {
        await api.auth.login(data);
      }
      navigate(next, { replace: true });
    } catch (err) {
      let shown = false;
      for (const fe of (err.fieldErrors || [])) {
        const el = form.querySelector(`#e-${CSS.escape(fe.field || '')}`);
        if (el) { el.textContent = fe.message; shown = true; }
      }
      let text = errorText(err);
      if (!register && err.status === 401) text = 'Wrong e-mail, username or password.';
      // Registration answers the same for a new and an already registered address (it mails the owner instead),
      // so a sign-in that fails right after it means: look in that mailbox.
      if (register && err.status === 401) text = 'We sent a message to that address: check your e-mail to continue.';
      if (err.status === 429) text = 'Too many attempts. Wait a little and try again.';
      if (!shown || err.status !== 422) status.replaceChildren(notice('error', text));
    } finally {
      submit.disabled = false;
    }
  });

  mount(root, h('section.page.narrow',
    h('h1', register ? 'Create your account' : 'Sign in'),
    form,
    register ? null : h('p.muted', h('a', { href: '/reset-password' }, 'Forgot your password?')),
    h('p.muted', register ? 'Already have an account? ' : 'New to Kino? ',
      h('a', { href: `${register ? '/login' : '/register'}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}` },
        register ? 'Sign in' : 'Create an account'))));
  form.querySelector('input').focus();
}

/** Only same-app paths are followed after sign-in (no open redirect). */
function safeNext(n) {
  return n && /^\/(?!\/)[^\s\\]*$/.test(n) ? n : '/';
}
