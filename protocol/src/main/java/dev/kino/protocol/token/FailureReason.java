package dev.kino.protocol.token;

/**
 * Why {@link TokenVerifier#verify} rejected a request. The checks run in the order the constants are
 * declared, and the first failing check is reported: a token that is both expired and used for the
 * wrong path is reported as {@link #EXPIRED}.
 *
 * <p>The media server counts rejections by reason in its metrics and maps them to an HTTP status;
 * {@link #suggestedHttpStatus()} gives the mapping Kino uses by default.
 */
public enum FailureReason {
    /**
     * The token is not syntactically a version-1 token: null, empty, longer than
     * {@link TokenFormat#MAX_TOKEN_LENGTH} characters, a character outside the base64url alphabet and
     * {@code '.'}, wrong number of fields, unknown version, kid or MAC of the wrong length; or (only
     * possible for a token signed with a valid key by a buggy signer) claims that do not decode.
     */
    MALFORMED,
    /** The token names a key id that is not in the verifier's key ring (never issued, or retired). */
    UNKNOWN_KEY,
    /** The MAC does not match: the token was altered, forged, or signed with another key under the same kid. */
    BAD_SIGNATURE,
    /** The current time is before {@code notBefore} minus the allowed clock skew. */
    NOT_YET_VALID,
    /** The current time is at or after {@code expiresAt} plus the allowed clock skew. */
    EXPIRED,
    /**
     * The request path is not under the token's path prefix, or is not a safe normalised path (it
     * contains {@code %}, {@code //}, a {@code .} or {@code ..} segment, or a character outside
     * RFC 3986 §2.3 unreserved characters and {@code /}).
     */
    PATH_NOT_ALLOWED,
    /** The token is bound to a client address range and the client address is unknown or outside it. */
    ADDRESS_NOT_ALLOWED;

    /**
     * The HTTP status Kino answers with by default: 410 Gone for {@link #EXPIRED} (the player should
     * fetch a fresh token), 403 Forbidden for everything else.
     *
     * @return 410 or 403
     */
    public int suggestedHttpStatus() {
        return this == EXPIRED ? 410 : 403;
    }
}
