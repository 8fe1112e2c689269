package dev.kino.control;

import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.RateLimitResult;

import java.time.Duration;
import java.util.UUID;

/**
 * Per-account limits on what a bot would flood (comments, posts, reactions, reports), counted in the shared state so
 * every node counts together (in-process or Redis). Over a limit: {@link RateLimitedException} (429 with
 * {@code Retry-After}).
 */
public final class ActionLimits {
    private final BlockingSharedState state;

    public ActionLimits(BlockingSharedState state) {
        this.state = state;
    }

    /** A limit: at most {@code max} actions per {@code window}. */
    public record Limit(String action, int max, Duration window) {
    }

    /**
     * Counts one action of an account.
     *
     * @throws RateLimitedException when this one is over the limit (it is not done)
     */
    public void hit(Limit limit, UUID accountId) {
        RateLimitResult r = state.hit("limit:" + limit.action() + ":" + accountId, limit.max(), limit.window());
        if (!r.allowed()) {
            throw new RateLimitedException("at most " + limit.max() + " " + limit.action() + " per "
                    + human(limit.window()) + "; retry in " + r.retryAfterSeconds() + " s", r.retryAfterSeconds());
        }
    }

    private static String human(Duration d) {
        return d.toHours() >= 1 ? d.toHours() + " h" : d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
