package dev.kino.protocol.token;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Signs {@link PlaybackClaims} into a version-1 playback token with the key ring's current key.
 * Immutable and thread-safe.
 *
 * <p>Token text: {@code "1" "." kid "." base64url(claims) "." base64url(HMAC-SHA256(secret, signing input))}
 * where the signing input is the ASCII bytes of everything before the last {@code '.'}. HMAC per
 * RFC 2104 with SHA-256; base64url without padding per RFC 4648 §5. Every character is an RFC 3986 §2.3
 * unreserved character, so the token is one URL path segment as-is. A typical token is 90 to 160
 * characters; the largest possible one is well under {@link TokenFormat#MAX_TOKEN_LENGTH}.
 */
public final class TokenSigner {

    private final SigningKeys keys;

    /**
     * @param keys the key ring; tokens are signed with {@link SigningKeys#currentKid()}
     * @throws NullPointerException if {@code keys} is null
     */
    public TokenSigner(SigningKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Signs claims.
     *
     * @param claims the claims, not null
     * @return the token, e.g. {@code 1.k2026-01.AQAAAABpVbuAAAAAAGlV160LL3RpdGxlLTEyMy8.<43 chars>}
     * @throws NullPointerException if {@code claims} is null
     */
    public String sign(PlaybackClaims claims) {
        Objects.requireNonNull(claims, "claims");
        return signClaimsBytes(ClaimsCodec.encode(claims));
    }

    /** Signs raw claims bytes (tests use this to feed the decoder garbage behind a valid MAC). */
    String signClaimsBytes(byte[] claimsBytes) {
        String kid = keys.currentKid();
        String signingInput = TokenFormat.VERSION + '.' + kid + '.' + ClaimsCodec.base64Url(claimsBytes);
        Mac mac = keys.newMac(kid);
        byte[] tag = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + '.' + ClaimsCodec.base64Url(tag);
    }

    /**
     * @return the key id new tokens are signed with
     */
    public String currentKid() {
        return keys.currentKid();
    }

    /**
     * @return description without secrets
     */
    @Override
    public String toString() {
        return "TokenSigner[" + keys + "]";
    }
}
