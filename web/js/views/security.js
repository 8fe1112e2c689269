// Account security: second factors (authenticator app with its QR code, recovery codes shown once), passkeys,
// password and e-mail changes, the data export and account deletion (confirmed by typing DELETE, cancellable).
// Every text from the API goes in with textContent (dom.h); the QR code is a data: URI in an <img>.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

/** sessionStorage key: which form a confirmation at the identity provider is for (password, email, delete). */
const REAUTH_FORM = 'kino:reauth-form';

export async function render(root, { navigate, query }) {
  if (!api.user()) {
    navigate('/login?next=%2Faccount%2Fsecurity', { replace: true });
    return;
  }
  document.title = 'Security – Kino';
  // Back from confirming at an identity provider: /account/security#reauth=<single-use code> (a fragment: never
  // sent to a server). The code becomes a proof of the owner for the form that asked (kept in this tab only).
  let reauth = null; // {form, proof, error}
  if (location.hash.startsWith('#reauth=')) {
    const code = location.hash.slice(8);
    history.replaceState(null, '', location.pathname + location.search);
    let form = null;
    try { form = sessionStorage.getItem(REAUTH_FORM); sessionStorage.removeItem(REAUTH_FORM); } catch { /* ignore */ }
    try {
      reauth = { form, proof: await api.oidc.reauthProof(code) };
    } catch (err) {
      reauth = { form, error: errorText(err) };
    }
  }
  const totpBox = h('div.security-totp');
  const codesBox = h('div.security-codes', { 'aria-live': 'polite' });
  const passkeyList = h('ul.passkeys');
  const passkeyStatus = h('div.form-status', { 'aria-live': 'polite' });
  const nameInput = h('input', { name: 'passkeyName', maxlength: 64, placeholder: 'e.g. Laptop', value: '' });
  const addPasskey = h('button.button', {
    type: 'button',
    onclick: async () => {
      passkeyStatus.replaceChildren();
      try {
        const r = await api.passkeys.register(nameInput.value.trim() || 'Passkey');
        if (r.recoveryCodes) showCodes(r.recoveryCodes);
        passkeyStatus.replaceChildren(notice('info', 'Passkey added.'));
        nameInput.value = '';
        await refresh();
      } catch (err) {
        passkeyStatus.replaceChildren(notice('error', err.name === 'NotAllowedError'
          ? 'The passkey was not created.' : errorText(err)));
      }
    },
  }, 'Add a passkey');

  /** Recovery codes: shown once, with a way to copy them; gone when the page is left. */
  function showCodes(codes) {
    const list = h('ol.recovery-codes', codes.map((c) => h('li', h('code', c))));
    mount(codesBox, h('div.notice.info',
      h('strong', 'Your recovery codes'),
      h('p', 'Each works once, if you lose your phone or passkeys. Keep them somewhere safe: they are not shown again.'),
      list,
      h('button.button.secondary.small', {
        type: 'button',
        onclick: async () => { try { await navigator.clipboard.writeText(codes.join('\n')); } catch { /* manual copy */ } },
      }, 'Copy')));
  }

  /** A small form asking for a current code or the password, for removals. */
  function proofForm(label, onProof) {
    const status = h('div.form-status', { 'aria-live': 'polite' });
    const secret = h('input', { name: 'proof', required: true, autocomplete: 'one-time-code' });
    const kind = h('select', { name: 'kind' }, h('option', { value: 'code' }, 'Code or recovery code'),
      h('option', { value: 'password' }, 'Password'));
    kind.addEventListener('change', () => {
      secret.type = kind.value === 'password' ? 'password' : 'text';
      secret.autocomplete = kind.value === 'password' ? 'current-password' : 'one-time-code';
    });
    const form = h('form.inline-form', h('label.field', h('span', 'Confirm with'), kind),
      h('label.field', h('span', 'Value'), secret), h('button.button.secondary', { type: 'submit' }, label), status);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      status.replaceChildren();
      try {
        await onProof(kind.value === 'password' ? { password: secret.value } : { code: secret.value.trim() });
      } catch (err) {
        status.replaceChildren(notice('error', err.status === 422 ? 'That is not right.' : errorText(err)));
      }
    });
    return form;
  }

  async function refresh() {
    const [status, keys] = await Promise.all([api.mfa.status(), api.passkeys.list()]);
    if (status.totp) {
      mount(totpBox,
        h('p', '✓ An authenticator app is set up. ', h('span.muted', `${status.recoveryCodesLeft} recovery codes left.`)),
        proofForm('Remove the app', async (proof) => { await api.mfa.removeTotp(proof); await refresh(); }),
        proofForm('New recovery codes', async (proof) => {
          showCodes((await api.mfa.newRecoveryCodes(proof)).recoveryCodes);
          await refresh();
        }));
    } else {
      const start = h('button.button', {
        type: 'button',
        onclick: async () => {
          try { enrolment(await api.mfa.startTotp()); } catch (err) { totpBox.appendChild(notice('error', errorText(err))); }
        },
      }, 'Set up an authenticator app');
      mount(totpBox, h('p.muted', 'Use an app such as a password manager or an authenticator to make a code at each sign-in.'), start);
    }
    passkeyList.replaceChildren();
    for (const k of keys.items || []) {
      const removeBox = h('div');
      const li = h('li',
        h('span', k.name),
        h('span.muted', ` · added ${new Date(k.createdAt).toLocaleDateString()}`
          + (k.lastUsedAt ? ` · last used ${new Date(k.lastUsedAt).toLocaleDateString()}` : '')),
        ' ',
        h('button.button.secondary.small', {
          type: 'button',
          onclick: () => mount(removeBox, proofForm('Remove this passkey', async (proof) => {
            await api.passkeys.remove(k.id, proof);
            await refresh();
          })),
        }, 'Remove'),
        removeBox);
      passkeyList.appendChild(li);
    }
    if (!(keys.items || []).length) passkeyList.appendChild(h('li.muted', 'No passkeys yet.'));
  }

  /** Step two of setting up the app: the QR code and secret, then a first code. */
  function enrolment(e) {
    const status = h('div.form-status', { 'aria-live': 'polite' });
    const code = h('input', { id: 'f-totp', name: 'code', required: true, inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}' });
    const form = h('form.auth-form',
      h('label.field', { for: 'f-totp' }, h('span', 'Code the app shows'), code),
      h('button.button', { type: 'submit' }, 'Turn on'), status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      status.replaceChildren();
      try {
        const r = await api.mfa.confirmTotp(code.value.trim());
        showCodes(r.recoveryCodes);
        await refresh();
      } catch (err) {
        status.replaceChildren(notice('error', err.status === 422 ? 'That code is not right: check the phone\'s clock and try the next one.' : errorText(err)));
      }
    });
    mount(totpBox,
      h('p', 'Scan this code with your app, or type the key in by hand.'),
      h('img.qr', { src: e.qrCode, alt: 'QR code of your authenticator key', width: 240, height: 240 }),
      h('p', h('span.muted', 'Key: '), h('code.totp-secret', e.secret.replace(/(.{4})/g, '$1 ').trim())),
      form);
    code.focus();
  }

  /**
   * A proof of the owner: the current password, or a code of the second factor. An account without a password
   * (made by an identity provider's sign-in) confirms at a linked provider instead ({@link offerProviders}): the
   * browser goes there and comes back with a proof for this form (`formName`).
   */
  function proofFields(formName) {
    const kind = h('select', { name: 'proofKind' }, h('option', { value: 'password' }, 'Current password'),
      h('option', { value: 'code' }, 'Code from your authenticator app'));
    const value = h('input', { name: 'proofValue', type: 'password', required: true, autocomplete: 'current-password' });
    kind.addEventListener('change', () => {
      value.type = kind.value === 'password' ? 'password' : 'text';
      value.autocomplete = kind.value === 'password' ? 'current-password' : 'one-time-code';
    });
    const box = h('div.proof-fields', h('label.field', h('span', 'Confirm with'), kind), h('label.field', h('span', 'Value'), value));
    const held = () => (reauth && reauth.form === formName && reauth.proof ? reauth.proof : null);
    let seen = null; // the identities last offered
    const fields = {
      nodes: [box],
      proof: () => {
        if (held()) return { reauthProof: held() };
        return kind.value === 'password' ? { currentPassword: value.value } : { code: value.value.trim() };
      },
      // a proof works once: whatever the answer, the next try confirms again
      reset: () => {
        value.value = '';
        if (held()) {
          reauth = null;
          if (seen) fields.offerProviders(seen); // the buttons again
        }
      },
      /** For an account without a password: "Confirm with <provider>" buttons (a code still works, if it has one). */
      offerProviders(identities) {
        seen = identities;
        if (identities.hasPassword || !(identities.items || []).length) return;
        if (held()) {
          mount(box, notice('info', 'Confirmed with your provider: submit within 5 minutes.'));
          return;
        }
        const status = h('div.form-status', { 'aria-live': 'polite' },
          reauth && reauth.form === formName && reauth.error ? notice('error', reauth.error) : null);
        kind.value = 'code';
        kind.dispatchEvent(new Event('change'));
        value.required = false;
        mount(box, h('div.field-row', ...identities.items.map((i) => h('button.button.secondary', {
          type: 'button',
          onclick: async () => {
            try {
              try { sessionStorage.setItem(REAUTH_FORM, formName); } catch { /* the proof then waits for no form */ }
              location.assign((await api.oidc.reauth(i.provider)).authorizationUrl);
            } catch (err) {
              status.replaceChildren(notice('error', errorText(err)));
            }
          },
        }, `Confirm with ${i.name}`))), status,
        h('label.field', h('span', 'Or a code from your authenticator app'), value));
      },
    };
    return fields;
  }

  /** A form whose submit runs `action` and shows its outcome; a 422's field messages are shown as they are. */
  function accountForm(className, fields, label, action) {
    const status = h('div.form-status', { 'aria-live': 'polite' });
    const form = h(`form.auth-form.${className}`, ...fields, h('button.button', { type: 'submit' }, label), status);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      status.replaceChildren();
      try {
        const message = await action();
        if (message) status.replaceChildren(notice('info', message));
      } catch (err) {
        const fieldErrors = (err.problem && err.problem.errors) || [];
        status.replaceChildren(notice('error', fieldErrors.length
          ? fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') : errorText(err)));
      }
    });
    return form;
  }

  const passwordProof = proofFields('password');
  const newPassword = h('input', { name: 'newPassword', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const passwordForm = accountForm('change-password',
    [...passwordProof.nodes, h('label.field', h('span', 'New password'), newPassword)], 'Change password', async () => {
      const proof = passwordProof.proof();
      if (proof.reauthProof) passwordProof.reset();
      const r = await api.me.changePassword(proof, newPassword.value);
      passwordProof.reset();
      newPassword.value = '';
      return r.signedOut ? `Password changed. ${r.signedOut} other device(s) were signed out.` : 'Password changed.';
    });

  const emailBox = h('div.security-email');
  const emailProof = proofFields('email');
  const newEmail = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'email' });
  const emailForm = accountForm('change-email',
    [h('label.field', h('span', 'New e-mail address'), newEmail), ...emailProof.nodes], 'Change e-mail', async () => {
      const proof = emailProof.proof();
      if (proof.reauthProof) emailProof.reset();
      const r = await api.me.changeEmail(newEmail.value.trim(), proof);
      emailProof.reset();
      return `We sent a link to ${r.pendingEmail}. Your address changes when you follow it.`;
    });

  const deletionBox = h('div.security-deletion');
  const deleteProof = proofFields('delete');
  const confirmWord = h('input', { name: 'confirm', required: true, autocomplete: 'off', placeholder: 'DELETE' });
  const deleteForm = accountForm('delete-account',
    [h('p', 'Your account is deleted after a grace period; signing in before it ends keeps it. Then your profile, '
      + 'history, lists, follows and notifications are erased; your public comments and posts stay, shown as by '
      + '"deleted user".'),
    ...deleteProof.nodes, h('label.field', h('span', 'Type DELETE to confirm'), confirmWord)], 'Delete my account', async () => {
      if (confirmWord.value.trim() !== 'DELETE') throw new Error('Type DELETE to confirm.');
      const proof = deleteProof.proof();
      if (proof.reauthProof) deleteProof.reset();
      const r = await api.me.deleteAccount(proof);
      deleteProof.reset();
      confirmWord.value = '';
      await showDeletion(r.deletionDueAt);
      return null;
    });

  /** The scheduled deletion, with a way to cancel it. */
  async function showDeletion(dueAt) {
    if (!dueAt) {
      mount(deletionBox, deleteForm);
      return;
    }
    const status = h('div.form-status', { 'aria-live': 'polite' });
    mount(deletionBox, notice('error', `Your account will be deleted on ${new Date(dueAt).toLocaleString()}.`),
      h('button.button', {
        type: 'button',
        onclick: async () => {
          try {
            await api.me.cancelDeletion();
            await showDeletion(null);
          } catch (err) {
            status.replaceChildren(notice('error', errorText(err)));
          }
        },
      }, 'Keep my account'), status);
  }

  const exportStatus = h('div.form-status', { 'aria-live': 'polite' });
  const exportButton = h('button.button.secondary', {
    type: 'button',
    onclick: async () => {
      exportStatus.replaceChildren();
      try {
        const blob = await api.me.exportData();
        const a = h('a', { href: URL.createObjectURL(blob), download: 'kino-account.json' });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      } catch (err) {
        exportStatus.replaceChildren(notice('error', errorText(err)));
      }
    },
  }, 'Download my data');

  async function refreshEmail() {
    const me = await api.me.get();
    const resendStatus = h('div.form-status', { 'aria-live': 'polite' });
    mount(emailBox,
      h('p', h('span.muted', 'Your address: '), h('span.current-email', me.email),
        me.emailVerified ? h('span.muted', ' (confirmed)') : h('span', ' (not confirmed yet)')),
      me.emailVerified ? null : h('button.button.secondary.small', {
        type: 'button',
        onclick: async () => {
          try {
            await api.me.resendVerification();
            resendStatus.replaceChildren(notice('info', 'We sent you another link.'));
          } catch (err) {
            resendStatus.replaceChildren(notice('error', errorText(err)));
          }
        },
      }, 'Send the confirmation link again'),
      resendStatus, emailForm);
  }

  // Linked identity providers: sign in with them instead of the password; link sends the browser to the provider
  // (it comes back to /account/security?linked=<id>), unlink is refused for the account's last way to sign in.
  const providersBox = h('div.security-providers');
  async function refreshProviders() {
    const [linked, offered] = await Promise.all([api.oidc.identities(), api.oidc.providers()]);
    for (const p of [passwordProof, emailProof, deleteProof]) p.offerProviders(linked);
    const status = h('div.form-status', { 'aria-live': 'polite' });
    const have = new Set((linked.items || []).map((i) => i.provider));
    const rows = (linked.items || []).map((i) => h('li', h('span', i.name),
      h('span.muted', `${i.email ? ` · ${i.email}` : ''} · linked ${new Date(i.linkedAt).toLocaleDateString()}`), ' ',
      h('button.button.secondary.small', {
        type: 'button',
        onclick: async () => {
          try { await api.oidc.unlink(i.provider); await refreshProviders(); } catch (err) {
            status.replaceChildren(notice('error', err.status === 409
              ? 'This is your only way to sign in: set a password or link another provider first.' : errorText(err)));
          }
        },
      }, 'Unlink')));
    const links = (offered.items || []).filter((p) => !have.has(p.id)).map((p) => h('button.button.secondary', {
      type: 'button',
      onclick: async () => {
        try { location.assign((await api.oidc.link(p.id)).authorizationUrl); } catch (err) {
          status.replaceChildren(notice('error', errorText(err)));
        }
      },
    }, `Link ${p.name}`));
    if (!rows.length && !links.length) { providersBox.replaceChildren(); return; }
    mount(providersBox, h('h2', 'Sign-in providers'),
      query.get('linked') ? notice('info', `${query.get('linked')} is linked: you can sign in with it.`) : null,
      h('ul.identities', rows.length ? rows : [h('li.muted', 'No provider linked.')]), ...links, status);
  }

  mount(root, h('section.page.narrow', h('h1', 'Security'),
    query.get('enrol') ? notice('error', 'Your account must set up a second factor (an authenticator app or a passkey) before anything else.') : null,
    codesBox,
    h('h2', 'Authenticator app'), totpBox,
    h('h2', 'Passkeys'),
    h('p.muted', 'Sign in with your fingerprint, face or screen lock, or a security key, instead of or on top of your password.'),
    passkeyList,
    window.PublicKeyCredential ? h('div.field-row', h('label.field', h('span', 'Name'), nameInput), addPasskey)
      : h('p.muted', 'This browser does not support passkeys.'),
    passkeyStatus,
    providersBox,
    h('h2', 'Password'), passwordForm,
    h('h2', 'E-mail address'), emailBox,
    h('h2', 'Your data'), h('p.muted', 'Everything Kino keeps about your account, as one JSON file.'), exportButton, exportStatus,
    h('h2', 'Delete your account'), deletionBox,
    h('p', h('a', { href: '/account' }, 'Signed-in devices and profile'))));
  try {
    // GET /me tells of a deletion already scheduled (this session asked for it before a reload)
    await Promise.all([refresh(), refreshEmail(), showDeletion(api.user()?.deletion?.deletionScheduledAt ?? null), refreshProviders()]);
  } catch (err) {
    totpBox.appendChild(notice('error', errorText(err)));
  }
}
