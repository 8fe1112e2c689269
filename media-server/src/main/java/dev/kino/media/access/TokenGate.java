package dev.kino.media.access;

import dev.kino.media.metrics.MediaMetrics;
import dev.kino.protocol.token.PlaybackClaims;
import dev.kino.protocol.token.TokenVerifier;
import dev.kino.protocol.token.VerificationResult;

import java.net.InetAddress;
import java.time.Clock;

/**
 * Access check of one request: the token must grant the canonical path for the client address at this time.
 * Rejections are counted by reason.
 *
 * <p>A player sends one token with every request of a title (hundreds per minute), so the part of the check that
 * depends on the token alone (syntax, key, HMAC, claims: {@link TokenVerifier#authenticate}) is remembered per token
 * for {@link #REMEMBERED}, bounded to {@link #MAX_REMEMBERED} tokens; the time window, path and address are checked
 * on every request ({@link TokenVerifier#check}). Only authentic tokens are remembered: a forged one costs its HMAC
 * every time and cannot push real ones out. The cache's upkeep runs on the reading thread (no listener, no I/O),
 * not on the common fork-join pool, whose wake-ups showed in the playlist profile.
 */
public final class TokenGate {
    /** How long an authentic token's claims are remembered after it was last used. */
    public static final java.time.Duration REMEMBERED = java.time.Duration.ofMinutes(10);
    /** Most tokens remembered at once (about 300 bytes each). */
    public static final long MAX_REMEMBERED = 200_000;

    private final TokenVerifier verifier;
    private final Clock clock;
    private final MediaMetrics metrics;
    private final com.github.benmanes.caffeine.cache.Cache<String, VerificationResult.Valid> authentic =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_REMEMBERED)
                    .expireAfterAccess(REMEMBERED).build();

    /**
     * @param verifier verifies tokens against the key ring
     * @param clock time source
     * @param metrics where rejections are counted
     */
    public TokenGate(TokenVerifier verifier, Clock clock, MediaMetrics metrics) {
        this.verifier = verifier;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @param token the token path segment as received
     * @param canonicalPath the path after the token as received (not decoded), e.g. {@code /title-1/master.m3u8}
     * @param client the client address (or null when unknown)
     * @return the verified claims
     * @throws AccessDeniedException when the token does not grant the request
     */
    public PlaybackClaims check(String token, String canonicalPath, InetAddress client) {
        return check(token, canonicalPath, client, null);
    }

    /**
     * The last authentic token one connection sent, and what it was found to be: a player sends the same token on
     * every request of a connection, and comparing it with the last one costs less than hashing it into the shared
     * cache (the lookup showed in the playlist profile). Used by one connection's event loop only.
     */
    public static final class ConnectionMemo {
        private String token;
        private VerificationResult.Valid valid;
    }

    /**
     * {@link #check(String, String, InetAddress)}, first asking the connection's memo: what depends on the token
     * alone is taken from it when the token is the one the connection sent last; time window, path and address are
     * checked as always.
     *
     * @param memo the connection's memo, or null
     */
    public PlaybackClaims check(String token, String canonicalPath, InetAddress client, ConnectionMemo memo) {
        return check(token, canonicalPath, client, memo, false);
    }

    private PlaybackClaims check(String token, String canonicalPath, InetAddress client, ConnectionMemo memo,
                                 boolean quiet) {
        VerificationResult.Valid known = null;
        if (token != null) {
            if (memo != null && token.equals(memo.token)) {
                known = memo.valid;
            } else {
                known = authentic.getIfPresent(token);
                if (known != null && memo != null) {
                    memo.token = token;
                    memo.valid = known;
                }
            }
        }
        VerificationResult r;
        if (known != null) {
            r = verifier.check(known, canonicalPath, client, clock.instant());
        } else {
            r = verifier.authenticate(token);
            if (r instanceof VerificationResult.Valid v) {
                authentic.put(token, v);
                if (memo != null) {
                    memo.token = token;
                    memo.valid = v;
                }
                r = verifier.check(v, canonicalPath, client, clock.instant());
            }
        }
        if (r instanceof VerificationResult.Rejected rejected) {
            if (quiet) {
                return null;
            }
            metrics.tokenFailure(rejected.reason());
            throw new AccessDeniedException(rejected.reason());
        }
        return ((VerificationResult.Valid) r).claims();
    }

    /**
     * {@link #check(String, String, InetAddress, ConnectionMemo)} for a caller that will ask again through
     * {@code check} when the token is refused (the media port's fast path): a refusal is neither counted nor thrown,
     * so the second, answering check counts it once.
     *
     * @return the claims, or null when {@code check} would refuse the token
     */
    public PlaybackClaims checkQuietly(String token, String canonicalPath, InetAddress client, ConnectionMemo memo) {
        return check(token, canonicalPath, client, memo, true);
    }
}
