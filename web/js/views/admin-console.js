// The admin console (#16), beside the upload page (admin.js). Every action is an API route guarded by a permission;
// a part the signed-in account may not use answers 403 and is shown as such. Text from the API only via h().
//   /admin/users            GET /admin/users?q=&role=&plan=&banned=&from=&to=&cursor=           (users.read)
//   /admin/users/{id}       GET /admin/users/{id}; roles, plan, ban/unban, session revoke
//   /admin/audit            GET /admin/audit-log?actor=&action=&from=&to=&cursor=; CSV with Accept: text/csv (audit.read)
//   /admin/jobs             GET /jobs with progress (polled); POST /jobs/{id}/cancel, /retry      (catalog.write)
//   /admin/schedule         GET /admin/scheduled; PUT /admin/media|titles/{id}/schedule {publishAt}
//   /admin/plans            GET /admin/plans; PATCH /admin/plans/{id} price, currency, interval, trial, entitlements
//   /admin/catalogue[/{id}] the catalogue tree (title → seasons → episodes): PUT /titles/{id} (every field: localised
//                           names and synopses, genres, tags, studios, year, age rating), PUT /media/{id}, publish /
//                           unpublish / take down, publish at a time, PUT /titles/{id}/poster   (catalog.write)

import * as api from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';

const POLL_MS = 2000;
const enc = encodeURIComponent;
const field = (label, input) => h('label.field', h('span', label), input);
const when = (t) => (t ? new Date(t).toLocaleString() : '–');

/** The console's sub-navigation (also shown on the upload page). */
export function consoleNav(current) {
  const link = (href, text) => h('a', { href, 'aria-current': current === href ? 'page' : null }, text);
  return h('nav.admin-nav', { 'aria-label': 'Admin console' },
    link('/admin', 'Upload'), link('/admin/catalogue', 'Catalogue'), link('/admin/jobs', 'Jobs'), link('/admin/schedule', 'Scheduled'),
    link('/admin/users', 'Users'), link('/admin/plans', 'Plans'), link('/admin/audit', 'Audit log'));
}

export async function render(root, ctx) {
  if (!api.user()) {
    ctx.navigate(`/login?next=${enc(location.pathname)}`, { replace: true });
    return undefined;
  }
  const mode = ctx.route.mode;
  document.title = 'Admin – Kino';
  if (mode === 'user') return userPage(root, ctx.params.id);
  if (mode === 'audit') return auditPage(root);
  if (mode === 'jobs') return jobsPage(root);
  if (mode === 'schedule') return schedulePage(root);
  if (mode === 'plans') return plansPage(root);
  if (mode === 'catalogue') return ctx.params.id ? titleEditor(root, ctx.params.id) : cataloguePage(root, ctx);
  return usersPage(root, ctx);
}

// ---- users ------------------------------------------------------------------------------------------------

function usersPage(root, { query, navigate }) {
  const f = (k) => query.get(k) || '';
  const form = h('form.filters',
    field('Search', h('input', { name: 'q', value: f('q'), placeholder: 'user name, e-mail or display name', maxlength: 200 })),
    field('Role', h('input', { name: 'role', value: f('role'), placeholder: 'moderator' })),
    field('Plan id', h('input', { name: 'plan', value: f('plan'), placeholder: 'plan id or none' })),
    field('Banned', h('select', { name: 'banned' }, h('option', { value: '' }, 'any'),
      h('option', { value: 'true', selected: f('banned') === 'true' }, 'banned'),
      h('option', { value: 'false', selected: f('banned') === 'false' }, 'not banned'))),
    field('Signed up from', h('input', { name: 'from', type: 'date', value: f('from') })),
    field('to', h('input', { name: 'to', type: 'date', value: f('to') })),
    h('button.button', { type: 'submit' }, 'Search'));
  const table = h('tbody');
  const status = h('div');
  const more = h('button.button.secondary', { type: 'button', hidden: true }, 'More');
  mount(root, h('section.page.admin', consoleNav('/admin/users'), h('h1', 'Users'), form, status,
    h('table.admin-table', h('thead', h('tr', ['User', 'E-mail', 'Roles', 'Plan', 'Banned', 'Signed up'].map((t) => h('th', t)))), table),
    more));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) q.set(k, String(v).trim());
    navigate(`/admin/users?${q}`);
  });
  let cursor = null;
  const load = async () => {
    try {
      const page = await api.request('GET', '/admin/users', {
        query: { q: f('q'), role: f('role'), plan: f('plan'), banned: f('banned'), from: f('from'), to: f('to'), cursor },
      });
      for (const u of page.items) {
        table.appendChild(h('tr', { dataset: { id: u.id } },
          h('td', h('a', { href: `/admin/users/${enc(u.id)}` }, u.username), u.displayName ? h('span.muted', ` ${u.displayName}`) : null),
          h('td', u.email), h('td', (u.roles || []).join(', ')),
          h('td', u.plan ? `${u.plan} (${u.subscriptionStatus})` : '–'), h('td', u.banned ? 'yes' : ''),
          h('td', when(u.createdAt))));
      }
      cursor = page.next;
      more.hidden = !cursor;
      if (!table.children.length) mount(status, notice('info', 'No account matches.'));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  more.addEventListener('click', load);
  load();
  return undefined;
}

async function userPage(root, id) {
  const status = h('div');
  const body = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/users'), status, body));
  const act = async (fn, done) => {
    try {
      await fn();
      // the page is drawn again before the notice shows, so that whoever acts on the notice (a person, or the
      // end-to-end test) types into the new form, not into one that the redraw is about to replace
      await draw();
      mount(status, notice('info', done));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  const draw = async () => {
    const u = await api.request('GET', `/admin/users/${enc(id)}`);
    const [roles, plans] = await Promise.all([
      api.request('GET', '/admin/roles').catch(() => null),
      api.request('GET', '/admin/plans').catch(() => null),
    ]);
    mount(body,
      h('h1', u.username), u.displayName ? h('p', u.displayName) : null,
      h('dl.facts',
        h('dt', 'E-mail'), h('dd', `${u.email}${u.emailVerified ? '' : ' (not confirmed)'}`),
        h('dt', 'Signed up'), h('dd', when(u.createdAt)),
        h('dt', 'Last sign-in'), h('dd', when(u.activity.lastSignInAt)),
        h('dt', 'Activity'), h('dd', `${u.activity.comments} comments, ${u.activity.forumPosts} forum posts, `
          + `${u.activity.ratings} ratings, ${u.activity.watched} watched`),
        u.deletionScheduledAt ? [h('dt', 'Deletion'), h('dd', `scheduled for ${when(u.deletionScheduledAt)}`)] : null),
      rolesPart(u, roles, act), planPart(u, plans, act), banPart(u, act), sessionsPart(u, act), reportsPart(u));
  };
  try {
    await draw();
  } catch (e) {
    mount(status, notice('error', errorText(e)));
  }
  return undefined;
}

function rolesPart(u, roles, act) {
  if (!roles) return h('section', h('h2', 'Roles'), h('p', (u.roles || []).join(', ')));
  const boxes = roles.items.filter((r) => r.name !== 'guest' && r.name !== 'user').map((r) => h('label.check',
    h('input', { type: 'checkbox', name: 'role', value: r.name, checked: (u.roles || []).includes(r.name) }), ` ${r.name}`));
  const form = h('form', boxes, h('button.button.small', { type: 'submit' }, 'Save roles'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const wanted = [...form.querySelectorAll('input[name=role]:checked')].map((i) => i.value);
    act(() => api.request('PUT', `/admin/users/${enc(u.id)}/roles`, { json: { roles: wanted } }), 'Roles saved.');
  });
  return h('section', h('h2', 'Roles'), form);
}

function planPart(u, plans, act) {
  if (!plans) return null; // not the plans manager
  const s = u.subscription;
  const select = h('select', { name: 'planId' }, plans.plans.map((p) => h('option', { value: p.id, selected: s && s.plan.id === p.id },
    `${p.name} (${(p.priceMinor / 100).toFixed(2)} ${p.currency}/${p.interval})`)));
  const form = h('form.inline', select, h('button.button.small', { type: 'submit' }, 'Assign plan'),
    s ? h('button.button.small.secondary', {
      type: 'button',
      onclick: () => act(() => api.request('DELETE', `/admin/users/${enc(u.id)}/plan`), 'Subscription cancelled.'),
    }, 'Cancel subscription') : null);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    act(() => api.request('PUT', `/admin/users/${enc(u.id)}/plan`, { json: { planId: select.value } }), 'Plan assigned.');
  });
  return h('section', h('h2', 'Plan'),
    h('p', s ? `${s.plan.name}: ${s.status}${s.currentPeriodEnd ? ` until ${when(s.currentPeriodEnd)}` : ''}` : 'No subscription'), form);
}

function banPart(u, act) {
  const reason = h('input', { name: 'reason', required: true, maxlength: 500, placeholder: 'shown to the user' });
  const until = h('input', { name: 'expiresAt', type: 'datetime-local' });
  const form = h('form.inline', field('Reason', reason), field('Until (empty: permanent)', until),
    h('button.button.small.danger', { type: 'submit' }, 'Ban'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const json = { reason: reason.value };
    if (until.value) json.expiresAt = new Date(until.value).toISOString();
    act(() => api.request('POST', `/admin/users/${enc(u.id)}/ban`, { json }), 'Banned; the account\'s sessions ended.');
  });
  return h('section', h('h2', 'Bans'),
    u.ban ? h('p', `Banned: ${u.ban.reason} (${u.ban.expiresAt ? `until ${when(u.ban.expiresAt)}` : 'permanent'}) `,
      h('button.button.small', { type: 'button', onclick: () => act(() => api.request('DELETE', `/admin/users/${enc(u.id)}/ban`), 'Ban lifted.') }, 'Unban'))
      : form,
    h('ul', (u.bans || []).map((b) => h('li', `${when(b.createdAt)}: ${b.reason}`
      + `${b.liftedAt ? ` (lifted ${when(b.liftedAt)})` : b.active ? ' (in force)' : ' (ended)'}`))));
}

function sessionsPart(u, act) {
  if (!u.sessions) return null; // needs users.manage
  const active = u.sessions.filter((s) => !s.revokedAt);
  return h('section', h('h2', 'Sessions'),
    active.length ? h('button.button.small.secondary', {
      type: 'button',
      onclick: () => act(() => api.request('DELETE', `/admin/users/${enc(u.id)}/sessions`), 'Every session ended.'),
    }, 'End every session') : null,
    h('table.admin-table', h('thead', h('tr', ['Started', 'Last used', 'Device', 'Address', ''].map((t) => h('th', t)))),
      h('tbody', u.sessions.map((s) => h('tr', h('td', when(s.createdAt)), h('td', when(s.lastUsedAt)), h('td', s.userAgent || ''),
        h('td', s.ip || ''), h('td', s.revokedAt ? `ended (${s.revokeReason || ''})` : h('button.button.small', {
          type: 'button',
          onclick: () => act(() => api.request('DELETE', `/admin/users/${enc(u.id)}/sessions/${enc(s.id)}`), 'Session ended.'),
        }, 'End')))))));
}

function reportsPart(u) {
  return h('section', h('h2', 'Reports against this account'),
    u.reports.length ? h('ul', u.reports.map((r) => h('li',
      `${r.targetType} ${r.targetId}: ${r.reportCount} report(s) (${r.reasons.join(', ')}), ${r.status}, last ${when(r.lastReportedAt)}`)))
      : h('p', 'None.'));
}

// ---- audit log --------------------------------------------------------------------------------------------

function auditPage(root) {
  const form = h('form.filters',
    field('Actor (account id)', h('input', { name: 'actor' })),
    field('Action', h('input', { name: 'action', placeholder: 'user.ban or user.*' })),
    field('From', h('input', { name: 'from', type: 'date' })),
    field('To', h('input', { name: 'to', type: 'date' })),
    h('button.button', { type: 'submit' }, 'Filter'),
    h('button.button.secondary', { type: 'button', id: 'audit-csv' }, 'Download CSV'));
  const rows = h('tbody');
  const status = h('div');
  const more = h('button.button.secondary', { type: 'button', hidden: true }, 'More');
  mount(root, h('section.page.admin', consoleNav('/admin/audit'), h('h1', 'Audit log'), form, status,
    h('table.admin-table.audit', h('thead', h('tr', ['When', 'Who', 'Action', 'Target', 'Before', 'After'].map((t) => h('th', t)))), rows),
    more));
  let cursor = null;
  const filters = () => Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
  const load = async (reset) => {
    if (reset) { cursor = null; rows.replaceChildren(); }
    try {
      const page = await api.request('GET', '/admin/audit-log', { query: { ...filters(), cursor } });
      for (const e of page.items) {
        rows.appendChild(h('tr', h('td', when(e.at)), h('td', e.actorName || (e.actorId ? e.actorId : 'system')),
          h('td', e.action), h('td', `${e.targetType} ${e.targetId || ''}`),
          h('td', h('code', e.before ? JSON.stringify(e.before) : '')), h('td', h('code', e.after ? JSON.stringify(e.after) : ''))));
      }
      cursor = page.next;
      more.hidden = !cursor;
      mount(status);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(true); });
  more.addEventListener('click', () => load(false));
  form.querySelector('#audit-csv').addEventListener('click', async () => {
    try {
      const res = await api.request('GET', '/admin/audit-log', { query: filters(), headers: { Accept: 'text/csv' }, raw: true });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: 'audit-log.csv', hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  });
  load(true);
  return undefined;
}

// ---- jobs -------------------------------------------------------------------------------------------------

function jobsPage(root) {
  const state = h('select', { name: 'state' }, ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled']
    .map((s) => h('option', { value: s }, s || 'any state')));
  const list = h('tbody');
  const status = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/jobs'), h('h1', 'Packaging jobs'), field('State', state), status,
    h('table.admin-table.jobs-table', h('thead', h('tr', ['Job', 'Media', 'State', 'Progress', 'Attempts', 'Queued', ''].map((t) => h('th', t)))), list)));
  let timer = null;
  let stopped = false;
  const act = async (path) => {
    try {
      await api.request('POST', path);
      await load();
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  const load = async () => {
    clearTimeout(timer);
    try {
      const page = await api.jobs.list({ state: state.value || undefined });
      mount(list, page.items.map((j) => h('tr', { dataset: { id: j.id, state: j.state } },
        h('td', j.id.slice(0, 8)), h('td', j.mediaId.slice(0, 8)), h('td', j.state + (j.cancelRequested ? ' (cancelling)' : '')),
        h('td', h('progress', { max: 1, value: Number(j.progress) || 0 }), ` ${Math.round((Number(j.progress) || 0) * 100)}%`),
        h('td', `${j.attempts}/${j.maxAttempts}`), h('td', when(j.createdAt)),
        h('td', j.state === 'queued' || j.state === 'running'
          ? h('button.button.small.secondary', { type: 'button', onclick: () => act(`/jobs/${enc(j.id)}/cancel`) }, 'Cancel')
          : j.state === 'failed' || j.state === 'cancelled'
            ? h('button.button.small', { type: 'button', onclick: () => act(`/jobs/${enc(j.id)}/retry`) }, 'Retry') : null,
          j.error ? h('span.muted', ` ${j.error}`) : null))));
      mount(status);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
    if (!stopped) timer = setTimeout(load, POLL_MS); // live progress
  };
  state.addEventListener('change', load);
  load();
  return () => { stopped = true; clearTimeout(timer); };
}

// ---- scheduled publishing ---------------------------------------------------------------------------------

function schedulePage(root) {
  const kind = h('select', { name: 'kind' }, h('option', { value: 'media' }, 'Media item (episode or feature)'),
    h('option', { value: 'titles' }, 'Every unpublished item of a title'));
  const target = h('input', { name: 'id', required: true, placeholder: 'id' });
  const at = h('input', { name: 'publishAt', type: 'datetime-local', required: true });
  const form = h('form.inline', field('What', kind), field('Id', target), field('Publish at', at),
    h('button.button', { type: 'submit' }, 'Schedule'));
  const list = h('tbody');
  const status = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/schedule'), h('h1', 'Scheduled publishing'),
    h('p', 'An item publishes itself at its time once it is packaged.'), form, status,
    h('table.admin-table', h('thead', h('tr', ['Publish at', 'Media', 'Title', 'Episode', 'State', ''].map((t) => h('th', t)))), list)));
  const load = async () => {
    try {
      const r = await api.request('GET', '/admin/scheduled');
      mount(list, r.items.map((s) => h('tr', { dataset: { id: s.mediaId } }, h('td', when(s.publishAt)), h('td', s.name || s.mediaId.slice(0, 8)),
        h('td', h('a', { href: `/title/${enc(s.titleId)}` }, s.titleId.slice(0, 8))),
        h('td', s.episodeNumber != null ? `S${s.seasonNumber ?? ''}E${s.episodeNumber}` : ''), h('td', s.state),
        h('td', h('button.button.small.secondary', { type: 'button', onclick: () => schedule('media', s.mediaId, null) }, 'Unschedule')))));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  const schedule = async (what, id, when2) => {
    try {
      await api.request('PUT', `/admin/${what}/${enc(id)}/schedule`, { json: { publishAt: when2 } });
      mount(status, notice('info', when2 ? 'Scheduled.' : 'Schedule cancelled.'));
      await load();
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    schedule(kind.value, target.value.trim(), new Date(at.value).toISOString());
  });
  load();
  return undefined;
}

/** A "publish at" field for a media item (the upload page's job card). */
export function scheduleField(mediaId, onDone) {
  const at = h('input', { type: 'datetime-local', 'aria-label': 'Publish at' });
  const btn = h('button.button.small.secondary', { type: 'button' }, 'Publish at…');
  btn.addEventListener('click', async () => {
    if (!at.value) { at.focus(); return; }
    btn.disabled = true;
    try {
      const s = await api.request('PUT', `/admin/media/${enc(mediaId)}/schedule`, { json: { publishAt: new Date(at.value).toISOString() } });
      onDone(`Publishes at ${when(s.publishAt)}`);
    } catch (e) {
      btn.disabled = false;
      onDone(errorText(e));
    }
  });
  return h('span.schedule', at, btn);
}

// ---- catalogue --------------------------------------------------------------------------------------------

function cataloguePage(root, { query, navigate }) {
  const q = h('input', { name: 'q', value: query.get('q') || '', placeholder: 'title', maxlength: 200 });
  const form = h('form.filters', field('Search', q), h('button.button', { type: 'submit' }, 'Search'));
  const list = h('ul.catalogue-list');
  const status = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/catalogue'), h('h1', 'Catalogue'), form, status, list));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    navigate(`/admin/catalogue?q=${enc(q.value.trim())}`);
  });
  (async () => {
    try {
      const page = await api.request('GET', '/titles', { query: { q: query.get('q') || undefined, limit: 50 } });
      mount(list, page.items.map((t) => h('li', h('a', { href: `/admin/catalogue/${enc(t.id)}` },
        (t.titles && (t.titles.en || Object.values(t.titles)[0])) || t.originalTitle), h('span.muted', ` ${t.kind}${t.year ? `, ${t.year}` : ''}`))));
      if (!page.items.length) mount(status, notice('info', 'No title matches.'));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  })();
  return undefined;
}

/** "en: Name" lines ⇄ {en: "Name"} */
const linesOf = (map) => Object.entries(map || {}).map(([k, v]) => `${k}: ${v}`).join('\n');
function mapOf(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0 && line.slice(i + 1).trim()) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
const listOf = (text) => text.split(',').map((x) => x.trim()).filter(Boolean);
// People's names may hold commas ("Smith, John"): one a line.
const linesList = (text) => text.split('\n').map((x) => x.trim()).filter(Boolean);

async function titleEditor(root, id) {
  const status = h('div');
  const body = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/catalogue'), status, body));
  const say = (kind, text) => mount(status, notice(kind, text));
  const draw = async () => {
    const t = await api.request('GET', `/titles/${enc(id)}`);
    const input = (name, value, extra) => h('input', { name, value: value ?? '', ...extra });
    const synopses = {};
    const langs = [...new Set([...Object.keys(t.titles || {}), ...Object.keys(t.synopses || {})])];
    const synopsisFields = langs.map((l) => {
      synopses[l] = h('textarea', { name: `synopsis-${l}`, rows: 3, maxlength: 20000 }, (t.synopses || {})[l] || '');
      return field(`Synopsis (${l})`, synopses[l]);
    });
    const newLang = input('newLang', '', { placeholder: 'language, e.g. uk', maxlength: 35 });
    const newSynopsis = h('textarea', { name: 'newSynopsis', rows: 2, maxlength: 20000 });
    const form = h('form.title-editor',
      h('div.field-row', field('Kind', h('select', { name: 'kind' }, ['movie', 'series'].map((k) => h('option', { value: k, selected: t.kind === k }, k)))),
        field('Original title', input('originalTitle', t.originalTitle, { required: true, maxlength: 500 })),
        field('Original language', input('originalLanguage', t.originalLanguage, { maxlength: 35 }))),
      field('Localised names (one "language: name" a line)', h('textarea', { name: 'titles', rows: 3 }, linesOf(t.titles))),
      synopsisFields,
      h('div.field-row', field('Synopsis in another language', newLang), field('Synopsis', newSynopsis)),
      h('div.field-row', field('Year', input('year', t.year, { type: 'number', min: 1870, max: 2200 })),
        field('Age rating', input('ageRating', t.ageRating, { placeholder: 'all or 13+' }))),
      field('Genres (comma-separated)', input('genres', (t.genres || []).join(', '))),
      field('Tags (comma-separated)', input('tags', (t.tags || []).join(', '))),
      field('Studios (comma-separated)', input('studios', (t.studios || []).join(', '))),
      field('Cast and staff (one a line, in credit order)', h('textarea', { name: 'people', rows: 4 }, (t.people || []).join('\n'))),
      h('button.button', { type: 'submit' }, 'Save title'));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const d = new FormData(form);
      const text = (k) => String(d.get(k) || '').trim();
      const syn = {};
      for (const [l, el] of Object.entries(synopses)) if (el.value.trim()) syn[l] = el.value.trim();
      if (text('newLang') && text('newSynopsis')) syn[text('newLang')] = text('newSynopsis');
      try {
        await api.request('PUT', `/titles/${enc(id)}`, {
          json: {
            kind: text('kind'), originalTitle: text('originalTitle'), originalLanguage: text('originalLanguage') || undefined,
            titles: mapOf(text('titles')), synopses: syn, year: text('year') ? Number(text('year')) : undefined,
            ageRating: text('ageRating') || undefined, genres: listOf(text('genres')), tags: listOf(text('tags')),
            studios: listOf(text('studios')), people: linesList(text('people')), externalIds: t.externalIds,
          },
        });
        say('info', 'Title saved.');
        await draw();
      } catch (err) {
        say('error', errorText(err));
      }
    });
    const poster = h('input', { type: 'file', accept: 'image/*', 'aria-label': 'Poster image' });
    poster.addEventListener('change', async () => {
      const f = poster.files[0];
      if (!f) return;
      try {
        const r = await api.request('PUT', `/titles/${enc(id)}/poster`, { body: f, headers: { 'Content-Type': f.type || 'application/octet-stream' } });
        say('info', `Poster saved (${r.width}×${r.height}).`);
        await draw();
      } catch (err) {
        say('error', errorText(err));
      }
    });
    const items = [...(t.media || []), ...(t.seasons || []).flatMap((s) => s.episodes)];
    mount(body, h('h1', t.originalTitle), form,
      h('section', h('h2', 'Poster'), h('img.poster-preview', { src: `/api/v1/titles/${enc(id)}/poster?v=${Date.now()}`, alt: '', width: 240 }),
        h('p', field('Upload a poster', poster))),
      h('section', h('h2', t.kind === 'series' ? 'Seasons and episodes' : 'Media'),
        (t.seasons || []).map((s) => h('h3', `Season ${s.number}${s.name ? `: ${s.name}` : ''}`)),
        h('table.admin-table', h('thead', h('tr', ['Season', 'Episode', 'Name', 'Access', 'State', '', ''].map((x) => h('th', x)))),
          h('tbody', items.map((m) => mediaRow(m, say, draw))))));
  };
  try {
    await draw();
  } catch (e) {
    say('error', errorText(e));
  }
  return undefined;
}

function mediaRow(m, say, redraw) {
  const name = h('input', { value: m.name || '', maxlength: 500, 'aria-label': 'Name' });
  const episode = h('input', { type: 'number', min: 0, value: m.episodeNumber ?? '', 'aria-label': 'Episode', style: { width: '5em' } });
  const access = h('select', { 'aria-label': 'Access' }, ['free', 'registered', 'subscription'].map((a) => h('option', { value: a, selected: m.access === a }, a)));
  const run = async (fn, text) => {
    try {
      await fn();
      say('info', text);
      await redraw();
    } catch (err) {
      say('error', errorText(err));
    }
  };
  const save = () => run(() => api.request('PUT', `/media/${enc(m.id)}`, {
    json: {
      seasonNumber: m.seasonNumber ?? undefined, episodeNumber: episode.value === '' ? undefined : Number(episode.value),
      name: name.value.trim() || undefined, packagedTitleId: m.packagedTitleId, renditions: m.renditions,
      audioLanguages: m.audioLanguages, subtitleLanguages: m.subtitleLanguages, durationSeconds: m.durationSeconds ?? undefined,
      hasDash: m.hasDash, protection: m.protection, access: access.value,
    },
  }), 'Saved.');
  const lifecycle = m.state === 'published'
    ? [h('button.button.small.secondary', { type: 'button', onclick: () => run(() => api.request('POST', `/media/${enc(m.id)}/unpublish`), 'Unpublished.') }, 'Unpublish'),
      h('button.button.small.danger', { type: 'button', onclick: () => run(() => api.request('POST', `/media/${enc(m.id)}/takedown`), 'Taken down everywhere.') }, 'Take down')]
    : m.state === 'ready' || m.state === 'taken_down'
      ? [h('button.button.small', { type: 'button', onclick: () => run(() => api.request('POST', `/media/${enc(m.id)}/publish`), 'Published.') }, 'Publish')]
      : [];
  return h('tr', { dataset: { id: m.id, state: m.state } }, h('td', m.seasonNumber ?? ''), h('td', episode), h('td', name), h('td', access),
    h('td', m.state), h('td', h('button.button.small', { type: 'button', onclick: save }, 'Save'), lifecycle),
    h('td', m.state !== 'published' && m.state !== 'taken_down' ? scheduleField(m.id, (text) => say('info', text)) : null));
}

// ---- plans ------------------------------------------------------------------------------------------------

function plansPage(root) {
  const status = h('div');
  const list = h('div');
  mount(root, h('section.page.admin', consoleNav('/admin/plans'), h('h1', 'Plans'), status, list));
  const num = (name, value, extra) => h('input', { name, type: 'number', value: value ?? '', ...extra });
  const load = async () => {
    try {
      const r = await api.request('GET', '/admin/plans');
      mount(list, r.plans.map((p) => {
        const form = h('form.inline.plan-editor', { dataset: { id: p.id } },
          field('Name', h('input', { name: 'name', value: p.name, maxlength: 100 })),
          field('Price (minor units)', num('priceMinor', p.priceMinor, { min: 0 })),
          field('Currency', h('input', { name: 'currency', value: p.currency, maxlength: 3, size: 4 })),
          field('Interval', h('select', { name: 'interval' }, ['month', 'year'].map((i) => h('option', { value: i, selected: p.interval === i }, i)))),
          field('Trial days', num('trialDays', p.trialDays, { min: 0, max: 730 })),
          field('Streams', num('concurrentStreams', p.concurrentStreams, { min: 1, max: 100 })),
          field('Max resolution', num('maxResolution', p.maxResolution, { min: 144, max: 4320 })),
          field('Profiles', num('maxProfiles', p.maxProfiles, { min: 1, max: 20 })),
          h('label.check', h('input', { type: 'checkbox', name: 'offline', checked: !!p.offline }), ' downloads'),
          h('button.button.small', { type: 'submit' }, 'Save'));
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          const d = new FormData(form);
          const n = (k) => Number(d.get(k));
          try {
            await api.request('PATCH', `/admin/plans/${enc(p.id)}`, {
              json: {
                name: String(d.get('name')).trim(), priceMinor: n('priceMinor'), currency: String(d.get('currency')).trim().toUpperCase(),
                interval: d.get('interval'), trialDays: n('trialDays'), concurrentStreams: n('concurrentStreams'),
                maxResolution: n('maxResolution'), maxProfiles: n('maxProfiles'), offline: d.get('offline') !== null,
              },
            });
            mount(status, notice('info', `${p.name} saved.`));
            await load();
          } catch (err) {
            mount(status, notice('error', errorText(err)));
          }
        });
        return form;
      }));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  load();
  return undefined;
}
