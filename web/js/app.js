// The app shell: client-side routing with the History API, the top bar, and view lifecycle.
// Routes here must stay in step with WebApp.APP_ROUTES (the control API answers index.html for them).

import * as api from './api.js';
import * as live from './live.js';
import { h, mount, notice, errorText } from './dom.js';
import * as profiles from './views/profiles.js';

const routes = [
  { path: /^\/$/, view: () => import('./views/catalogue.js') },
  { path: /^\/browse$/, view: () => import('./views/catalogue.js') },
  { path: /^\/search$/, view: () => import('./views/search.js') },
  { path: /^\/title\/([^/]+)$/, view: () => import('./views/title.js'), keys: ['id'] },
  { path: /^\/watch\/direct$/, view: () => import('./views/watch.js'), direct: true },
  { path: /^\/watch\/([^/]+)(?:\/([^/]+))?$/, view: () => import('./views/watch.js'), keys: ['titleId', 'mediaId'] },
  { path: /^\/login$/, view: () => import('./views/auth.js'), mode: 'login' },
  { path: /^\/register$/, view: () => import('./views/auth.js'), mode: 'register' },
  { path: /^\/watchlist$/, view: () => import('./views/watchlist.js') },
  { path: /^\/account$/, view: () => import('./views/account.js') },
  { path: /^\/profiles$/, view: () => import('./views/profiles.js') },
  { path: /^\/plans$/, view: () => import('./views/billing.js') },
  { path: /^\/account\/security$/, view: () => import('./views/security.js') },
  { path: /^\/admin$/, view: () => import('./views/admin.js') },
  { path: /^\/admin\/users$/, view: () => import('./views/admin-console.js'), mode: 'users' },
  { path: /^\/admin\/users\/([^/]+)$/, view: () => import('./views/admin-console.js'), keys: ['id'], mode: 'user' },
  { path: /^\/admin\/audit$/, view: () => import('./views/admin-console.js'), mode: 'audit' },
  { path: /^\/admin\/jobs$/, view: () => import('./views/admin-console.js'), mode: 'jobs' },
  { path: /^\/admin\/schedule$/, view: () => import('./views/admin-console.js'), mode: 'schedule' },
  { path: /^\/admin\/plans$/, view: () => import('./views/admin-console.js'), mode: 'plans' },
  { path: /^\/admin\/catalogue$/, view: () => import('./views/admin-console.js'), mode: 'catalogue' },
  { path: /^\/admin\/catalogue\/([^/]+)$/, view: () => import('./views/admin-console.js'), keys: ['id'], mode: 'catalogue' },
  { path: /^\/admin\/analytics$/, view: () => import('./views/analytics.js') },
  { path: /^\/forum$/, view: () => import('./views/forum.js') },
  { path: /^\/forum\/c\/([^/]+)$/, view: () => import('./views/forum.js'), keys: ['id'], mode: 'category' },
  { path: /^\/forum\/t\/([^/]+)$/, view: () => import('./views/forum.js'), keys: ['id'], mode: 'thread' },
  { path: /^\/users\/([^/]+)$/, view: () => import('./views/profile.js'), keys: ['username'] },
  { path: /^\/moderation$/, view: () => import('./views/moderation.js') },
  { path: /^\/notifications$/, view: () => import('./views/notifications.js') },
  { path: /^\/account\/notifications$/, view: () => import('./views/notifications.js'), mode: 'settings' },
  { path: /^\/unsubscribe$/, view: () => import('./views/unsubscribe.js') },
  { path: /^\/verify-email$/, view: () => import('./views/token-links.js'), mode: 'verify' },
  { path: /^\/reset-password$/, view: () => import('./views/token-links.js'), mode: 'reset' },
];

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

/** Navigates within the app (pushes a history entry unless replace). */
export function navigate(to, { replace = false } = {}) {
  const url = new URL(to, location.origin);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  if (replace) history.replaceState(null, '', url.pathname + url.search + url.hash);
  else history.pushState(null, '', url.pathname + url.search + url.hash);
  render();
}

async function render() {
  const gen = ++generation;
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error(e); }
    cleanup = null;
  }
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(location.search);
  const route = routes.find((r) => r.path.test(path));
  document.body.dataset.route = route ? path.split('/')[1] || 'home' : 'missing';
  const searchBox = document.querySelector('.search input');
  if (searchBox && document.activeElement !== searchBox) searchBox.value = path === '/search' ? query.get('q') || '' : '';
  if (!route) {
    mount(main, h('section.page', h('h1', 'Not found'), h('p', 'There is nothing at this address. '),
      h('a.button', { href: '/' }, 'Back to the catalogue')));
    return;
  }
  const m = route.path.exec(path);
  const params = {};
  (route.keys || []).forEach((k, i) => { if (m[i + 1] !== undefined) params[k] = decodeURIComponent(m[i + 1]); });
  try {
    const mod = await route.view();
    if (gen !== generation) return;
    const result = await mod.render(main, { params, query, route, navigate, isCurrent: () => gen === generation });
    if (gen !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = typeof result === 'function' ? result : null;
    if (!main.contains(document.activeElement)) main.focus({ preventScroll: true });
  } catch (e) {
    console.error(e);
    if (gen === generation) mount(main, h('section.page', notice('error', errorText(e))));
  }
}

// The bell: the unread count, kept live by the notification stream (live.js).
const bellCount = h('span.badge', { hidden: true });
const bell = h('a.bell', { href: '/notifications', 'aria-label': 'Notifications' }, '🔔', bellCount);
live.onUnread((n) => {
  bellCount.textContent = n > 99 ? '99+' : String(n);
  bellCount.hidden = n === 0;
  bell.setAttribute('aria-label', n ? `Notifications (${n} unread)` : 'Notifications');
});
let liveFor = null;

function renderNav(user) {
  const nav = document.getElementById('nav');
  const id = user ? user.id : null;
  if (id !== liveFor) {
    liveFor = id;
    if (id) live.start(); else live.stop();
  }
  if (!user) {
    mount(nav, h('a', { href: '/forum' }, 'Forum'), h('a', { href: '/plans' }, 'Plans'), h('a', { href: '/login' }, 'Sign in'),
      h('a.button.small', { href: '/register' }, 'Create account'));
    return;
  }
  mount(nav,
    h('a', { href: '/forum' }, 'Forum'),
    h('a', { href: '/watchlist' }, 'My list'),
    h('a', { href: '/plans' }, 'Plans'),
    api.canModerate(user) ? h('a', { href: '/moderation' }, 'Moderation') : null,
    api.isAdmin(user) ? h('a', { href: '/admin' }, 'Admin')
      : (user.permissions || []).includes('users.read') ? h('a', { href: '/admin/users' }, 'Users') : null,
    (user.permissions || []).includes('analytics.read') ? h('a', { href: '/admin/analytics' }, 'Analytics') : null,
    bell,
    profiles.headerSwitcher(() => render()),
    h('a.user', { href: '/account', title: 'Account' }, user.displayName || user.username || 'Account'),
    h('button.link', {
      type: 'button',
      onclick: async () => { await api.auth.logout(); navigate('/'); },
    }, 'Sign out'));
}

// As-you-type suggestions under the header's search box (GET /search/suggest), rendered as text nodes only.
(function suggestions() {
  const box = document.querySelector('.search input');
  if (!box) return;
  const list = h('ul.suggestions', { role: 'listbox', hidden: true });
  box.setAttribute('aria-autocomplete', 'list');
  box.closest('form').appendChild(list);
  let timer = null;
  let controller = null;
  const hide = () => { list.hidden = true; };
  box.addEventListener('input', () => {
    clearTimeout(timer);
    const q = box.value;
    if (!q.trim()) { hide(); return; }
    timer = setTimeout(async () => {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const r = await api.search.suggest(q.slice(0, 200), { signal: controller.signal });
        if (box.value !== q) return;
        mount(list, ...r.suggestions.map((s) => h('li', { role: 'option' },
          h('a', { href: `/title/${encodeURIComponent(s.id)}` }, marked(s.highlight), s.year ? h('span.muted', ` ${s.year}`) : null))));
        list.hidden = r.suggestions.length === 0;
      } catch (e) {
        if (e.name !== 'AbortError') hide();
      }
    }, 120);
  });
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
  document.addEventListener('click', (e) => { if (!list.contains(e.target) && e.target !== box) hide(); });
  list.addEventListener('click', hide);
}());

/** A highlight {text, ranges:[{start,end}]} as nodes: plain text with <mark> elements holding text nodes. */
export function marked(highlight) {
  const out = [];
  let at = 0;
  for (const r of highlight.ranges || []) {
    if (r.start < at || r.end > highlight.text.length) continue;
    if (r.start > at) out.push(document.createTextNode(highlight.text.slice(at, r.start)));
    out.push(h('mark', highlight.text.slice(r.start, r.end)));
    at = r.end;
  }
  if (at < highlight.text.length) out.push(document.createTextNode(highlight.text.slice(at)));
  return out;
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/vendor/')) return;
  e.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash) {
    location.hash = url.hash;
    return;
  }
  navigate(url.href);
});

document.querySelector('.search').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new FormData(e.target).get('q').toString().trim();
  navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/');
});

window.addEventListener('popstate', render);
// staff must set up a second factor first (control.requireStaffSecondFactor): everything else answers 403
window.addEventListener('kino:second-factor-required', () => {
  if (location.pathname !== '/account/security') navigate('/account/security?enrol=1', { replace: true });
});
api.onAuthChange(renderNav);
// "Who's watching?" after a sign-in, when the account has more than one viewer profile
window.addEventListener('kino:signed-in', () => { profiles.askWhoIsWatching(() => render()); });

(async () => {
  renderNav(null);
  try {
    await api.restoreSession();
  } catch (e) {
    console.warn('session not restored', e);
  }
  renderNav(api.user());
  render();
})();
