package dev.kino.protocol.token;

/**
 * Constants and character rules of the version-1 token text format, specified byte by byte in
 * {@code protocol/TOKENS.md}.
 *
 * <p>A token is {@code VERSION "." kid "." claims "." mac}, where {@code claims} and {@code mac} are
 * base64url without padding (RFC 4648 §5) and the MAC is HMAC-SHA256 (RFC 2104, FIPS 180-4) over the
 * ASCII bytes of everything before the last {@code '.'}. All characters are RFC 3986 §2.3 unreserved
 * characters, so the token fits in one URL path segment without percent-encoding.
 */
public final class TokenFormat {

    /** The version field of tokens this code signs and accepts. */
    public static final String VERSION = "1";

    /** Tokens longer than this many characters are rejected as MALFORMED before any decoding. */
    public static final int MAX_TOKEN_LENGTH = 1024;

    /** Maximum length of a key id, in characters. */
    public static final int MAX_KID_LENGTH = 32;

    /** Minimum length of an HMAC secret, in bytes (the HMAC-SHA256 output size, RFC 2104 §3). */
    public static final int MIN_SECRET_LENGTH = 32;

    /** Length of the MAC field: 32 bytes of HMAC-SHA256 in unpadded base64url is 43 characters. */
    public static final int MAC_TEXT_LENGTH = 43;

    /** Maximum length of the path prefix claim, in characters (bytes: it is ASCII). */
    public static final int MAX_PATH_PREFIX_LENGTH = 255;

    /** Maximum length of the user id and session id claims, in characters (bytes: they are ASCII). */
    public static final int MAX_ID_LENGTH = 128;

    /** Largest accepted epoch second for not-before and expiry: 9999-12-31T23:59:59Z. */
    public static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private TokenFormat() {
    }

    /**
     * Whether {@code kid} is a valid key id: 1 to {@value #MAX_KID_LENGTH} characters from the
     * base64url alphabet {@code [A-Za-z0-9_-]} (RFC 4648 §5).
     *
     * @param kid candidate key id, may be null
     * @return {@code true} if valid
     */
    public static boolean isValidKid(String kid) {
        if (kid == null || kid.isEmpty() || kid.length() > MAX_KID_LENGTH) {
            return false;
        }
        for (int i = 0; i < kid.length(); i++) {
            if (!isBase64UrlChar(kid.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code c} is in the base64url alphabet (RFC 4648 §5, table 2): {@code A-Z a-z 0-9 - _}.
     *
     * @param c a character
     * @return {@code true} if it is a base64url character
     */
    static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    static boolean isUnreserved(char c) {
        return isBase64UrlChar(c) || c == '.' || c == '~';
    }

    /** Whether {@code c} is a visible US-ASCII character, 0x21 to 0x7E. */
    static boolean isVisibleAscii(char c) {
        return c >= 0x21 && c <= 0x7E;
    }

    /**
     * Whether {@code path} is a safe, normalised absolute path: starts with {@code '/'}, only
     * unreserved characters and {@code '/'}, no empty segment ({@code //}) and no {@code .} or
     * {@code ..} segment. A trailing {@code '/'} is allowed.
     */
    static boolean isSafePath(String path, int maxLength) {
        if (path == null || path.isEmpty() || path.length() > maxLength || path.charAt(0) != '/') {
            return false;
        }
        int segStart = 1;
        int n = path.length();
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '/') {
                int segLen = i - segStart;
                if (segLen == 0) {
                    if (i != n) { // "//" inside; an empty final segment is the trailing slash
                        return false;
                    }
                } else if (path.charAt(segStart) == '.'
                        && (segLen == 1 || (segLen == 2 && path.charAt(segStart + 1) == '.'))) {
                    return false;
                }
                segStart = i + 1;
            } else if (!isUnreserved(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} could be a token in a URL path segment: 1 to {@value #MAX_TOKEN_LENGTH}
     * unreserved characters and not a dot-segment.
     */
    static boolean isPathSafeToken(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_TOKEN_LENGTH || s.equals(".") || s.equals("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isUnreserved(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
