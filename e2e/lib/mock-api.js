// MOCK of the Kino control API, for developing the web app before the real one is assembled. It follows
// the contract the app's web/js/api.js expects (the same list is in the web team's report to the lead),
// in memory, with opaque tokens. The final tests run against the real servers (run.sh without --fixtures).

import crypto from 'node:crypto';

const json = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const problem = (res, status, detail, errors) => json(res, status, { type: 'about:blank', title: detail, status, detail, errors });

export function createMockApi({ mediaOrigin }) {
  const accounts = new Map(); // id -> {id, email, username, password, roles}
  const access = new Map(); // token -> account id
  const refresh = new Map(); // token -> account id
  const watchlists = new Map(); // account id -> Set(title id)
  const progress = new Map(); // account id -> Map(key -> {titleId, episodeId, positionSeconds, durationSeconds, updatedAt})
  const calls = [];

  const media = (p) => `${mediaOrigin}/media/${p}`;
  const titles = [
    { id: 'test-pattern', title: 'Test Pattern', kind: 'movie', year: 2026, genres: ['Demo', 'Documentary'], durationSeconds: 12,
      synopsis: 'Twelve seconds of colour bars, a moving gradient and a tone: the film every player must survive.',
      audioLanguages: ['en', 'fr'], subtitleLanguages: ['en'] },
    { id: 'test-series', title: 'The Test Series', kind: 'series', year: 2025, genres: ['Demo'],
      synopsis: 'A series of identical episodes.',
      seasons: [{ number: 1, title: 'Season 1', episodes: [
        { id: 's1e1', number: 1, title: 'Pilot', durationSeconds: 12, synopsis: 'It begins.' },
        { id: 's1e2', number: 2, title: 'Sequel', durationSeconds: 12, synopsis: 'It continues.' }] }] },
    ...['Night Train', 'Paper Moons', 'Atlas', 'Low Tide', 'Signal', 'Afterglow', 'North', 'Glass Harbour', 'The Long Take', 'Static']
      .map((t, i) => ({ id: `t${i}`, title: t, kind: i % 3 ? 'movie' : 'series', year: 2010 + i, genres: ['Drama'], synopsis: '' })),
  ];

  const tokens = (id) => {
    const a = crypto.randomBytes(24).toString('base64url');
    const r = crypto.randomBytes(32).toString('base64url');
    access.set(a, id);
    refresh.set(r, id);
    return { accessToken: a, tokenType: 'Bearer', expiresIn: 900, refreshToken: r, sessionId: crypto.randomUUID() };
  };
  const me = (a) => ({ id: a.id, email: a.email, emailVerified: true, username: a.username, displayName: a.username,
    preferredAudioLanguages: [], preferredSubtitleLanguages: [], maturity: 'adult', roles: a.roles,
    permissions: a.roles.includes('admin') ? ['catalog.read', 'catalog.write'] : ['catalog.read'], createdAt: new Date().toISOString() });
  const summary = (t) => ({ id: t.id, title: t.title, kind: t.kind, year: t.year, genres: t.genres, posterUrl: t.posterUrl || null });

  async function body(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const s = Buffer.concat(chunks).toString('utf8');
    return s ? JSON.parse(s) : {};
  }

  async function handle(req, res, url) {
    const p = url.pathname.replace(/^\/api\/v1/, '');
    const m = req.method;
    calls.push(`${m} ${p}`);
    const auth = (req.headers.authorization || '').replace(/^Bearer /, '');
    const uid = access.get(auth);
    const account = uid && accounts.get(uid);
    const need = () => {
      if (!account) {
        json(res, 401, { status: 401, title: 'Unauthorized', detail: 'needs a token' }, { 'WWW-Authenticate': 'Bearer realm="kino"' });
        return false;
      }
      return true;
    };
    try {
      if (m === 'POST' && p === '/auth/register') {
        const b = await body(req);
        const errors = [];
        if (!/^[^@\s]+@[^@\s]+$/.test(b.email || '')) errors.push({ field: 'email', message: 'must be an e-mail address' });
        if (!/^[A-Za-z0-9_.-]{3,32}$/.test(b.username || '')) errors.push({ field: 'username', message: '3 to 32 letters, digits, _ . -' });
        if ((b.password || '').length < 8) errors.push({ field: 'password', message: 'at least 8 characters' });
        if (errors.length) return problem(res, 422, 'invalid fields', errors);
        if ([...accounts.values()].some((a) => a.email === b.email || a.username === b.username)) return problem(res, 409, 'already registered');
        const a = { id: crypto.randomUUID(), email: b.email, username: b.username, password: b.password, roles: accounts.size ? ['viewer'] : ['admin'] };
        accounts.set(a.id, a);
        return json(res, 201, { id: a.id, email: a.email, username: a.username, roles: a.roles });
      }
      if (m === 'POST' && p === '/auth/login') {
        const b = await body(req);
        const a = [...accounts.values()].find((x) => (x.email === b.login || x.username === b.login) && x.password === b.password);
        if (!a) return problem(res, 401, 'wrong login or password');
        return json(res, 200, tokens(a.id));
      }
      if (m === 'POST' && p === '/auth/refresh') {
        const b = await body(req);
        const id = refresh.get(b.refreshToken);
        if (!id) return problem(res, 401, 'unknown refresh token');
        refresh.delete(b.refreshToken);
        return json(res, 200, tokens(id));
      }
      if (m === 'POST' && p === '/auth/logout') {
        const b = await body(req);
        refresh.delete(b.refreshToken);
        return json(res, 204);
      }
      if (m === 'GET' && p === '/me') return need() && json(res, 200, me(account));
      if (m === 'GET' && p === '/me/sessions') return need() && json(res, 200, { items: [], next: null });
      if (m === 'GET' && p === '/titles') {
        const q = (url.searchParams.get('q') || '').toLowerCase();
        const kind = url.searchParams.get('kind');
        const genre = url.searchParams.get('genre');
        const limit = Number(url.searchParams.get('limit') || 20);
        const start = Number(url.searchParams.get('cursor') || 0);
        const all = titles.filter((t) => (!q || t.title.toLowerCase().includes(q)) && (!kind || t.kind === kind) && (!genre || t.genres.includes(genre)));
        const items = all.slice(start, start + limit).map(summary);
        return json(res, 200, { items, next: start + limit < all.length ? String(start + limit) : null });
      }
      let mt = /^\/titles\/([^/]+)$/.exec(p);
      if (m === 'GET' && mt) {
        const t = titles.find((x) => x.id === mt[1]);
        return t ? json(res, 200, t) : problem(res, 404, 'no such title');
      }
      if (m === 'POST' && p === '/playback') {
        if (!need()) return undefined;
        const b = await body(req);
        const t = titles.find((x) => x.id === b.titleId);
        if (!t) return problem(res, 404, 'no such title');
        const saved = (progress.get(account.id) || new Map()).get(`${b.titleId}/${b.episodeId || ''}`);
        return json(res, 200, {
          hlsUrl: media('hls/master.m3u8'), dashUrl: media('dash/manifest.mpd'),
          licenseUrl: media('dash/license/clearkey'), thumbnailsUrl: media('thumbnails.vtt'),
          resumePositionSeconds: saved ? saved.positionSeconds : 0,
          expiresAt: new Date(Date.now() + 6 * 3600e3).toISOString(),
        });
      }
      if (m === 'PUT' && p === '/playback/progress') {
        if (!need()) return undefined;
        const b = await body(req);
        if (!progress.has(account.id)) progress.set(account.id, new Map());
        progress.get(account.id).set(`${b.titleId}/${b.episodeId || ''}`, { ...b, updatedAt: new Date().toISOString() });
        return json(res, 204);
      }
      if (m === 'GET' && p === '/me/continue-watching') {
        if (!need()) return undefined;
        const items = [...(progress.get(account.id) || new Map()).values()]
          .filter((x) => !x.completed)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
          .map((x) => ({ title: summary(titles.find((t) => t.id === x.titleId)), episodeId: x.episodeId || null,
            positionSeconds: x.positionSeconds, durationSeconds: x.durationSeconds, updatedAt: x.updatedAt }));
        return json(res, 200, { items, next: null });
      }
      if (m === 'GET' && p === '/me/watchlist') {
        if (!need()) return undefined;
        const ids = [...(watchlists.get(account.id) || [])];
        return json(res, 200, { items: ids.map((id) => summary(titles.find((t) => t.id === id))), next: null });
      }
      mt = /^\/me\/watchlist\/([^/]+)$/.exec(p);
      if (mt && (m === 'PUT' || m === 'DELETE')) {
        if (!need()) return undefined;
        if (!titles.some((t) => t.id === mt[1])) return problem(res, 404, 'no such title');
        if (!watchlists.has(account.id)) watchlists.set(account.id, new Set());
        if (m === 'PUT') watchlists.get(account.id).add(mt[1]);
        else watchlists.get(account.id).delete(mt[1]);
        return json(res, 204);
      }
      return problem(res, 404, `mock API has no ${m} ${p}`);
    } catch (e) {
      return problem(res, 500, String(e));
    }
  }

  return { handle, calls, progress, watchlists };
}
