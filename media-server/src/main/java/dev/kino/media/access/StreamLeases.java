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
                    return null;
                });
    }
}
