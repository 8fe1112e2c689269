package dev.kino.protocol.token;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a playback token grants. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <ul>
 *   <li>{@code notBefore}, {@code expiresAt}: epoch seconds (UTC), 0 to
 *       {@link TokenFormat#MAX_EPOCH_SECOND}, {@code notBefore < expiresAt}. The token is valid for
 *       instants {@code t} with {@code notBefore <= t < expiresAt} (before clock skew allowance).</li>
 *   <li>{@code pathPrefix}: the path ACL. It always starts <em>and ends</em> with {@code '/'}, so plain
 *       {@link String#startsWith} matching is automatically on a path-segment boundary:
 *       {@code /title-1/} does not grant {@code /title-12/...}. At most 255 characters of RFC 3986
 *       §2.3 unreserved characters and {@code '/'}, no empty, {@code .} or {@code ..} segment.
 *       {@code "/"} grants every path (use with care).</li>
 *   <li>{@code clientRange}: optional; if present, only clients inside it are allowed.</li>
 *   <li>{@code userId}, {@code sessionId}: optional, 1 to 128 visible US-ASCII characters (0x21-0x7E);
 *       carried for logging and concurrent-stream leases, not checked by the verifier.</li>
 * </ul>
 */
public final class PlaybackClaims {

    private final long notBefore;
    private final long expiresAt;
    private final String pathPrefix;
    private final IpRange clientRange;
    private final String userId;
    private final String sessionId;
    private final int maxHeight;
    private final boolean offline;

    private PlaybackClaims(Builder b) {
        if (b.notBefore == null || b.expiresAt == null) {
            throw new IllegalArgumentException("notBefore and expiresAt are required");
        }
        long nbf = b.notBefore;
        long exp = b.expiresAt;
        if (nbf < 0 || nbf > TokenFormat.MAX_EPOCH_SECOND || exp < 0 || exp > TokenFormat.MAX_EPOCH_SECOND) {
            throw new IllegalArgumentException("times must be epoch seconds in [0, " + TokenFormat.MAX_EPOCH_SECOND + "]");
        }
        if (exp <= nbf) {
            throw new IllegalArgumentException("expiresAt must be after notBefore");
        }
        if (b.pathPrefix == null) {
            throw new IllegalArgumentException("pathPrefix is required");
        }
        if (!isValidPathPrefix(b.pathPrefix)) {
            throw new IllegalArgumentException("invalid path prefix (must start and end with '/', "
                    + "unreserved characters only, no empty, '.' or '..' segments, at most "
                    + TokenFormat.MAX_PATH_PREFIX_LENGTH + " characters)");
        }
        checkId("userId", b.userId);
        checkId("sessionId", b.sessionId);
        this.notBefore = nbf;
        this.expiresAt = exp;
        this.pathPrefix = b.pathPrefix;
        this.clientRange = b.clientRange;
        this.userId = b.userId;
        this.sessionId = b.sessionId;
        if (b.maxHeight < 0 || b.maxHeight > 0xFFFF) {
            throw new IllegalArgumentException("maxHeight must be 1-65535 pixels, or 0 for none");
        }
        this.maxHeight = b.maxHeight;
        this.offline = b.offline;
    }

    private static void checkId(String name, String id) {
        if (id != null && !isValidId(id)) {
            throw new IllegalArgumentException(name + " must be 1-" + TokenFormat.MAX_ID_LENGTH
                    + " visible ASCII characters");
        }
    }

    static boolean isValidId(String id) {
        if (id.isEmpty() || id.length() > TokenFormat.MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!TokenFormat.isVisibleAscii(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code prefix} is a valid path ACL (see the class description).
     *
     * @param prefix candidate, may be null
     * @return {@code true} if valid
     */
    public static boolean isValidPathPrefix(String prefix) {
        return prefix != null && prefix.endsWith("/") && TokenFormat.isSafePath(prefix, TokenFormat.MAX_PATH_PREFIX_LENGTH);
    }

    /**
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder pre-filled with these claims
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.notBefore = notBefore;
        b.expiresAt = expiresAt;
        b.pathPrefix = pathPrefix;
        b.clientRange = clientRange;
        b.userId = userId;
        b.sessionId = sessionId;
        return b;
    }

    /**
     * @return not-before, epoch seconds
     */
    public long notBefore() {
        return notBefore;
    }

    /**
     * @return expiry, epoch seconds (exclusive: invalid from this second on, before skew allowance)
     */
    public long expiresAt() {
        return expiresAt;
    }

    /**
     * @return not-before as an instant
     */
    public Instant notBeforeInstant() {
        return Instant.ofEpochSecond(notBefore);
    }

    /**
     * @return expiry as an instant
     */
    public Instant expiresAtInstant() {
        return Instant.ofEpochSecond(expiresAt);
    }

    /**
     * @return the path ACL, starting and ending with {@code '/'}
     */
    public String pathPrefix() {
        return pathPrefix;
    }

    /**
     * @return the client address binding, if any
     */
    public Optional<IpRange> clientRange() {
        return Optional.ofNullable(clientRange);
    }

    /**
     * @return the user id, if any
     */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /**
     * @return the playback session id, if any
     */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /**
     * @return the tallest video rendition the token grants, in pixels of the picture's short side (the {@code 720}
     *         of a 1280x720 or a 720x1280 rendition); empty when every rendition is granted
     */
    public java.util.OptionalInt maxHeight() {
        return maxHeight == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(maxHeight);
    }

    /** @return true when the grant allows offline (persistent) licences */
    public boolean offline() {
        return offline;
    }

    IpRange clientRangeOrNull() {
        return clientRange;
    }

    String userIdOrNull() {
        return userId;
    }

    String sessionIdOrNull() {
        return sessionId;
    }

    /**
     * Whether these claims grant {@code requestPath}: the path must be safe and normalised (starts with
     * {@code '/'}, only RFC 3986 §2.3 unreserved characters and {@code '/'}, so no {@code %}, query or
     * fragment; no empty, {@code .} or {@code ..} segment; at most {@link TokenFormat#MAX_TOKEN_LENGTH}
     * times 4 characters) and start with {@link #pathPrefix()}.
     *
     * @param requestPath the path after the token segment, not percent-decoded, e.g.
     *     {@code /title-123/720p/seg-00001.m4s}; null is never allowed
     * @return {@code true} if allowed
     */
    public boolean allowsPath(String requestPath) {
        return requestPath != null
                && requestPath.startsWith(pathPrefix)
                && TokenFormat.isSafePath(requestPath, 4 * TokenFormat.MAX_TOKEN_LENGTH);
    }

    /**
     * Whether these claims allow a client address: always if there is no binding, otherwise if the
     * address is non-null and {@linkplain IpRange#contains inside} the range.
     *
     * @param clientAddress the client address, may be null (unknown)
     * @return {@code true} if allowed
     */
    public boolean allowsAddress(InetAddress clientAddress) {
        return clientRange == null || clientRange.contains(clientAddress);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlaybackClaims c
                && c.notBefore == notBefore
                && c.expiresAt == expiresAt
                && c.pathPrefix.equals(pathPrefix)
                && Objects.equals(c.clientRange, clientRange)
                && Objects.equals(c.userId, userId)
                && Objects.equals(c.sessionId, sessionId)
                && c.maxHeight == maxHeight
                && c.offline == offline;
    }

    @Override
    public int hashCode() {
        return Objects.hash(notBefore, expiresAt, pathPrefix, clientRange, userId, sessionId, maxHeight, offline);
    }

    @Override
    public String toString() {
        return "PlaybackClaims[nbf=" + notBefore + ", exp=" + expiresAt + ", pathPrefix=" + pathPrefix
                + (clientRange != null ? ", client=" + clientRange : "")
                + (userId != null ? ", userId=" + userId : "")
                + (sessionId != null ? ", sessionId=" + sessionId : "")
                + (maxHeight != 0 ? ", maxHeight=" + maxHeight : "") + (offline ? ", offline" : "") + "]";
    }

    /** Mutable, not thread-safe builder; {@link #build()} validates. */
    public static final class Builder {
        private Long notBefore;
        private Long expiresAt;
        private String pathPrefix;
        private IpRange clientRange;
        private String userId;
        private int maxHeight;
        private boolean offline;
        private String sessionId;

        private Builder() {
        }

        /**
         * @param epochSecond not-before, epoch seconds
         * @return this builder
         */
        public Builder notBefore(long epochSecond) {
            this.notBefore = epochSecond;
            return this;
        }

        /**
         * @param instant not-before; the sub-second part is dropped (rounded down)
         * @return this builder
         */
        public Builder notBefore(Instant instant) {
            return notBefore(instant.getEpochSecond());
        }

        /**
         * @param epochSecond expiry, epoch seconds, exclusive
         * @return this builder
         */
        public Builder expiresAt(long epochSecond) {
            this.expiresAt = epochSecond;
            return this;
        }

        /**
         * @param instant expiry; the sub-second part is dropped (rounded down)
         * @return this builder
         */
        public Builder expiresAt(Instant instant) {
            return expiresAt(instant.getEpochSecond());
        }

        /**
         * Sets not-before to {@code start} and expiry to {@code start + ttl} (both rounded down to
         * whole seconds).
         *
         * @param start start of validity, usually {@code clock.instant()}
         * @param ttl positive lifetime
         * @return this builder
         * @throws IllegalArgumentException if {@code ttl} is not positive
         */
        public Builder validFor(Instant start, Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
            notBefore(start);
            return expiresAt(start.plus(ttl));
        }

        /**
         * @param prefix the path ACL, must start and end with {@code '/'} (validated by {@link #build()})
         * @return this builder
         */
        public Builder pathPrefix(String prefix) {
            this.pathPrefix = prefix;
            return this;
        }

        /**
         * Grants a whole title: path prefix {@code /{title}/}.
         *
         * @param title the title
         * @return this builder
         */
        public Builder title(TitleId title) {
            return pathPrefix(MediaPaths.titlePrefix(title));
        }

        /**
         * @param range client binding, or null for none
         * @return this builder
         */
        public Builder clientRange(IpRange range) {
            this.clientRange = range;
            return this;
        }

        /**
         * @param userId user id, or null for none
         * @return this builder
         */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /**
         * @param sessionId playback session id, or null for none
         * @return this builder
         */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /**
         * @param pixels the tallest video rendition granted (short side, 1-65535), or 0 for every rendition
         * @return this builder
         */
        public Builder maxHeight(int pixels) {
            this.maxHeight = pixels;
            return this;
        }

        /**
         * @param allowed whether the grant allows offline (persistent) licences
         * @return this builder
         */
        public Builder offline(boolean allowed) {
            this.offline = allowed;
            return this;
        }

        /**
         * @return the validated claims
         * @throws IllegalArgumentException if a required field is missing or a field is invalid
         */
        public PlaybackClaims build() {
            return new PlaybackClaims(this);
        }
    }
}
