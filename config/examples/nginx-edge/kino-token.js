/*
 * Kino playback token check for an nginx CDN edge (njs 0.7.8 or newer; Debian: libnginx-mod-http-js).
 *
 * Implements protocol/TOKENS.md §5 exactly as the origin's TokenVerifier does, in the same order, so the
 * edge refuses what the origin would refuse, with the same reason, before any cache lookup:
 *
 *   1. malformed            syntax only: ≤ 1024 chars, "1" "." kid(1–32) "." claims(1+) "." mac(43), base64url
 *   2. unknown-key          kid not in the key ring (js_preload_object kino_token_keys, kid → base64 secret)
 *   3. bad-signature        base64url(HMAC-SHA256(secret, signing input)) ≠ MAC text, compared in constant time
 *   4. malformed            claims not canonical base64url or not one valid version-1 claims record (§4)
 *   5. not-yet-valid        now < nbf − skew          expired   now ≥ exp + skew   (skew: $kino_token_clock_skew s)
 *   6. path-not-allowed     protected path (as received: no decoding) not safe or not under the path prefix
 *   7. address-not-allowed  client range present and the client address ($remote_addr) unknown or outside it
 *
 * Entry point: verdict(r), for js_set. It returns "ok" or one of the reasons above (as the origin spells them
 * in its problem details: lower case, '-' for '_'), or "edge-error" if the check itself failed (a missing key
 * ring, say): nginx.conf refuses every value but "ok", so the edge fails closed.
 *
 * Nothing here keeps state between requests (njs gives every request a fresh VM); the key ring is read once,
 * by the master process at (re)load, from the JSON file named by js_preload_object.
 */

const crypto = require('crypto');

const MAX_TOKEN_LENGTH = 1024;
const MAX_PATH_LENGTH = 4 * MAX_TOKEN_LENGTH; // PlaybackClaims.allowsPath's bound on the protected path
const MAX_PATH_PREFIX_LENGTH = 255;
const MAX_ID_LENGTH = 128;
const MAX_EPOCH_SECOND = 253402300799; // 9999-12-31T23:59:59Z
const MAX_CLOCK_SKEW = 3600; // TokenVerifier.MAX_CLOCK_SKEW, seconds
const FLAG_CLIENT_RANGE = 0x01;
const FLAG_USER_ID = 0x02;
const FLAG_SESSION_ID = 0x04;
const FLAG_MAX_HEIGHT = 0x08;
const FLAG_OFFLINE = 0x10;
const KNOWN_FLAGS = FLAG_CLIENT_RANGE | FLAG_USER_ID | FLAG_SESSION_ID | FLAG_MAX_HEIGHT | FLAG_OFFLINE;
// §4 max height: the packager names video renditions video-<height>p (playlists, I-frame playlists, folders).
const VIDEO_RENDITION = /(?:^|\/)video-([0-9]{1,5})p(?:-iframes)?(?:\.m3u8)?(?:\/|$)/;

// §2: version "1", kid, claims, 43-character MAC; only base64url characters and exactly three dots.
const TOKEN = /^1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
// §1: /v/{token}{protected path}, taken from $request_uri (the request target exactly as received), up to '?'.
const TOKEN_URL = /^\/v\/([^\/?]*)([^?]*)/;
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** js_set handler: "ok" or why the request's token does not grant it. */
function verdict(r) {
    try {
        if (r.method === 'OPTIONS') {
            return 'ok'; // a CORS preflight carries no credentials; the origin answers it without a token
        }
        const m = TOKEN_URL.exec(requestTarget(r));
        if (m === null) {
            return 'malformed';
        }
        return verify(m[1], m[2], r.remoteAddress, Date.now(), clockSkew(r), kino_token_keys);
    } catch (e) {
        r.error('kino token check failed: ' + e);
        return 'edge-error';
    }
}

/**
 * $request_uri one character per byte. The text form njs gives for r.variables is UTF-8, which a request target
 * need not be (a raw 0xFC byte, say), and its regular expressions refuse invalid UTF-8: read the bytes instead,
 * so such a target fails the checks with the origin's reason (MALFORMED in the token, PATH_NOT_ALLOWED after it).
 */
function requestTarget(r) {
    const bytes = r.rawVariables.request_uri;
    let s = '';
    for (let i = 0; i < bytes.length; i++) {
        s += String.fromCharCode(bytes[i]);
    }
    return s;
}

function clockSkew(r) {
    const text = r.variables.kino_token_clock_skew;
    const skew = /^[0-9]{1,4}$/.test(text || '') ? parseInt(text, 10) : NaN;
    if (!(skew <= MAX_CLOCK_SKEW)) {
        throw new Error('$kino_token_clock_skew must be 0 to ' + MAX_CLOCK_SKEW + ' seconds, not "' + text + '"');
    }
    return skew;
}

/**
 * @param token the token path segment as received
 * @param path the protected path: the request path after /v/{token}, as received, without the query
 * @param client the client address text ($remote_addr), IPv4 or IPv6
 * @param nowMillis the current time, epoch milliseconds
 * @param skew clock-skew allowance, seconds
 * @param keys the key ring: kid → standard base64 of the secret
 * @return "ok" or the failure reason
 */
function verify(token, path, client, nowMillis, skew, keys) {
    // 1. Syntax, nothing decoded.
    if (token.length > MAX_TOKEN_LENGTH) {
        return 'malformed';
    }
    const t = TOKEN.exec(token);
    if (t === null) {
        return 'malformed';
    }
    // 2. Key lookup. Own properties only: a kid such as "__proto__" or "constructor" must not find one.
    const kid = t[1];
    if (!Object.prototype.hasOwnProperty.call(keys, kid)) {
        return 'unknown-key';
    }
    // 3. MAC over the exact transmitted bytes up to the last '.', compared as text in constant time.
    const signingInput = token.substring(0, token.length - 44);
    const expected = crypto.createHmac('sha256', Buffer.from(keys[kid], 'base64')).update(signingInput)
        .digest('base64url');
    if (!constantTimeEquals(expected, t[3])) {
        return 'bad-signature';
    }
    // 4. Authentic: decode the claims.
    const bytes = decodeBase64Url(t[2]);
    const claims = bytes === null ? null : decodeClaims(bytes);
    if (claims === null) {
        return 'malformed';
    }
    // 5. Valid iff nbf − skew ≤ now < exp + skew.
    if (nowMillis < (claims.notBefore - skew) * 1000) {
        return 'not-yet-valid';
    }
    if (nowMillis >= (claims.expiresAt + skew) * 1000) {
        return 'expired';
    }
    // 6. Byte-wise prefix test on the path as received; the prefix ends with '/', so it matches whole segments.
    if (!(path.startsWith(claims.pathPrefix) && isSafePath(path, MAX_PATH_LENGTH))) {
        return 'path-not-allowed';
    }
    // 7. Client range.
    if (claims.range !== null && !rangeContains(claims.range, parseAddress(client))) {
        return 'address-not-allowed';
    }
    // 8. Rendition cap: no video rendition above it, cached or not.
    if (claims.maxHeight !== 0) {
        const rendition = VIDEO_RENDITION.exec(path);
        if (rendition !== null && parseInt(rendition[1], 10) > claims.maxHeight) {
            return 'rendition-not-allowed';
        }
    }
    return 'ok';
}

/**
 * js_set handler: the rendition cap of a valid token ("" without one), for the cache key of what the origin writes
 * per cap (the multivariant playlist). Only read after verdict() said "ok".
 */
function cap(r) {
    const m = TOKEN_URL.exec(requestTarget(r));
    const t = m === null ? null : TOKEN.exec(m[1]);
    const bytes = t === null ? null : decodeBase64Url(t[2]);
    const claims = bytes === null ? null : decodeClaims(bytes);
    return claims === null || claims.maxHeight === 0 ? '' : 'h' + claims.maxHeight;
}

function constantTimeEquals(a, b) {
    if (a.length !== b.length) {
        return false; // both are 43 characters here; lengths are public anyway
    }
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
        diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
    }
    return diff === 0;
}

/** Strict unpadded base64url (RFC 4648 §5): length not 1 mod 4, unused trailing bits zero; else null. */
function decodeBase64Url(s) {
    if (s.length % 4 === 1) {
        return null;
    }
    const out = [];
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < s.length; i++) {
        const v = B64URL.indexOf(s.charAt(i));
        if (v < 0) {
            return null;
        }
        acc = (acc << 6) | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push((acc >>> bits) & 0xff);
            acc &= (1 << bits) - 1;
        }
    }
    return acc === 0 ? out : null;
}

/** §4: exactly one version-1 claims record, or null. */
function decodeClaims(b) {
    let p = 0;
    const need = (n) => {
        if (p + n > b.length) {
            throw new RangeError('short');
        }
    };
    const u64 = () => {
        need(8);
        let hi = 0;
        let lo = 0;
        for (let i = 0; i < 4; i++) {
            hi = hi * 256 + b[p + i];
            lo = lo * 256 + b[p + 4 + i];
        }
        p += 8;
        return hi * 4294967296 + lo; // exact below 2^53; anything that large is out of range below
    };
    // Length-prefixed visible ASCII (0x21–0x7E), 1 to max characters.
    const shortString = (max) => {
        need(1);
        const n = b[p++];
        need(n);
        if (n === 0 || n > max) {
            return null;
        }
        let s = '';
        for (let i = 0; i < n; i++) {
            const c = b[p + i];
            if (c < 0x21 || c > 0x7e) {
                return null;
            }
            s += String.fromCharCode(c);
        }
        p += n;
        return s;
    };
    try {
        need(1);
        const flags = b[p++];
        if ((flags & ~KNOWN_FLAGS) !== 0) {
            return null;
        }
        const notBefore = u64();
        const expiresAt = u64();
        if (notBefore > MAX_EPOCH_SECOND || expiresAt > MAX_EPOCH_SECOND || expiresAt <= notBefore) {
            return null;
        }
        const pathPrefix = shortString(MAX_PATH_PREFIX_LENGTH);
        if (pathPrefix === null || !pathPrefix.endsWith('/') || !isSafePath(pathPrefix, MAX_PATH_PREFIX_LENGTH)) {
            return null;
        }
        let range = null;
        if (flags & FLAG_CLIENT_RANGE) {
            need(2);
            const family = b[p++];
            const size = family === 4 ? 4 : family === 6 ? 16 : -1;
            if (size < 0) {
                return null;
            }
            const prefixLength = b[p++];
            need(size);
            const network = b.slice(p, p + size);
            p += size;
            // Canonical ranges only: prefix length within the family, host bits zero, never IPv4-mapped IPv6.
            if (prefixLength > size * 8 || !hostBitsZero(network, prefixLength) || (size === 16 && isIpv4Mapped(network))) {
                return null;
            }
            range = { network: network, prefixLength: prefixLength };
        }
        if ((flags & FLAG_USER_ID) && shortString(MAX_ID_LENGTH) === null) {
            return null;
        }
        if ((flags & FLAG_SESSION_ID) && shortString(MAX_ID_LENGTH) === null) {
            return null;
        }
        let maxHeight = 0;
        if (flags & FLAG_MAX_HEIGHT) {
            need(2);
            maxHeight = (b[p] << 8) | b[p + 1];
            p += 2;
            if (maxHeight === 0) {
                return null; // non-canonical: no cap is written as no flag
            }
        }
        if (p !== b.length) {
            return null; // trailing bytes
        }
        return { notBefore: notBefore, expiresAt: expiresAt, pathPrefix: pathPrefix, range: range, maxHeight: maxHeight };
    } catch (e) {
        if (e instanceof RangeError) {
            return null; // truncated record
        }
        throw e;
    }
}

/**
 * §5 step 6: starts with '/', only RFC 3986 §2.3 unreserved characters and '/', no empty segment (a trailing
 * '/' is allowed), no '.' or '..' segment. Nothing is percent-decoded: a path that needs it is not safe.
 */
function isSafePath(path, maxLength) {
    if (path.length === 0 || path.length > maxLength || path.charAt(0) !== '/') {
        return false;
    }
    let segStart = 1;
    const n = path.length;
    for (let i = 1; i <= n; i++) {
        const c = i < n ? path.charAt(i) : '/';
        if (c === '/') {
            const segLen = i - segStart;
            if (segLen === 0) {
                if (i !== n) {
                    return false;
                }
            } else if (path.charAt(segStart) === '.' && (segLen === 1 || (segLen === 2 && path.charAt(segStart + 1) === '.'))) {
                return false;
            }
            segStart = i + 1;
        } else if (!/[A-Za-z0-9._~-]/.test(c)) {
            return false;
        }
    }
    return true;
}

function hostBitsZero(network, prefixLength) {
    for (let bit = prefixLength; bit < network.length * 8; bit++) {
        if (network[bit >> 3] & (0x80 >> (bit & 7))) {
            return false;
        }
    }
    return true;
}

function isIpv4Mapped(a) {
    for (let i = 0; i < 10; i++) {
        if (a[i] !== 0) {
            return false;
        }
    }
    return a[10] === 0xff && a[11] === 0xff;
}

/** Whether the client address (4 or 16 bytes, or null when unknown) is inside the range. */
function rangeContains(range, address) {
    if (address === null) {
        return false;
    }
    // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d: matched as the IPv4 address.
    const a = address.length === 16 && isIpv4Mapped(address) ? address.slice(12) : address;
    if (a.length !== range.network.length) {
        return false; // IPv4 ranges never match IPv6 clients, nor IPv6 ranges (even ::/0) IPv4 clients
    }
    for (let bit = 0; bit < range.prefixLength; bit++) {
        const mask = 0x80 >> (bit & 7);
        if ((a[bit >> 3] & mask) !== (range.network[bit >> 3] & mask)) {
            return false;
        }
    }
    return true;
}

/** IPv4 dotted quad (RFC 791) or IPv6 text (RFC 4291 §2.2, a zone id ignored) → bytes; null otherwise. */
function parseAddress(text) {
    if (typeof text !== 'string') {
        return null;
    }
    if (text.indexOf(':') < 0) {
        return parseIpv4(text);
    }
    const zone = text.indexOf('%');
    const s = zone >= 0 ? text.substring(0, zone) : text;
    const halves = s.split('::');
    if (halves.length > 2) {
        return null;
    }
    const head = parseGroups(halves[0], halves.length === 1);
    const tail = halves.length === 2 ? parseGroups(halves[1], true) : [];
    if (head === null || tail === null) {
        return null;
    }
    const missing = 16 - head.length - tail.length;
    if (halves.length === 1 ? missing !== 0 : missing < 2) {
        return null; // "::" stands for at least one group of zeros
    }
    return head.concat(new Array(missing).fill(0), tail);
}

/** Colon-separated hex groups, the last one possibly a dotted quad when it ends the address → bytes. */
function parseGroups(s, last) {
    if (s === '') {
        return [];
    }
    const groups = s.split(':');
    const out = [];
    for (let i = 0; i < groups.length; i++) {
        const g = groups[i];
        if (last && i === groups.length - 1 && g.indexOf('.') >= 0) {
            const v4 = parseIpv4(g);
            if (v4 === null) {
                return null;
            }
            return out.concat(v4);
        }
        if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) {
            return null;
        }
        const v = parseInt(g, 16);
        out.push(v >> 8, v & 0xff);
    }
    return out;
}

function parseIpv4(s) {
    const m = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/.exec(s);
    if (m === null) {
        return null;
    }
    const out = [];
    for (let i = 1; i <= 4; i++) {
        const v = parseInt(m[i], 10);
        if (v > 255) {
            return null;
        }
        out.push(v);
    }
    return out;
}

export default { verdict, verify, cap };
