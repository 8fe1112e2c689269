package dev.kino.control.auth;

import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.RateLimitResult;
import dev.kino.control.RateLimitedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Login rate limiting and lockout on {@link dev.kino.common.state.SharedState}, so every node counts
 * together: at most {@link #IP_LIMIT} attempts per client IP per {@link #IP_WINDOW}, and after
 * {@link #FAILURE_LIMIT} wrong passwords within {@link #LOCKOUT} the account is locked for
 * {@link #LOCKOUT} (429 with {@code Retry-After}). A successful login clears the failure count.
 */
public final class LoginThrottle {
    public static final int IP_LIMIT = 30;
    public static final Duration IP_WINDOW = Duration.ofMinutes(5);
    public static final int FAILURE_LIMIT = 5;
    public static final Duration LOCKOUT = Duration.ofMinutes(15);

    private final BlockingSharedState state;
    private final Clock clock;

    public LoginThrottle(BlockingSharedState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /** Counts an attempt from an IP. @throws RateLimitedException over the limit */
    public void attemptFrom(String ip) {
        limit("login:ip:" + ip, IP_LIMIT, IP_WINDOW, "too many login attempts from this address");
    }

    /** Counts a request of another kind (registration, reset mails) from an IP. @throws RateLimitedException */
    public void limit(String key, int limit, Duration window, String message) {
        RateLimitResult r = state.hit(key, limit, window);
        if (!r.allowed()) {
            throw tooMany(message, r.retryAfterSeconds());
        }
    }

    /** @throws RateLimitedException while the account is locked */
    public void checkNotLocked(UUID accountId) {
        Optional<String> until = state.get(lockKey(accountId));
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(clock.instant(), Instant.parse(until.get())).toSeconds() + 1);
            throw tooMany("this account is locked after repeated failed logins", seconds);
        }
    }

    /** Counts a wrong password; locks the account when it reaches the limit. @throws RateLimitedException then */
    public void failed(UUID accountId) {
        RateLimitResult r = state.hit("login:fail:" + accountId, FAILURE_LIMIT, LOCKOUT);
        if (r.count() >= FAILURE_LIMIT) {
            state.put(lockKey(accountId), clock.instant().plus(LOCKOUT).toString(), LOCKOUT);
            state.resetRateLimit("login:fail:" + accountId);
            throw tooMany("this account is locked after repeated failed logins", LOCKOUT.toSeconds());
        }
    }

    public void succeeded(UUID accountId) {
        state.resetRateLimit("login:fail:" + accountId);
    }

    private static String lockKey(UUID accountId) {
        return "login:lock:" + accountId;
    }

    private static RateLimitedException tooMany(String message, long retryAfterSeconds) {
        return new RateLimitedException(message + "; retry in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
