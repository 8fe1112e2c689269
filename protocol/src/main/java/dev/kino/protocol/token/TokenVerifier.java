package dev.kino.protocol.token;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;

import static dev.kino.protocol.token.FailureReason.ADDRESS_NOT_ALLOWED;
import static dev.kino.protocol.token.FailureReason.BAD_SIGNATURE;
import static dev.kino.protocol.token.FailureReason.EXPIRED;
import static dev.kino.protocol.token.FailureReason.MALFORMED;
import static dev.kino.protocol.token.FailureReason.NOT_YET_VALID;
import static dev.kino.protocol.token.FailureReason.PATH_NOT_ALLOWED;
import static dev.kino.protocol.token.FailureReason.UNKNOWN_KEY;

/**
 * Verifies playback tokens made by {@link TokenSigner} (format: {@code protocol/TOKENS.md}).
 * Immutable and thread-safe; never throws on any token, path or address input.
 *
 * <p>Order of checks (the first failure is returned):
 * <ol>
 *   <li>Syntax, without decoding: at most {@link TokenFormat#MAX_TOKEN_LENGTH} characters, only
 *       base64url characters and exactly three {@code '.'}, version {@code "1"}, a valid kid, a non-empty
 *       claims field and a 43-character MAC field → else {@link FailureReason#MALFORMED}.</li>
 *   <li>Key lookup by kid → {@link FailureReason#UNKNOWN_KEY}.</li>
 *   <li>HMAC-SHA256 (RFC 2104) of the signing input, base64url-encoded and compared with the MAC field in
 *       constant time ({@link MessageDigest#isEqual}) → {@link FailureReason#BAD_SIGNATURE}. Comparing the
 *       text (not decoded bytes) means there is exactly one valid spelling of each token.</li>
 *   <li>Only now are the claims decoded (strict base64url, RFC 4648 §5) → {@link FailureReason#MALFORMED}.</li>
 *   <li>Time: {@code now < notBefore - skew} → {@link FailureReason#NOT_YET_VALID};
 *       {@code now >= expiresAt + skew} → {@link FailureReason#EXPIRED}.</li>
 *   <li>{@link PlaybackClaims#allowsPath} → {@link FailureReason#PATH_NOT_ALLOWED}.</li>
 *   <li>{@link PlaybackClaims#allowsAddress} → {@link FailureReason#ADDRESS_NOT_ALLOWED}.</li>
 * </ol>
 */
public final class TokenVerifier {

    /** Largest accepted clock skew allowance. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

    private static final int MIN_TOKEN_LENGTH = 1 + 1 + 1 + 1 + 1 + 1 + TokenFormat.MAC_TEXT_LENGTH;

    private final SigningKeys keys;
    private final Duration clockSkew;

    /**
     * @param keys the key ring; any key in it verifies (the current kid plays no role here)
     * @param clockSkew allowance applied to both not-before and expiry, 0 to {@link #MAX_CLOCK_SKEW}
     * @throws IllegalArgumentException if {@code clockSkew} is negative or larger than {@link #MAX_CLOCK_SKEW}
     * @throws NullPointerException if an argument is null
     */
    public TokenVerifier(SigningKeys keys, Duration clockSkew) {
        this.keys = Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and " + MAX_CLOCK_SKEW);
        }
        this.clockSkew = clockSkew;
    }

    /**
     * @return the clock skew allowance
     */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * Verifies a token for one request.
     *
     * @param token the token path segment as received (not percent-decoded); null or garbage gives
     *     {@link FailureReason#MALFORMED}
     * @param requestPath the request path after the token segment, as received (not percent-decoded,
     *     no query), e.g. {@code /title-123/720p/seg-00001.m4s}; see {@link MediaPaths#split}
     * @param clientAddress the client address (for a CDN edge: the end user's, not the edge's), or null
     *     if unknown (then only tokens without address binding pass)
     * @param now the current time, e.g. {@code clock.instant()}
     * @return {@link VerificationResult.Valid} or a cached {@link VerificationResult.Rejected}
     * @throws NullPointerException if {@code now} is null (a programming error, not bad input)
     */
    public VerificationResult verify(String token, String requestPath, InetAddress clientAddress, Instant now) {
        Objects.requireNonNull(now, "now");
        VerificationResult authentic = authenticate(token);
        return authentic instanceof VerificationResult.Valid v ? check(v, requestPath, clientAddress, now) : authentic;
    }

    /**
     * Steps 1 to 4 of {@code TOKENS.md} §5 alone: syntax, key, MAC, claims. Their outcome depends on the token text
     * and the key ring only, so a caller may remember a {@link VerificationResult.Valid} per token (a media server
     * answering many requests of one player) and run {@link #check} for each request.
     *
     * @param token the token path segment as received, or null
     * @return {@link VerificationResult.Valid} with the authentic claims, or the {@link VerificationResult.Rejected}
     *     of steps 1 to 4 ({@link FailureReason#MALFORMED}, {@link FailureReason#UNKNOWN_KEY},
     *     {@link FailureReason#BAD_SIGNATURE})
     */
    public VerificationResult authenticate(String token) {
        if (token == null) {
            return reject(MALFORMED);
        }
        int len = token.length();
        if (len < MIN_TOKEN_LENGTH || len > TokenFormat.MAX_TOKEN_LENGTH) {
            return reject(MALFORMED);
        }
        // 1. Syntax: find the three dots, check the alphabet, no decoding.
        int d1 = -1;
        int d2 = -1;
        int d3 = -1;
        for (int i = 0; i < len; i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (d1 < 0) {
                    d1 = i;
                } else if (d2 < 0) {
                    d2 = i;
                } else if (d3 < 0) {
                    d3 = i;
                } else {
                    return reject(MALFORMED);
                }
            } else if (!TokenFormat.isBase64UrlChar(c)) {
                return reject(MALFORMED);
            }
        }
        if (d3 < 0
                || d1 != TokenFormat.VERSION.length() || !token.startsWith(TokenFormat.VERSION)
                || d2 - d1 - 1 < 1 || d2 - d1 - 1 > TokenFormat.MAX_KID_LENGTH
                || d3 - d2 - 1 < 1
                || len - d3 - 1 != TokenFormat.MAC_TEXT_LENGTH) {
            return reject(MALFORMED);
        }
        // 2. Key lookup: the kid is the only thing used before the MAC is checked.
        String kid = token.substring(d1 + 1, d2);
        Mac mac = keys.newMac(kid);
        if (mac == null) {
            return reject(UNKNOWN_KEY);
        }
        // 3. MAC over the exact transmitted ASCII bytes, constant-time comparison of the base64url text.
        byte[] ascii = token.getBytes(StandardCharsets.ISO_8859_1); // all chars checked to be ASCII
        mac.update(ascii, 0, d3);
        byte[] expected = ClaimsCodec.base64UrlAscii(mac.doFinal());
        byte[] presented = new byte[TokenFormat.MAC_TEXT_LENGTH];
        System.arraycopy(ascii, d3 + 1, presented, 0, presented.length);
        if (!MessageDigest.isEqual(expected, presented)) {
            return reject(BAD_SIGNATURE);
        }
        // 4. Authentic: decode the claims.
        byte[] claimsBytes = ClaimsCodec.decodeBase64Url(token, d2 + 1, d3);
        PlaybackClaims claims = claimsBytes == null ? null : ClaimsCodec.decode(claimsBytes);
        if (claims == null) {
            return reject(MALFORMED);
        }
        return new VerificationResult.Valid(kid, claims);
    }

    /**
     * Steps 5 to 7 of {@code TOKENS.md} §5 for one request, on claims {@link #authenticate} found authentic.
     *
     * @param authentic what {@link #authenticate} returned for the token
     * @param requestPath the request path after the token segment, as received
     * @param clientAddress the client address, or null if unknown
     * @param now the current time
     * @return {@code authentic} itself, or why this request is refused ({@link FailureReason#NOT_YET_VALID},
     *     {@link FailureReason#EXPIRED}, {@link FailureReason#PATH_NOT_ALLOWED}, {@link FailureReason#ADDRESS_NOT_ALLOWED})
     */
    public VerificationResult check(VerificationResult.Valid authentic, String requestPath, InetAddress clientAddress,
                                    Instant now) {
        PlaybackClaims claims = authentic.claims();
        // 5. Time window with skew allowance: valid iff notBefore - skew <= now < expiresAt + skew.
        if (now.isBefore(Instant.ofEpochSecond(claims.notBefore()).minus(clockSkew))) {
            return reject(NOT_YET_VALID);
        }
        if (!now.isBefore(Instant.ofEpochSecond(claims.expiresAt()).plus(clockSkew))) {
            return reject(EXPIRED);
        }
        // 6, 7. Path and address.
        if (!claims.allowsPath(requestPath)) {
            return reject(PATH_NOT_ALLOWED);
        }
        if (!claims.allowsAddress(clientAddress)) {
            return reject(ADDRESS_NOT_ALLOWED);
        }
        return authentic;
    }

    private static VerificationResult reject(FailureReason reason) {
        return VerificationResult.Rejected.of(reason);
    }

    /**
     * @return description without secrets
     */
    @Override
    public String toString() {
        return "TokenVerifier[" + keys + ", clockSkew=" + clockSkew + "]";
    }
}
