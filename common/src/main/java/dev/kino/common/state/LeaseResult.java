package dev.kino.common.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Outcome of {@link SharedState#acquireLease}.
 *
 * @param outcome whether the lease was newly granted, renewed or refused
 * @param holders live holders of the group after the call (including the caller when granted or renewed); when
 *                refused, the holders that fill the group
 * @param limit the limit the call was made with
 * @param retryAfter when refused, how long until the earliest of the current leases expires if nobody renews it (a
 *             hint for a retry or an error message, at least one millisecond); {@link Duration#ZERO} when granted
 *             or renewed
 */
public record LeaseResult(Outcome outcome, int holders, int limit, Duration retryAfter) {

    /** What happened to the lease. */
    public enum Outcome {
        /** The holder did not hold a lease and now does: a free slot was taken. */
        GRANTED,
        /** The holder already held a live lease; its expiry was pushed back to now + ttl. */
        RENEWED,
        /** The holder holds no lease: the group already has {@code limit} live holders. */
        REFUSED
    }

    /**
     * Checks the fields: non-null, non-negative counts, {@code retryAfter} zero unless refused.
     *
     * @param outcome granted, renewed or refused
     * @param holders live holders after the call
     * @param limit the limit of the call, at least 1
     * @param retryAfter time until the earliest lease expires when refused, else zero
     */
    public LeaseResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (holders < 0 || limit < 1 || retryAfter.isNegative()) {
            throw new IllegalArgumentException("holders " + holders + ", limit " + limit + ", retryAfter " + retryAfter);
        }
        if (outcome != Outcome.REFUSED && !retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter is only for refusals");
        }
    }

    /** @return true when the caller holds the lease now (granted or renewed) */
    public boolean granted() {
        return outcome != Outcome.REFUSED;
    }

    /** @return true when the caller already held the lease and it was extended */
    public boolean renewed() {
        return outcome == Outcome.RENEWED;
    }
}
