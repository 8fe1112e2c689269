// Fixture servers for developing without the Kino servers (see run.sh --fixtures):
//   media server  serves e2e/.fixtures on another origin with CORS, and a ClearKey licence endpoint
//   app server    serves web/ (and the player libraries the control-api build packaged) plus mock-api.js
// Both listen on 127.0.0.1 with a port picked by the OS.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY, KID } from './fixtures.js';
import { createMockApi } from './mock-api.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const WEB_DIR = path.join(REPO, 'web');
export const VENDOR_DIR = path.join(REPO, 'control-api', 'target', 'classes', 'kino-web', 'vendor');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.m3u8': 'application/vnd.apple.mpegurl',
  '.mpd': 'application/dash+xml', '.mp4': 'video/mp4', '.m4s': 'video/iso.segment', '.vtt': 'text/vtt',
  '.jpg': 'image/jpeg', '.png': 'image/png', '.bin': 'application/octet-stream',
};
// Same policy as dev.kino.control.web.WebApp.CONTENT_SECURITY_POLICY, so CSP breakage shows up here too.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
  + "img-src 'self' data: blob: http: https:; media-src 'self' blob: http: https:; "
  + "connect-src 'self' http: https:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
  + "form-action 'self'; frame-ancestors 'none'";
const APP_ROUTES = new Set(['browse', 'search', 'title', 'watch', 'login', 'register', 'watchlist', 'account', 'admin', 'verify-email', 'reset-password']);

/** Resolves a URL path inside root, or null (no '..', no hidden names). */
function safeJoin(root, urlPath) {
  const segs = decodeURIComponent(urlPath).split('/').filter(Boolean);
  if (segs.some((s) => s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return null;
  const p = path.join(root, ...segs);
  return p.startsWith(root) ? p : null;
}

function sendFile(res, file, method, extra = {}) {
  let st;
  try { st = fs.statSync(file); } catch { st = null; }
  if (!st || !st.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain', ...extra });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
    'Content-Length': st.size, 'Cache-Control': 'no-cache', ...extra,
  });
  if (method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
}

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

const b64url = (hex) => Buffer.from(hex, 'hex').toString('base64url');

/** Media origin: /media/** from the fixtures folder, CORS for any origin, ClearKey licences. */
export async function startMediaServer(fixturesDir) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Content-Length, Content-Range' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD, POST', 'Access-Control-Allow-Headers': 'Content-Type, Range', 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/media/dash/license/clearkey') {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        let kids = [];
        try { kids = JSON.parse(body).kids || []; } catch { /* empty */ }
        const keys = kids.filter((k) => k === b64url(KID)).map((kid) => ({ kty: 'oct', kid, k: b64url(KEY) }));
        res.writeHead(keys.length ? 200 : 403, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ keys, type: 'temporary' }));
      });
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/media/')) {
      const file = safeJoin(fixturesDir, url.pathname.slice('/media/'.length));
      if (file) {
        sendFile(res, file, req.method, cors);
        return;
      }
    }
    res.writeHead(404, cors);
    res.end();
  });
  const origin = await listen(server);
  return { origin, requests, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

/** App origin: web/ with index.html for app routes, /vendor/ from the control-api build, /api/v1 mocked. */
export async function startAppServer({ mediaOrigin }) {
  if (!fs.existsSync(VENDOR_DIR)) {
    throw new Error(`${VENDOR_DIR} is missing: build the control API first `
      + '(mvn -B -q -pl control-api -am package -Dmaven.test.skip=true)');
  }
  const api = createMockApi({ mediaOrigin });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/')) {
      api.handle(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const file = url.pathname.startsWith('/vendor/')
      ? safeJoin(VENDOR_DIR, url.pathname.slice('/vendor/'.length))
      : safeJoin(WEB_DIR, url.pathname);
    const first = url.pathname.split('/')[1] || '';
    const last = url.pathname.split('/').pop();
    const doc = { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' };
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) sendFile(res, file, req.method, file.endsWith('.html') ? doc : {});
    else if (url.pathname === '/' || (APP_ROUTES.has(first) && !last.includes('.'))) sendFile(res, path.join(WEB_DIR, 'index.html'), req.method, doc);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  const origin = await listen(server);
  return { origin, api, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}
