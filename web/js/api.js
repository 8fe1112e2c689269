// Kino API client: every call the web app makes to the control API goes through this module.
//
// Tokens: the short-lived JWT access token lives only in memory (a module variable), so it is gone with the
// page and never written anywhere script-readable beyond this module. The refresh token is kept in
// sessionStorage: the API takes it in the JSON body of POST /auth/refresh (not as a cookie), so an httpOnly
// cookie would need server-side cookie handling plus CSRF protection; sessionStorage is per tab, cleared
// when the tab closes, never sent automatically with requests (no CSRF), and survives reloads. Its risk is
// script injection, which the app answers with a strict Content-Security-Policy (script-src 'self') and by
// never building HTML from data (textContent only). Refresh tokens rotate on every use and the API revokes
// the session when a rotated token is replayed.
//
// Errors: non-2xx answers throw ApiError carrying the RFC 9457 problem (title, detail, per-field errors).

const BASE = '/api/v1';
const REFRESH_KEY = 'kino.refreshToken';

let accessToken = null;
let accessExpiresAt = 0;
let refreshing = null;
let currentUser = null;
const listeners = new Set();

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
    /** @type {Array<{field: string, message: string}>} */
    this.fieldErrors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
  }
}

function storedRefresh() {
  try { return sessionStorage.getItem(REFRESH_KEY); } catch { return null; }
}

function storeTokens(t) {
  accessToken = t.accessToken;
  accessExpiresAt = Date.now() + Math.max(10, (t.expiresIn || 300) - 30) * 1000;
  try { sessionStorage.setItem(REFRESH_KEY, t.refreshToken); } catch { /* private mode: memory only */ }
}

function clearTokens() {
  const had = accessToken !== null || currentUser !== null;
  accessToken = null;
  accessExpiresAt = 0;
  currentUser = null;
  try { sessionStorage.removeItem(REFRESH_KEY); } catch { /* ignore */ }
  if (had) notify();
}

function notify() {
  for (const l of listeners) {
    try { l(currentUser); } catch (e) { console.error(e); }
  }
}

/** Calls cb(user|null) whenever the signed-in user changes. @returns a function that unsubscribes */
export function onAuthChange(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** @returns the signed-in account (GET /me), or null */
export function user() {
  return currentUser;
}

export function isAdmin(u = currentUser) {
  return !!u && ((u.roles || []).includes('admin') || (u.permissions || []).includes('catalog.write'));
}

async function parse(res) {
  if (res.status === 204 || res.status === 202 && res.headers.get('content-length') === '0') return null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) return res.json();
  const text = await res.text();
  return text === '' ? null : text;
}

async function refreshTokens() {
  const rt = storedRefresh();
  if (!rt) return false;
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await fetch(`${BASE}/auth/refresh`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: rt }),
        });
        if (!res.ok) {
          if (res.status === 401 || res.status === 403) clearTokens();
          return false;
        }
        storeTokens(await res.json());
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

/**
 * Sends one request. Adds the bearer token when signed in, refreshes it first when it is about to expire,
 * and retries once after a 401 when a refresh succeeds.
 *
 * @param {string} method
 * @param {string} path under /api/v1, e.g. '/titles'
 * @param {{query?: object, json?: any, body?: BodyInit, headers?: object, signal?: AbortSignal, keepalive?: boolean, auth?: boolean, raw?: boolean}} [opts]
 *   raw: answer the fetch Response itself (a PDF, an image) instead of its parsed body
 */
export async function request(method, path, opts = {}) {
  const url = new URL(BASE + path, location.origin);
  for (const [k, v] of Object.entries(opts.query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const send = async () => {
    const headers = { Accept: 'application/json, application/problem+json', ...(opts.headers || {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    if (accessToken && opts.auth !== false) headers.Authorization = `Bearer ${accessToken}`;
    return fetch(url, { method, headers, body, signal: opts.signal, keepalive: opts.keepalive });
  };
  if (opts.auth !== false && storedRefresh() && (!accessToken || Date.now() > accessExpiresAt)) {
    await refreshTokens();
  }
  let res = await send();
  if (res.status === 401 && opts.auth !== false && storedRefresh() && await refreshTokens()) {
    res = await send();
  }
  if (opts.raw && res.ok) return res;
  const data = await parse(res);
  if (!res.ok) {
    const err = new ApiError(res.status, typeof data === 'object' ? data : { detail: data });
    // staff without a second factor, when the server requires one: the app sends them to enrol
    if (res.status === 403 && String(err.problem.type || '').endsWith('/second-factor-required')) {
      window.dispatchEvent(new CustomEvent('kino:second-factor-required', { detail: err }));
    }
    throw err;
  }
  return data;
}

const get = (p, query, o) => request('GET', p, { ...o, query });
const post = (p, json, o) => request('POST', p, { ...o, json });
const patch = (p, json, o) => request('PATCH', p, { ...o, json });
const del = (p, o) => request('DELETE', p, o);
const enc = encodeURIComponent;

// ---- session -------------------------------------------------------------------------------------------

/** Restores a session from the stored refresh token (page load). @returns the user or null */
export async function restoreSession() {
  if (!storedRefresh()) return null;
  if (!(await refreshTokens())) return null;
  return loadMe();
}

async function loadMe() {
  try {
    currentUser = await get('/me');
  } catch (e) {
    currentUser = null;
    if (!(e instanceof ApiError && e.status === 401)) throw e;
  }
  notify();
  return currentUser;
}

export const auth = {
  /** POST /auth/register {email, username, password} → account (201) */
  register: ({ email, username, password }) => post('/auth/register', { email, username, password }, { auth: false }),
  /**
   * POST /auth/login {login, password} → tokens; then GET /me. An account with a second factor gets no tokens but
   * {mfaRequired: true, challenge, factors}: that object is returned, for loginMfa or passkey to complete.
   */
  async login({ login, password }) {
    const t = await post('/auth/login', { login, password }, { auth: false });
    if (t.mfaRequired) return t;
    storeTokens(t);
    return signedIn(await loadMe());
  },
  /** POST /auth/login/mfa {challenge, code} (a code from the app or a recovery code) → tokens; then GET /me */
  async loginMfa({ challenge, code }) {
    storeTokens(await post('/auth/login/mfa', { challenge, code }, { auth: false }));
    return signedIn(await loadMe());
  },
  /**
   * Signs in with a passkey: as the second factor of a challenge, or passwordless without one.
   * POST /auth/passkey/options → navigator.credentials.get → POST /auth/passkey → tokens; then GET /me
   */
  async passkey(challenge) {
    const o = await post('/auth/passkey/options', challenge ? { challenge } : {}, { auth: false });
    const cred = await navigator.credentials.get({ publicKey: webauthn.requestOptions(o.publicKey) });
    storeTokens(await post('/auth/passkey', { ceremony: o.ceremony, credential: webauthn.toJSON(cred) }, { auth: false }));
    return signedIn(await loadMe());
  },
  /** POST /auth/logout {refreshToken} (best effort), then forget the tokens */
  async logout() {
    const rt = storedRefresh();
    try {
      if (rt) await post('/auth/logout', { refreshToken: rt }, { auth: false });
    } catch { /* the session ends locally either way */ }
    clearTokens();
  },
  requestPasswordReset: (email) => post('/auth/password-reset', { email }, { auth: false }),
};

// ---- sign-in with an identity provider (OpenID Connect) ----------------------------------------------------
// The provider's redirect comes back to /login#oidc=<single-use code>: never a token in a URL. The code is swapped
// by POST for what a password sign-in answers (tokens, or a second-factor challenge) or a link to confirm.

export const oidc = {
  /** GET /auth/oidc/providers → {items: [{id, name, startUrl}]} (startUrl: a browser navigation, not a fetch) */
  providers: () => get('/auth/oidc/providers', undefined, { auth: false }),
  /**
   * POST /auth/oidc/exchange {code} → tokens (stored; then GET /me), or {mfaRequired, challenge, factors}, or
   * {linkRequired, linkToken, provider, email, proofs}: those two objects are returned as they are.
   */
  async exchange(code) {
    const t = await post('/auth/oidc/exchange', { code }, { auth: false });
    if (t.mfaRequired || t.linkRequired) return t;
    storeTokens(t);
    return signedIn(await loadMe());
  },
  /** POST /auth/oidc/link/confirm {linkToken, password?, code?} → tokens (then GET /me) or an mfa challenge */
  async confirmLink({ linkToken, password, code }) {
    const t = await post('/auth/oidc/link/confirm', { linkToken, password: password || undefined, code: code || undefined },
      { auth: false });
    if (t.mfaRequired) return t;
    storeTokens(t);
    return signedIn(await loadMe());
  },
  /** GET /me/identities → {items: [{provider, name, email, linkedAt, lastUsedAt}], hasPassword} */
  identities: () => get('/me/identities'),
  /** POST /me/identities/{provider}/link → {authorizationUrl} (the page then navigates there) */
  link: (provider) => post(`/me/identities/${enc(provider)}/link`, {}),
  /** DELETE /me/identities/{provider} */
  unlink: (provider) => del(`/me/identities/${enc(provider)}`),
  /**
   * POST /me/identities/{provider}/reauth → {authorizationUrl}: confirm it is you by signing in there again (an
   * account without a password). The provider comes back to /account/security#reauth=<single-use code>.
   */
  reauth: (provider) => post(`/me/identities/${enc(provider)}/reauth`, {}),
  /** POST /auth/oidc/exchange {code} of a re-authentication → {reauthProof} (one use, 5 minutes, this account) */
  reauthProof: async (code) => (await post('/auth/oidc/exchange', { code }, { auth: false })).reauthProof,
};

/** Tells the app a sign-in just completed (not a restored session): it may ask "who's watching?". */
function signedIn(u) {
  if (u) window.dispatchEvent(new CustomEvent('kino:signed-in', { detail: u }));
  return u;
}

// ---- viewer profiles -------------------------------------------------------------------------------------

export const profiles = {
  /** GET /me/profiles → {profiles: [{id, name, maturity, primary, pinSet, avatarUrl, current, createdAt}], maxProfiles} */
  list: () => get('/me/profiles'),
  /** POST /me/profiles {name, maturity, pin?} → the profile (201); 409 at the account's limit */
  create: (input) => post('/me/profiles', input),
  /** PATCH /me/profiles/{id} {name?, maturity?, pin? (null removes it)} → the profile */
  update: (id, fields) => patch(`/me/profiles/${enc(id)}`, fields),
  /** DELETE /me/profiles/{id}: with its history, list and ratings (not the primary) */
  remove: (id) => del(`/me/profiles/${enc(id)}`),
  /**
   * POST /me/profiles/{id}/select {pin?} → new tokens acting as that profile (403 wrong/missing PIN, 429 locked).
   * Listeners hear of the switch, so the header and the page re-render as the new profile.
   */
  async select(id, pin) {
    storeTokens(await post(`/me/profiles/${enc(id)}/select`, pin ? { pin } : {}));
    notify();
  },
};

export const me = {
  get: () => get('/me'),
  /** PATCH /me {displayName?, preferredAudioLanguages?, preferredSubtitleLanguages?, ...} */
  async update(fields) {
    currentUser = await patch('/me', fields);
    notify();
    return currentUser;
  },
  sessions: (cursor) => get('/me/sessions', { cursor }),
  revokeSession: (id) => del(`/me/sessions/${enc(id)}`),
  /** POST /me/password {currentPassword | code | reauthProof, newPassword} → {signedOut} (other sessions end) */
  changePassword: (proof, newPassword) => post('/me/password', { ...proof, newPassword }),
  /** POST /me/email {email, currentPassword | code | reauthProof} → {pendingEmail, expiresAt} (a link goes to the new address) */
  changeEmail: (email, proof) => post('/me/email', { email, ...proof }),
  /** POST /me/email/verification: another confirmation mail */
  resendVerification: () => post('/me/email/verification', {}),
  /** DELETE /me {currentPassword | code | reauthProof} → {deletionDueAt, gracePeriodDays} */
  deleteAccount: (proof) => del('/me', { json: proof }),
  /** POST /me/deletion/cancel */
  cancelDeletion: () => post('/me/deletion/cancel', {}),
  /** GET /me/export → the JSON archive, as a Blob to save */
  async exportData() {
    const res = await request('GET', '/me/export', { raw: true });
    return res.blob();
  },
};

// ---- catalogue (GET /api/v1/openapi.json documents every shape) ----------------------------------------

export const titles = {
  /**
   * GET /titles?q=&type=movie|series&genre=&tag=&year=&audio=&subtitle=&sort=newest|title|popularity&limit=&cursor=
   * → {items: [TitleSummary {id, kind, originalTitle, titles: {lang: name}, year, ageRating, genres, ...}], next}
   */
  list: ({ q, type, genre, tag, year, audio, subtitle, sort, limit = 24, cursor } = {}, o) => get('/titles',
    { q, type, genre, tag, year, audio, subtitle, sort, limit, cursor }, o),
  /** GET /titles/{id} → TitleDetail {…, synopses, seasons: [{id, number, name, episodes: [MediaView]}], media: [MediaView]} */
  get: (id) => get(`/titles/${enc(id)}`),
  /** POST /titles TitleInput {kind, originalTitle, originalLanguage?, titles?, synopses?, year?, genres?, …} (admin) */
  create: (input) => post('/titles', input),
  /** POST /titles/{id}/media MediaInput {seasonNumber?, episodeNumber?, name?, protection?, access?} → MediaView (admin) */
  createMedia: (titleId, input) => post(`/titles/${enc(titleId)}/media`, input),
};

export const media = {
  /** GET /media/{id} → MediaView {id, titleId, seasonNumber, episodeNumber, name, durationSeconds, state, …} */
  get: (id) => get(`/media/${enc(id)}`),
  /** POST /media/{id}/source {uploadId} → MediaView (admin) */
  setSource: (id, uploadId) => post(`/media/${enc(id)}/source`, { uploadId }),
  /** POST /media/{id}/package {protection?, ladder?} → 202 JobView (admin) */
  package: (id, input = {}) => post(`/media/${enc(id)}/package`, input),
  /** POST /media/{id}/publish → MediaView (admin) */
  publish: (id) => post(`/media/${enc(id)}/publish`, {}),
};

// ---- playback ------------------------------------------------------------------------------------------

export const playback = {
  /**
   * POST /playback {mediaId} → PlaybackGrant {sessionId, hlsUrl, dashUrl?, licenceUrl?, resumePositionSeconds,
   * maxResolution?, expiresAt}, normalised for the player (see normalisePlayback).
   */
  start: async (mediaId) => normalisePlayback(await post('/playback', { mediaId })),
  /** PUT /playback/progress {mediaId, positionSeconds (integer)} → 204 */
  progress: (mediaId, seconds, { keepalive = false } = {}) => request('PUT', '/playback/progress', {
    json: { mediaId, positionSeconds: Math.max(0, Math.floor(seconds)) }, keepalive,
  }),
  /** POST /playback/events {events: [...]} → {accepted, refused: [{index, reason, detail}]} (viewing analytics) */
  events: (events, { keepalive = false } = {}) => request('POST', '/playback/events', { json: { events }, keepalive }),
  /** DELETE /playback/sessions/{id} → 204: frees the account's concurrent-stream slot */
  stop: (sessionId, { keepalive = false } = {}) => request('DELETE', `/playback/sessions/${enc(sessionId)}`, { keepalive }),
};

// ---- analytics (analytics.read) -----------------------------------------------------------------------

export const analytics = {
  /** GET /admin/analytics/overview {from?, to?, interval?} → Overview */
  overview: (q) => get('/admin/analytics/overview', q),
  /** GET /admin/analytics/qoe {from?, to?, interval?, titleId?} → QoeReport */
  qoe: (q) => get('/admin/analytics/qoe', q),
  /** GET /admin/analytics/now → {concurrentViewers, at} */
  now: () => get('/admin/analytics/now'),
  /** GET /admin/analytics/engagement {from?, to?, interval?} → EngagementReport */
  engagement: (q) => get('/admin/analytics/engagement', q),
  /** The same report as CSV (Accept: text/csv), one table of it → Blob */
  csv: async (report, q) => (await request('GET', `/admin/analytics/${report}`, {
    query: q, headers: { Accept: 'text/csv' }, raw: true,
  })).blob(),
};

/** The playback grant in the player's words (licenseUrl for Shaka's drm.servers, resumeSeconds). */
export function normalisePlayback(p) {
  return {
    sessionId: p.sessionId || null,
    hlsUrl: p.hlsUrl || null,
    dashUrl: p.dashUrl || null,
    licenseUrl: p.licenceUrl || null,
    resumeSeconds: Number(p.resumePositionSeconds || 0),
    maxResolution: p.maxResolution || null,
    expiresAt: p.expiresAt || null,
  };
}

// ---- watchlist and continue watching -------------------------------------------------------------------

export const watchlist = {
  /** GET /me/watchlist → {items: [{titleId, addedAt, title: TitleSummary}], next} */
  list: (cursor) => get('/me/watchlist', { cursor }),
  /** GET /me/watchlist/{titleId} → {titleId, inWatchlist, addedAt} */
  status: (titleId) => get(`/me/watchlist/${enc(titleId)}`),
  /** PUT /me/watchlist/{titleId} → {titleId, inWatchlist: true, addedAt} (idempotent) */
  add: (titleId) => request('PUT', `/me/watchlist/${enc(titleId)}`),
  /** DELETE /me/watchlist/{titleId} → 204 (idempotent) */
  remove: (titleId) => del(`/me/watchlist/${enc(titleId)}`),
};

export const continueWatching = {
  /** GET /me/continue-watching → {items: [{title, media: MediaView, positionSeconds, durationSeconds, progress, updatedAt}], next} */
  list: (cursor) => get('/me/continue-watching', { cursor }),
};

// ---- recommendations ---------------------------------------------------------------------------------------

export const recommendations = {
  /** GET /me/recommendations → {basis: history|taste|trending, computedAt, shelves: [{kind, heading, anchor, genre, items: [TitleSummary]}]} */
  shelves: () => get('/me/recommendations'),
  /** GET /me/taste → {genres, titleIds, updatedAt, availableGenres} */
  taste: () => get('/me/taste'),
  /** PUT /me/taste {genres, titleIds} → the same shape as taste() */
  setTaste: (genres, titleIds = []) => request('PUT', '/me/taste', { json: { genres, titleIds } }),
  /** GET /titles/{id}/similar → {titleId, items: [TitleSummary]} */
  similar: (id) => get(`/titles/${enc(id)}/similar`),
  /** GET /titles/trending?genre= → {items: [TitleSummary]} */
  trending: (genre) => get('/titles/trending', { genre }),
};

// ---- uploads, jobs (admin) -----------------------------------------------------------------------------

export const uploads = {
  /** POST /uploads {filename, size, sha256} → UploadView {id, received, maxChunkBytes, state, …} */
  create: ({ filename, size, sha256 }) => post('/uploads', { filename, size, sha256 }),
  /** GET /uploads/{id} → UploadView ({received} is the offset to resume at) */
  get: (id) => get(`/uploads/${enc(id)}`),
  /** PUT /uploads/{id}/chunks/{offset} with the raw bytes → UploadView */
  putChunk: (id, offset, blob, signal) => request('PUT', `/uploads/${enc(id)}/chunks/${offset}`, {
    body: blob, headers: { 'Content-Type': 'application/octet-stream' }, signal,
  }),
  /** DELETE /uploads/{id} → 204 */
  abort: (id) => del(`/uploads/${enc(id)}`),
};

export const jobs = {
  /** GET /jobs/{id} → JobView {id, mediaId, state: queued|running|succeeded|failed|cancelled, progress 0..1, error} */
  get: (id) => get(`/jobs/${enc(id)}`),
  /** GET /jobs?state=&mediaId= (newest first) */
  list: ({ state, mediaId, cursor } = {}) => get('/jobs', { state, mediaId, cursor }),
};

// ---- community: comments, reactions, ratings, reports -----------------------------------------------------

const put = (p, json, o) => request('PUT', p, { ...o, json });

export const comments = {
  /** GET /titles/{id}/comments or /media/{id}/comments → {items: [CommentView], next} */
  list: (on, id, sort, cursor) => get(`/${on === 'media' ? 'media' : 'titles'}/${enc(id)}/comments`, { sort, cursor }),
  /** POST …/comments {body, parentId?, quoteId?, spoiler} → CommentView */
  create: (on, id, c) => post(`/${on === 'media' ? 'media' : 'titles'}/${enc(id)}/comments`, c),
  /** GET /comments/{id}/replies → {items, next} */
  replies: (id, cursor) => get(`/comments/${enc(id)}/replies`, { cursor }),
  /** DELETE /comments/{id} */
  remove: (id) => del(`/comments/${enc(id)}`),
  /** PUT /comments/{id}/reaction {value} or DELETE → {likes, dislikes, mine} */
  react: (id, value) => value ? put(`/comments/${enc(id)}/reaction`, { value }) : del(`/comments/${enc(id)}/reaction`),
};

export const reactions = {
  /** GET /titles/{id}/reaction → {likes, dislikes, mine} */
  get: (id) => get(`/titles/${enc(id)}/reaction`),
  /** PUT /titles/{id}/reaction {value} or DELETE */
  set: (id, value) => value ? put(`/titles/${enc(id)}/reaction`, { value }) : del(`/titles/${enc(id)}/reaction`),
};

export const ratings = {
  /** GET /titles/{id}/rating → {count, average, weighted, distribution, mine} */
  get: (id) => get(`/titles/${enc(id)}/rating`),
  /** PUT /titles/{id}/rating {score} or DELETE */
  set: (id, score) => score ? put(`/titles/${enc(id)}/rating`, { score }) : del(`/titles/${enc(id)}/rating`),
};

export const reports = {
  /** POST /reports {targetType, targetId, reason, note} */
  create: (targetType, targetId, reason, note) => post('/reports', { targetType, targetId, reason, note: note || undefined }),
};

export const moderation = {
  /** GET /moderation/reports?status= → {items: [CaseView], next} */
  queue: (status, cursor) => get('/moderation/reports', { status, cursor }),
  /** POST /moderation/reports/{id}/actions {action, reason, durationHours?} */
  act: (id, action, reason) => post(`/moderation/reports/${enc(id)}/actions`, { action, reason }),
};

export const forum = {
  categories: () => get('/forum/categories'),
  threads: (categoryId, cursor) => get(`/forum/categories/${enc(categoryId)}/threads`, { cursor }),
  createThread: (categoryId, subject, body) => post(`/forum/categories/${enc(categoryId)}/threads`, { subject, body }),
  thread: (id) => get(`/forum/threads/${enc(id)}`),
  posts: (id, cursor) => get(`/forum/threads/${enc(id)}/posts`, { cursor, limit: 50 }),
  post: (id, body, quoteId) => post(`/forum/threads/${enc(id)}/posts`, { body, quoteId: quoteId || undefined }),
  read: (id, seq) => put(`/forum/threads/${enc(id)}/read`, { seq }),
};

export const people = {
  /** GET /users/{username} → public profile */
  profile: (username) => get(`/users/${enc(username)}`),
};

/** @returns true when the signed-in user may moderate */
export function canModerate(u = currentUser) {
  return !!u && (u.permissions || []).includes('comments.moderate');
}

// ---- notifications and follows ----------------------------------------------------------------------------

export const notifications = {
  /** GET /me/notifications?unread=&cursor= → {items: [NotificationView], next} */
  list: ({ unread, cursor } = {}) => get('/me/notifications', { unread: unread ? 'true' : undefined, cursor }),
  /** POST /me/notifications/read {ids} or {all: true} → {marked, unread} */
  read: (ids) => post('/me/notifications/read', ids === 'all' ? { all: true } : { ids }),
  /** GET /me/notifications/unread-count → {unread} */
  unreadCount: () => get('/me/notifications/unread-count'),
  /** POST /me/notifications/stream-ticket → {ticket, expiresIn} */
  ticket: () => post('/me/notifications/stream-ticket', {}),
  /** GET /me/notification-settings → {settings: [{type, inApp, email, locked}]} */
  settings: () => get('/me/notification-settings'),
  /** PUT /me/notification-settings {settings: [{type, inApp?, email?}]} */
  saveSettings: (settings) => put('/me/notification-settings', { settings }),
  /** GET /notifications/unsubscribe?… (no sign-in) → {account, types} */
  describeUnsubscribe: (query) => request('GET', `/notifications/unsubscribe${query}`, { auth: false }),
  /** POST /notifications/unsubscribe?… (no sign-in) → {account, types} */
  unsubscribe: (query) => request('POST', `/notifications/unsubscribe${query}`, { auth: false }),
};

export const follows = {
  /** GET /me/follows/titles/{id} → {following} */
  title: (id) => get(`/me/follows/titles/${enc(id)}`),
  /** PUT or DELETE /me/follows/titles/{id} */
  setTitle: (id, on) => on ? put(`/me/follows/titles/${enc(id)}`, {}) : del(`/me/follows/titles/${enc(id)}`),
  /** PUT or DELETE /me/follows/threads/{id} */
  setThread: (id, on) => on ? put(`/me/follows/threads/${enc(id)}`, {}) : del(`/me/follows/threads/${enc(id)}`),
  /** GET /me/follows/users/{username} → {following} */
  user: (username) => get(`/me/follows/users/${enc(username)}`),
  /** PUT or DELETE /me/follows/users/{username} */
  setUser: (username, on) => on ? put(`/me/follows/users/${enc(username)}`, {}) : del(`/me/follows/users/${enc(username)}`),
};

// ---- billing ---------------------------------------------------------------------------------------------

export const billing = {
  plans: () => get('/plans'),
  subscription: () => get('/me/subscription'),
  checkout: (planId, promotionCode) => post('/billing/checkout', { planId, promotionCode: promotionCode || undefined }),
  portal: () => get('/billing/portal'),
  invoices: () => get('/me/invoices'),
  /** @returns a Blob of the invoice's PDF */
  invoicePdf: async (id) => (await request('GET', `/me/invoices/${enc(id)}/pdf`, { raw: true })).blob(),
};

export const search = {
  /** GET /search?q=&type=&genre=&year=&audio=&subtitle=&cursor= → {hits, facets, total, partial, next} */
  titles: (params = {}) => get('/search', params),
  /** GET /search/suggest?q= → {suggestions: [{id, name, type, year, highlight}]}; opts.signal aborts it */
  suggest: (q, opts = {}) => get('/search/suggest', { q }, { signal: opts.signal }),
  /** GET /forum/search?q=&cursor= → {hits, next} */
  forum: ({ q, cursor } = {}) => get('/forum/search', { q, cursor }),
};

// ---- second factors ------------------------------------------------------------------------------------

/** WebAuthn options and credentials between their JSON form (base64url byte strings) and the browser's. */
export const webauthn = {
  bytes(b64url) {
    const s = atob(b64url.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((b64url.length + 3) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0)).buffer;
  },
  b64url(buffer) {
    let s = '';
    for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  creationOptions(o) {
    return {
      ...o,
      challenge: this.bytes(o.challenge),
      user: { ...o.user, id: this.bytes(o.user.id) },
      excludeCredentials: (o.excludeCredentials || []).map((c) => ({ ...c, id: this.bytes(c.id) })),
    };
  },
  requestOptions(o) {
    return {
      ...o,
      challenge: this.bytes(o.challenge),
      allowCredentials: (o.allowCredentials || []).map((c) => ({ ...c, id: this.bytes(c.id) })),
    };
  },
  /** PublicKeyCredential → its JSON (credential.toJSON() where the browser has it) */
  toJSON(cred) {
    if (typeof cred.toJSON === 'function') return cred.toJSON();
    const r = cred.response;
    const response = { clientDataJSON: this.b64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = this.b64url(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    } else {
      response.authenticatorData = this.b64url(r.authenticatorData);
      response.signature = this.b64url(r.signature);
      if (r.userHandle) response.userHandle = this.b64url(r.userHandle);
    }
    return { id: cred.id, rawId: this.b64url(cred.rawId), type: cred.type, response,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {} };
  },
};

export const mfa = {
  /** GET /me/mfa → {totp, totpPending, recoveryCodesLeft, passkeys} */
  status: () => get('/me/mfa'),
  /** POST /me/mfa/totp → {secret, otpauthUri, qrCode} */
  startTotp: () => post('/me/mfa/totp', {}),
  /** POST /me/mfa/totp/confirm {code} → {recoveryCodes} */
  confirmTotp: (code) => post('/me/mfa/totp/confirm', { code }),
  /** DELETE /me/mfa/totp {code?, password?} */
  removeTotp: (proof) => request('DELETE', '/me/mfa/totp', { json: proof }),
  /** POST /me/mfa/recovery-codes {code?, password?} → {recoveryCodes} */
  newRecoveryCodes: (proof) => post('/me/mfa/recovery-codes', proof),
};

export const passkeys = {
  /** GET /me/passkeys → {items: [{id, name, createdAt, lastUsedAt}]} */
  list: () => get('/me/passkeys'),
  /** POST /me/passkeys/registration → navigator.credentials.create → POST /me/passkeys → {passkey, recoveryCodes?} */
  async register(name) {
    const o = await post('/me/passkeys/registration', {});
    const cred = await navigator.credentials.create({ publicKey: webauthn.creationOptions(o.publicKey) });
    return post('/me/passkeys', { ceremony: o.ceremony, credential: webauthn.toJSON(cred), name });
  },
  /** DELETE /me/passkeys/{id} {code?, password?} */
  remove: (id, proof) => request('DELETE', `/me/passkeys/${enc(id)}`, { json: proof }),
};
