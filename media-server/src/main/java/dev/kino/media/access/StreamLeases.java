package dev.kino.media.access;

import dev.kino.common.state.LeaseResult;
import dev.kino.common.state.SharedState;
import dev.kino.common.state.StreamLimits;
import dev.kino.media.MediaException;
import dev.kino.protocol.token.PlaybackClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Concurrent-stream limits ({@link StreamLimits}): a token that carries both a user id and a playback session
 * id takes (or renews) a lease in the user's group with the session as holder, on every playlist, MPD, key and
 * licence request (segments never touch shared state), with the limit the control API recorded for the user
 * (its plan), or the configured default when none is recorded. Over the limit the request is refused with
 * 403 {@code …/problems/too-many-streams}. Tokens without both ids are not limited.
 *
 * <p>NOTE: when the shared state fails (Redis down), playback is allowed and a warning logged: an outage of
 * the limiter must not stop every stream.
 *
 * <p>A session whose lease this server took or renewed less than {@link #RECENT} ago (at most half the lease
 * lifetime) is {@linkplain #renewedRecently renewed recently}: the media port's fast path answers its playlists from
 * memory without asking the shared state again, so a session's lease is renewed at most about once per
 * {@code RECENT} per server, by the first playlist request after that (which takes the normal path and waits for
 * the renewal). The answer is the same as the normal path's: a live lease's holder is always renewed
 * ({@link SharedState#acquireLease}), and the lease, renewed at most {@code RECENT} before, is live. What differs is
 * that its expiry can trail the normal path's by up to {@code RECENT} (a player's next playlist request, seconds
 * later, renews it), and that a lease given back ({@link SharedState#releaseLease}) within {@code RECENT} of its
 * renewal is taken again by the next normal-path request rather than the next request.
 */
public final class StreamLeases {
    private static int parseLimit(String text) {
        try {
            return Math.max(1, Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamLeases.class);

    private final SharedState state;
    private final int limit;
    private final Duration ttl;

    /**
     * @param state the shared state
     * @param limit concurrent sessions per user when the control API recorded none, at least 1
     * @param ttl lease lifetime; a little more than the playlist or key refresh interval
     */
    public StreamLeases(SharedState state, int limit, Duration ttl) {
        if (limit < 1) {
            throw new IllegalArgumentException("stream limit must be at least 1, not " + limit);
        }
        this.state = state;
        this.limit = limit;
        this.ttl = ttl;
        this.recentNanos = Math.min(RECENT.toNanos(), ttl.toNanos() / 2);
        this.renewed = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().executor(Runnable::run)
                .expireAfterWrite(Duration.ofNanos(Math.max(1, recentNanos))).maximumSize(MAX_RECENT).build();
    }

    /** How long after a renewal a session counts as {@linkplain #renewedRecently renewed recently} (at most). */
    public static final Duration RECENT = Duration.ofSeconds(1);
    /** Most sessions remembered as renewed recently (those beyond are renewed on their next request). */
    static final long MAX_RECENT = 100_000;

    private final long recentNanos;
    /** Session key → when the request that renewed its lease asked ({@link System#nanoTime}). */
    private final com.github.benmanes.caffeine.cache.Cache<String, Long> renewed;

    private static String key(PlaybackClaims claims) {
        return claims.userId().get() + '\n' + claims.sessionId().get();
    }

    /**
     * Non-blocking: event loops may call it.
     *
     * @param claims a token's claims with a lease ({@link #leased})
     * @return true when this server took or renewed their session's lease less than {@link #RECENT} (or half the
     *     lease lifetime) ago, counted from when it asked: the lease is live and {@link #check} would grant it
     */
    public boolean renewedRecently(PlaybackClaims claims) {
        Long asked = renewed.getIfPresent(key(claims));
        return asked != null && System.nanoTime() - asked < recentNanos;
    }

    /**
     * @param claims a playback token's claims
     * @return true when {@link #check} has a lease to take or renew for them (a user and a playback session), false
     *     when it lets them through at once
     */
    public boolean leased(PlaybackClaims claims) {
        return claims.userId().isPresent() && claims.sessionId().isPresent();
    }

    /**
     * @param claims the verified token claims
     * @return completes normally when the stream may go on, exceptionally with a 403 {@link MediaException}
     *     when the user has too many; completes at once for tokens without user and session ids
     */
    public CompletableFuture<Void> check(PlaybackClaims claims) {
        if (!leased(claims)) {
            return CompletableFuture.completedFuture(null);
        }
        String user = claims.userId().get();
        long asked = System.nanoTime();
        return state.get(StreamLimits.limitKey(user))
                .thenApply(v -> v.map(StreamLeases::parseLimit).orElse(limit))
                .thenCompose(userLimit -> state.acquireLease(StreamLimits.group(user), claims.sessionId().get(),
                        userLimit, ttl))
                .toCompletableFuture()
                .handle((LeaseResult r, Throwable e) -> {
                    if (e != null) {
                        LOG.warn("stream lease check failed, allowing playback: {}", e.toString());
                        return null;
                    }
                    if (!r.granted()) {
                        throw new MediaException(403, "too-many-streams", "Too many streams",
                                "this account already plays " + r.holders() + " of " + r.limit()
                                        + " allowed streams; stop one or retry in " + r.retryAfter().toSeconds() + " s");
                    }
                    renewed.asMap().merge(key(claims), asked, Math::max);
                    return null;
                });
    }
}
