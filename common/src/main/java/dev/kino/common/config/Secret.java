package dev.kino.common.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configured secret (a password, a key in text form). Its {@link #toString()} is masked so it cannot
 * leak into a log line or an exception message by accident; read it with {@link #reveal()} only where
 * it is used.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret("");
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** @param value the secret text, empty for "not configured" */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    /** @return true when no value was configured */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** @return the secret text; never log it */
    public String reveal() {
        return value;
    }

    /** @return {@code ********} when set, {@code (empty)} when not: never the value */
    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "********";
    }

    /** Constant-time comparison, so equality checks on secrets leak no timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), s.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // deliberately constant: a hash of a secret is a leak
    }
}
