package dev.kino.common.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Outcome of {@link SharedState#hit}.
 *
 * @param allowed true when this hit is within the limit of the current window
 * @param count hits in the current window including this one (refused hits count too); saturates at
 *              {@link Integer#MAX_VALUE}
 * @param limit the limit the call was made with
 * @param resetAfter time until the current window ends and the count starts again from zero, at least one
 *                   millisecond
 */
public record RateLimitResult(boolean allowed, int count, int limit, Duration resetAfter) {

    /**
     * Checks the fields: positive count and limit, positive {@code resetAfter}.
     *
     * @param allowed true when within the limit
     * @param count hits in the window including this one, at least 1
     * @param limit the limit of the call, at least 1
     * @param resetAfter time until the window ends, positive
     */
    public RateLimitResult {
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (count < 1 || limit < 1 || resetAfter.isNegative() || resetAfter.isZero()) {
            throw new IllegalArgumentException("count " + count + ", limit " + limit + ", resetAfter " + resetAfter);
        }
    }

    /** @return hits still allowed in this window after this one, 0 when exhausted */
    public int remaining() {
        return Math.max(0, limit - count);
    }

    /**
     * @return how long the caller should wait before trying again: {@link Duration#ZERO} when allowed, else
     *         {@link #resetAfter()}
     */
    public Duration retryAfter() {
        return allowed ? Duration.ZERO : resetAfter;
    }

    /**
     * @return {@link #retryAfter()} in whole seconds rounded up, for an HTTP {@code Retry-After} header: 0 when
     *         allowed, at least 1 when refused
     */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        long ms = resetAfter.toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }
}
