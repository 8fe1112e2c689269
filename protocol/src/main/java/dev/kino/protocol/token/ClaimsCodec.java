package dev.kino.protocol.token;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Binary claims layout of version 1 (see {@code protocol/TOKENS.md}, "Claims bytes") and strict
 * unpadded base64url (RFC 4648 §5). Package-private: the public surface is signer and verifier.
 */
final class ClaimsCodec {

    static final int FLAG_CLIENT_RANGE = 0x01;
    static final int FLAG_USER_ID = 0x02;
    static final int FLAG_SESSION_ID = 0x04;
    static final int FLAG_MAX_HEIGHT = 0x08;
    static final int FLAG_OFFLINE = 0x10;
    static final int KNOWN_FLAGS = FLAG_CLIENT_RANGE | FLAG_USER_ID | FLAG_SESSION_ID | FLAG_MAX_HEIGHT | FLAG_OFFLINE;
    static final int FAMILY_IPV4 = 4;
    static final int FAMILY_IPV6 = 6;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] DECODE = new byte[128];

    static {
        Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private ClaimsCodec() {
    }

    static byte[] encode(PlaybackClaims c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        IpRange range = c.clientRangeOrNull();
        String user = c.userIdOrNull();
        String session = c.sessionIdOrNull();
        int maxHeight = c.maxHeight().orElse(0);
        int flags = (range != null ? FLAG_CLIENT_RANGE : 0) | (user != null ? FLAG_USER_ID : 0)
                | (session != null ? FLAG_SESSION_ID : 0) | (maxHeight != 0 ? FLAG_MAX_HEIGHT : 0)
                | (c.offline() ? FLAG_OFFLINE : 0);
        out.write(flags);
        writeU64(out, c.notBefore());
        writeU64(out, c.expiresAt());
        writeShortString(out, c.pathPrefix());
        if (range != null) {
            byte[] a = range.networkAddressUnsafe();
            out.write(a.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
            out.write(range.prefixLength());
            out.write(a, 0, a.length);
        }
        if (user != null) {
            writeShortString(out, user);
        }
        if (session != null) {
            writeShortString(out, session);
        }
        if (maxHeight != 0) {
            out.write(maxHeight >>> 8);
            out.write(maxHeight & 0xFF);
        }
        return out.toByteArray();
    }

    private static void writeU64(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }

    private static void writeShortString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.write(b, 0, b.length);
    }

    /** Decodes claims bytes; null if they are not exactly one canonical version-1 claims record. */
    static PlaybackClaims decode(byte[] b) {
        try {
            return decodeOrThrow(b);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null; // only reachable with a valid MAC, i.e. a buggy signer: not a hot path
        }
    }

    private static PlaybackClaims decodeOrThrow(byte[] b) {
        if (b.length < 1 + 8 + 8 + 2) {
            return null;
        }
        int p = 0;
        int flags = b[p++] & 0xFF;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return null;
        }
        long nbf = readU64(b, p);
        p += 8;
        long exp = readU64(b, p);
        p += 8;
        PlaybackClaims.Builder builder = PlaybackClaims.builder().notBefore(nbf).expiresAt(exp);
        int aclLen = b[p++] & 0xFF;
        String acl = readAscii(b, p, aclLen);
        if (acl == null) {
            return null;
        }
        p += aclLen;
        builder.pathPrefix(acl);
        if ((flags & FLAG_CLIENT_RANGE) != 0) {
            int family = b[p++] & 0xFF;
            int len = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
            if (len < 0) {
                return null;
            }
            int prefix = b[p++] & 0xFF;
            if (p + len > b.length) {
                return null;
            }
            byte[] addr = Arrays.copyOfRange(b, p, p + len);
            p += len;
            if (len == 16 && IpRange.isIpv4Mapped(addr)) {
                return null; // non-canonical: must be encoded as IPv4
            }
            builder.clientRange(IpRange.of(addr, prefix));
        }
        if ((flags & FLAG_USER_ID) != 0) {
            int len = b[p++] & 0xFF;
            String user = readAscii(b, p, len);
            if (user == null) {
                return null;
            }
            p += len;
            builder.userId(user);
        }
        if ((flags & FLAG_SESSION_ID) != 0) {
            int len = b[p++] & 0xFF;
            String session = readAscii(b, p, len);
            if (session == null) {
                return null;
            }
            p += len;
            builder.sessionId(session);
        }
        if ((flags & FLAG_MAX_HEIGHT) != 0) {
            int h = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
            p += 2;
            if (h == 0) {
                return null; // non-canonical: no cap is written as no flag
            }
            builder.maxHeight(h);
        }
        builder.offline((flags & FLAG_OFFLINE) != 0);
        if (p != b.length) {
            return null; // trailing bytes
        }
        return builder.build(); // validates times, path prefix, id lengths and characters
    }

    private static long readU64(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return v;
    }

    /** {@code len} bytes of visible ASCII at {@code p}, or null. */
    private static String readAscii(byte[] b, int p, int len) {
        if (len == 0 || p + len > b.length) {
            return null;
        }
        for (int i = p; i < p + len; i++) {
            if (b[i] < 0x21 || b[i] > 0x7E) {
                return null;
            }
        }
        return new String(b, p, len, StandardCharsets.US_ASCII);
    }

    static String base64Url(byte[] data) {
        return B64.encodeToString(data);
    }

    static byte[] base64UrlAscii(byte[] data) {
        return B64.encode(data);
    }

    /**
     * Strict unpadded base64url decoding of {@code s[from, to)}: alphabet of RFC 4648 §5 only, no
     * padding, length mod 4 not 1, unused trailing bits zero. Returns null if invalid.
     */
    static byte[] decodeBase64Url(String s, int from, int to) {
        int n = to - from;
        if (n < 0 || n % 4 == 1) {
            return null;
        }
        byte[] out = new byte[n * 3 / 4];
        int o = 0;
        int acc = 0;
        int bits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? DECODE[c] : -1;
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (acc >>> bits);
                acc &= (1 << bits) - 1;
            }
        }
        if (acc != 0) { // leftover bits (2 or 4) must be zero for a canonical encoding
            return null;
        }
        return o == out.length ? out : Arrays.copyOf(out, o);
    }
}
