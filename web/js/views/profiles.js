// Viewer profiles: the "Who's watching?" picker after sign-in (only when the account has more than one profile),
// the profile switcher in the header, and the management page /profiles (create, rename, maturity, PIN, delete).
// Every call goes through api.profiles; a PIN is only ever sent in the body of POST /me/profiles/{id}/select.

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

const MATURITIES = [
  ['kids', 'Kids (up to 7+)'],
  ['family', 'Family (up to 10+)'],
  ['teen', 'Teens (up to 13+)'],
  ['adult', 'Adults (everything)'],
];

function initial(name) {
  return (Array.from(name || '?')[0] || '?').toUpperCase();
}

function badge(p) {
  return h('span.profile-badge', { 'aria-hidden': 'true', dataset: { maturity: p.maturity } }, initial(p.name));
}

/**
 * Switches to a profile, asking for its PIN first when it has one (in `container`, a form with one field).
 * @returns a promise of true when switched, false when the viewer cancelled
 */
function switchTo(p, container) {
  if (!p.pinSet) return api.profiles.select(p.id).then(() => true);
  return new Promise((resolve, reject) => {
    const input = h('input', {
      type: 'password', inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]{4,6}', maxlength: '6',
      required: true, 'aria-label': `PIN of ${p.name}`, name: 'pin',
    });
    const status = h('p.form-error', { role: 'alert' });
    const form = h('form.pin-form',
      h('p', `Enter the PIN of ${p.name}`),
      input,
      h('div.actions', h('button.button', { type: 'submit' }, 'Continue'),
        h('button.link', { type: 'button', onclick: () => { form.remove(); resolve(false); } }, 'Cancel')),
      status);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.profiles.select(p.id, input.value);
        form.remove();
        resolve(true);
      } catch (err) {
        if (err instanceof api.ApiError && (err.status === 403 || err.status === 429)) {
          status.textContent = err.status === 429 ? errorText(err) : 'That PIN is not right.';
          input.value = '';
          input.focus();
        } else {
          form.remove();
          reject(err);
        }
      }
    });
    container.replaceChildren(form);
    input.focus();
  });
}

/** The grid of profiles to pick from; resolves when one was picked. */
function pickerGrid(list, onPicked) {
  const pinArea = h('div.pin-area');
  const status = h('div');
  const grid = h('ul.profile-grid', ...list.profiles.map((p) => h('li',
    h('button.profile-choice', {
      type: 'button',
      'aria-label': `${p.name}${p.pinSet ? ' (PIN)' : ''}`,
      onclick: async () => {
        try {
          if (await switchTo(p, pinArea)) onPicked(p);
        } catch (e) {
          mount(status, notice('error', errorText(e)));
        }
      },
    }, badge(p), h('span.profile-name', p.name), p.pinSet ? h('span.muted', ' 🔒') : null))));
  return h('div', grid, pinArea, status);
}

/**
 * "Who's watching?": after a sign-in, when the account has more than one profile, a full-window picker over the
 * page. With one profile nothing is shown.
 * @param {() => void} rerender called after a profile was picked (the page re-renders as it)
 */
export async function askWhoIsWatching(rerender) {
  let list;
  try {
    list = await api.profiles.list();
  } catch (e) {
    console.warn('profiles not loaded', e);
    return;
  }
  if (!list || list.profiles.length < 2) return;
  document.querySelector('.whos-watching')?.remove();
  const overlay = h('div.whos-watching', { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'whos-watching-title' });
  overlay.append(h('section.page',
    h('h1', { id: 'whos-watching-title' }, 'Who’s watching?'),
    pickerGrid(list, () => { overlay.remove(); rerender(); }),
    h('p', h('a', { href: '/profiles', onclick: () => overlay.remove() }, 'Manage profiles'))));
  document.body.appendChild(overlay);
  overlay.querySelector('button')?.focus();
}

/**
 * The header's profile switcher: the current profile, a menu of the others and "Manage profiles". With a single
 * profile it is just a link to the management page.
 * @param {() => void} rerender called after a switch
 */
export function headerSwitcher(rerender) {
  const el = h('span.profile-switcher');
  api.profiles.list().then((list) => {
    if (!list || list.profiles.length < 2) {
      mount(el, h('a', { href: '/profiles' }, 'Profiles'));
      return;
    }
    const current = list.profiles.find((p) => p.current) || list.profiles[0];
    const pinArea = h('div.pin-area');
    const menu = h('details.profile-menu',
      h('summary', { 'aria-label': `Watching as ${current.name}; switch profile` }, badge(current), ` ${current.name}`),
      h('div.menu',
        h('ul', ...list.profiles.filter((p) => p.id !== current.id).map((p) => h('li',
          h('button.link', {
            type: 'button',
            onclick: async () => {
              try {
                if (await switchTo(p, pinArea)) { menu.open = false; rerender(); }
              } catch (e) {
                pinArea.replaceChildren(notice('error', errorText(e)));
              }
            },
          }, badge(p), ` ${p.name}${p.pinSet ? ' 🔒' : ''}`)))),
        pinArea,
        h('a', { href: '/profiles', onclick: () => { menu.open = false; } }, 'Manage profiles')));
    mount(el, menu);
  }).catch((e) => console.warn('profiles not loaded', e));
  return el;
}

function maturitySelect(value, disabledAbove) {
  const rank = (m) => MATURITIES.findIndex(([k]) => k === m);
  return h('select', { name: 'maturity' }, ...MATURITIES.map(([k, label]) => h('option', {
    value: k, selected: k === value, disabled: disabledAbove !== undefined && rank(k) > rank(disabledAbove),
  }, label)));
}

/** /profiles: create, rename, maturity, PIN, delete. */
export async function render(root, { navigate }) {
  if (!api.user()) {
    navigate(`/login?next=${encodeURIComponent('/profiles')}`, { replace: true });
    return undefined;
  }
  document.title = 'Profiles – Kino';
  const status = h('div', { role: 'status' });
  const body = h('div');
  mount(root, h('section.page.profiles-page', h('h1', 'Profiles'), status, body));

  const show = (kind, text) => mount(status, notice(kind, text));
  async function load() {
    const list = await api.profiles.list();
    const acting = list.profiles.find((p) => p.current) || list.profiles[0];
    const fromPrimary = acting.primary;
    const rows = list.profiles.map((p) => profileRow(p, fromPrimary, acting));
    const full = list.profiles.length >= list.maxProfiles;
    mount(body,
      h('p.muted', `${list.profiles.length} of ${list.maxProfiles} profiles. Watch history, “My list”, ratings,`
        + ' recommendations and notification settings are each profile’s own.'),
      h('ul.profile-rows', ...rows),
      fromPrimary
        ? (full ? h('p.muted', 'This account has as many profiles as its plan allows.') : createForm())
        : h('p.muted', 'Profiles are added, deleted and locked from the account’s primary profile.'));
  }

  function profileRow(p, fromPrimary, acting) {
    const mine = p.id === acting.id;
    const canEdit = fromPrimary || mine;
    const name = h('input', { name: 'name', value: p.name, maxlength: '40', required: true, 'aria-label': `Name of ${p.name}` });
    const maturity = maturitySelect(p.maturity, fromPrimary ? undefined : p.maturity);
    maturity.setAttribute('aria-label', `Maturity of ${p.name}`);
    const pin = h('input', {
      name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', pattern: '[0-9]{4,6}',
      maxlength: '6', placeholder: p.pinSet ? 'New PIN (4–6 digits)' : 'PIN (4–6 digits, optional)',
      'aria-label': `PIN of ${p.name}`,
    });
    const save = h('form.profile-row', {
      onsubmit: async (e) => {
        e.preventDefault();
        const fields = {};
        if (name.value.trim() !== p.name) fields.name = name.value.trim();
        if (maturity.value !== p.maturity) fields.maturity = maturity.value;
        if (fromPrimary && pin.value) fields.pin = pin.value;
        if (!Object.keys(fields).length) return;
        try {
          await api.profiles.update(p.id, fields);
          show('success', `Saved ${fields.name || p.name}.`);
          await load();
        } catch (err) {
          show('error', errorText(err));
        }
      },
    },
    badge(p),
    canEdit ? name : h('strong', p.name),
    canEdit ? maturity : h('span', p.maturity),
    fromPrimary ? pin : null,
    p.primary ? h('span.muted', ' primary') : null,
    mine ? h('span.muted', ' (watching now)') : null,
    canEdit ? h('button.button.small', { type: 'submit' }, 'Save') : null,
    fromPrimary && p.pinSet ? h('button.link', {
      type: 'button',
      onclick: async () => {
        try {
          await api.profiles.update(p.id, { pin: null });
          show('success', `Removed the PIN of ${p.name}.`);
          await load();
        } catch (err) { show('error', errorText(err)); }
      },
    }, 'Remove PIN') : null,
    !mine ? h('button.link', {
      type: 'button',
      onclick: async () => {
        try {
          if (await switchTo(p, pinArea)) { show('success', `Watching as ${p.name}.`); await load(); }
        } catch (err) { show('error', errorText(err)); }
      },
    }, 'Switch to') : null,
    fromPrimary && !p.primary ? h('button.link.danger', {
      type: 'button',
      onclick: async () => {
        if (!window.confirm(`Delete ${p.name} with its history, list and ratings?`)) return;
        try {
          await api.profiles.remove(p.id);
          show('success', `Deleted ${p.name}.`);
          await load();
        } catch (err) { show('error', errorText(err)); }
      },
    }, 'Delete') : null);
    const pinArea = h('div.pin-area');
    return h('li', save, pinArea);
  }

  function createForm() {
    const name = h('input', { name: 'name', maxlength: '40', required: true, placeholder: 'Name' });
    const maturity = maturitySelect('adult');
    const pin = h('input', {
      name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', pattern: '[0-9]{4,6}',
      maxlength: '6', placeholder: 'PIN (optional)',
    });
    return h('form.profile-create', {
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const input = { name: name.value.trim(), maturity: maturity.value };
          if (pin.value) input.pin = pin.value;
          const made = await api.profiles.create(input);
          show('success', `Added ${made.name}.`);
          await load();
        } catch (err) {
          show('error', errorText(err));
        }
      },
    }, h('h2', 'Add a profile'),
    h('label', 'Name ', name), h('label', 'Maturity ', maturity), h('label', 'PIN ', pin),
    h('button.button', { type: 'submit' }, 'Add profile'));
  }

  try {
    await load();
  } catch (e) {
    show('error', errorText(e));
  }
  return undefined;
}
