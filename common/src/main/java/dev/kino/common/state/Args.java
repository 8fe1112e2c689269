package dev.kino.common.state;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the implementations. */
final class Args {
    /** Longest accepted TTL or window: keeps epoch-millisecond expiries exact in Redis Lua numbers. */
    static final Duration MAX = Duration.ofDays(36_500);

    private Args() {
    }

    static String key(String key, String what) {
        Objects.requireNonNull(key, what);
        if (key.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return key;
    }

    static String value(String value, String what) {
        return Objects.requireNonNull(value, what);
    }

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /** @return the duration in whole milliseconds, at least 1 */
    static long millis(Duration d, String what) {
        positive(d, what);
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(what + " longer than " + MAX.toDays() + " days: " + d);
        }
        long ms = d.toMillis();
        if (ms < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 ms: " + d);
        }
        return ms;
    }

    static int limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return limit;
    }
}
