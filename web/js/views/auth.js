// Sign-in and registration forms. Field errors from the API's problem+json are shown next to the fields.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

export async function render(root, { route, query, navigate }) {
  const register = route.mode === 'register';
  const next = safeNext(query.get('next'));
  // back from an identity provider: /login#oidc=<single-use code> (a fragment: never sent to a server)
  const handoff = !register && location.hash.startsWith('#oidc=') ? location.hash.slice(6) : null;
  if (handoff) {
    history.replaceState(null, '', location.pathname + location.search);
    return providerReturn(root, handoff, next, navigate);
  }
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
        const answer = await api.auth.login(data);
        if (answer && answer.mfaRequired) {
          secondStep(root, answer, next, navigate);
          return;
        }
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

  const passkeyButton = register || !window.PublicKeyCredential ? null : h('button.button.secondary', {
    type: 'button',
    onclick: async () => {
      status.replaceChildren();
      try {
        await api.auth.passkey(null);
        navigate(next, { replace: true });
      } catch (err) {
        status.replaceChildren(notice('error', err.name === 'NotAllowedError' ? 'The passkey was not used.' : errorText(err)));
      }
    },
  }, 'Sign in with a passkey');
  const providerButtons = h('div.oidc-providers');
  api.oidc.providers().then((list) => {
    providerButtons.replaceChildren(...(list.items || []).map((p) => h('a.button.secondary',
      { href: p.startUrl, 'data-provider': p.id }, `${register ? 'Sign up' : 'Sign in'} with ${p.name}`)));
  }).catch(() => { /* no providers: no buttons */ });
  mount(root, h('section.page.narrow',
    h('h1', register ? 'Create your account' : 'Sign in'),
    form,
    passkeyButton,
    providerButtons,
    register ? null : h('p.muted', h('a', { href: '/reset-password' }, 'Forgot your password?')),
    h('p.muted', register ? 'Already have an account? ' : 'New to Kino? ',
      h('a', { href: `${register ? '/login' : '/register'}${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}` },
        register ? 'Sign in' : 'Create an account'))));
  form.querySelector('input').focus();
}

/**
 * The second step of a sign-in: a code from the authenticator app or a recovery code, or a passkey
 * (whatever the account has: answer.factors).
 */
function secondStep(root, answer, next, navigate) {
  const status = h('div.form-status', { 'aria-live': 'polite' });
  const factors = answer.factors || [];
  const code = h('input', {
    id: 'f-code', name: 'code', required: true, autocomplete: 'one-time-code', spellcheck: 'false',
    'aria-describedby': 'e-code',
  });
  const err = h('span.field-error', { id: 'e-code' });
  const submit = h('button.button', { type: 'submit' }, 'Verify');
  const form = h('form.auth-form.mfa-form',
    h('label.field', { for: 'f-code' }, h('span', factors.includes('totp')
      ? 'Code from your authenticator app, or a recovery code' : 'Recovery code'), code, err),
    submit, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    status.replaceChildren();
    submit.disabled = true;
    try {
      await api.auth.loginMfa({ challenge: answer.challenge, code: code.value.trim() });
      navigate(next, { replace: true });
    } catch (e2) {
      if (e2.status === 401) {
        status.replaceChildren(notice('error', 'This sign-in expired or had too many wrong codes. '),
          h('a', { href: '/login' }, 'Sign in again'));
      } else if (e2.status === 429) {
        status.replaceChildren(notice('error', 'Too many attempts. Wait a little and try again.'));
      } else {
        err.textContent = e2.status === 422 ? 'That code is wrong or was already used.' : errorText(e2);
      }
    } finally {
      submit.disabled = false;
    }
  });
  const passkey = factors.includes('passkey') && window.PublicKeyCredential ? h('button.button.secondary', {
    type: 'button',
    onclick: async () => {
      status.replaceChildren();
      try {
        await api.auth.passkey(answer.challenge);
        navigate(next, { replace: true });
      } catch (e2) {
        status.replaceChildren(notice('error', e2.name === 'NotAllowedError' ? 'The passkey was not used.' : errorText(e2)));
      }
    },
  }, 'Use a passkey') : null;
  mount(root, h('section.page.narrow', h('h1', 'Two-step verification'),
    h('p.muted', 'Your password was right. Confirm it is you with your second factor.'),
    passkey, factors.includes('totp') || factors.includes('recovery-code') ? form : status));
  if (factors.includes('totp') || factors.includes('recovery-code')) code.focus();
}

/**
 * Back from an identity provider: swaps the single-use code for tokens, or goes on with the second factor, or asks
 * for the password (or a code) of the account that already has the provider's address before linking it.
 */
async function providerReturn(root, code, next, navigate) {
  document.title = 'Sign in – Kino';
  mount(root, h('section.page.narrow', h('h1', 'Signing you in…')));
  let answer;
  try {
    answer = await api.oidc.exchange(code);
  } catch (err) {
    mount(root, h('section.page.narrow', h('h1', 'Sign in'), notice('error', errorText(err)),
      h('p', h('a', { href: '/login' }, 'Try again'))));
    return;
  }
  if (answer && answer.mfaRequired) return secondStep(root, answer, next, navigate);
  if (answer && answer.linkRequired) return confirmLink(root, answer, next, navigate);
  navigate(next, { replace: true });
}

/** An account already uses the provider's (verified) address: its owner proves it before the provider is linked. */
function confirmLink(root, answer, next, navigate) {
  const proofs = answer.proofs || [];
  const status = h('div.form-status', { 'aria-live': 'polite' });
  if (!proofs.length) {
    mount(root, h('section.page.narrow', h('h1', 'Link your account'),
      h('p', `An account already uses ${answer.email}. Sign in to it another way, then link ${answer.provider} on the security page.`),
      h('p', h('a', { href: '/login' }, 'Sign in'))));
    return;
  }
  const byPassword = proofs.includes('password');
  const input = h('input', byPassword
    ? { id: 'f-proof', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }
    : { id: 'f-proof', name: 'code', required: true, autocomplete: 'one-time-code', spellcheck: 'false' });
  const err = h('span.field-error', { id: 'e-proof' });
  input.setAttribute('aria-describedby', err.id);
  const submit = h('button.button', { type: 'submit' }, 'Link and sign in');
  const form = h('form.auth-form', h('label.field', { for: 'f-proof' },
    h('span', byPassword ? 'Your Kino password' : 'Code from your authenticator app, or a recovery code'), input, err),
  submit, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    status.replaceChildren();
    submit.disabled = true;
    try {
      const proof = byPassword ? { password: input.value } : { code: input.value.trim() };
      const done = await api.oidc.confirmLink({ linkToken: answer.linkToken, ...proof });
      if (done && done.mfaRequired) { secondStep(root, done, next, navigate); return; }
      navigate(next, { replace: true });
    } catch (e2) {
      if (e2.status === 422) err.textContent = byPassword ? 'That password is wrong.' : 'That code is wrong or was already used.';
      else if (e2.status === 401) status.replaceChildren(notice('error', 'This link expired. '), h('a', { href: '/login' }, 'Sign in again'));
      else status.replaceChildren(notice('error', e2.status === 429 ? 'Too many attempts. Wait a little and try again.' : errorText(e2)));
    } finally {
      submit.disabled = false;
    }
  });
  mount(root, h('section.page.narrow', h('h1', 'Link your account'),
    h('p.muted', `You already have a Kino account with ${answer.email}. Confirm it is yours to sign in with ${answer.provider} from now on.`),
    form));
  input.focus();
}

/** Only same-app paths are followed after sign-in (no open redirect). */
function safeNext(n) {
  return n && /^\/(?!\/)[^\s\\]*$/.test(n) ? n : '/';
}
