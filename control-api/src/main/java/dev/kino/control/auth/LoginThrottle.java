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
 * Login rate limiting and lockout on {@link dev.kino.common.state.SharedState}, so every node counts together.
 *
 * <ul>
 *   <li>At most {@code control.loginAttemptsPerAddress} (default {@link #IP_LIMIT}) attempts per client address per {@link #IP_WINDOW}, whatever the account.</li>
 *   <li>Wrong passwords are counted per (account, client address) within {@link #LOCKOUT}: from the
 *       {@link #FAILURE_LIMIT}th on, that pair waits a delay that doubles with each further failure, from
 *       {@link #FIRST_DELAY} up to {@link #LOCKOUT} (429 with {@code Retry-After}). Someone guessing a password from
 *       one address so delays only themselves: they cannot lock the owner out (OWASP Authentication Cheat Sheet,
 *       "Account Lockout").</li>
 *   <li>Wrong passwords are also counted per account from every address; at {@link #ACCOUNT_FAILURE_LIMIT} within
 *       {@link #LOCKOUT} (a distributed guess) the account is closed for {@link #LOCKOUT} to sign-ins from unknown
 *       devices only: an address the account has signed in from before ({@code known}) can still sign in.</li>
 * </ul>
 * A successful login clears its pair's count.
 */
public final class LoginThrottle {
    public static final int IP_LIMIT = 30;
    public static final Duration IP_WINDOW = Duration.ofMinutes(5);
    public static final int FAILURE_LIMIT = 5;
    public static final int ACCOUNT_FAILURE_LIMIT = 50;
    public static final Duration FIRST_DELAY = Duration.ofSeconds(30);
    public static final Duration LOCKOUT = Duration.ofMinutes(15);

    private final BlockingSharedState state;
    private final Clock clock;

    private final int ipLimit;

    /** With the default {@link #IP_LIMIT} attempts per address. */
    public LoginThrottle(BlockingSharedState state, Clock clock) {
        this(state, clock, IP_LIMIT);
    }

    /**
     * @param ipLimit attempts per client address per {@link #IP_WINDOW} ({@code control.loginAttemptsPerAddress})
     */
    public LoginThrottle(BlockingSharedState state, Clock clock, int ipLimit) {
        if (ipLimit < 1) {
            throw new IllegalArgumentException("ipLimit must be at least 1: " + ipLimit);
        }
        this.state = state;
        this.clock = clock;
        this.ipLimit = ipLimit;
    }

    /** Counts an attempt from an IP. @throws RateLimitedException over the limit */
    public void attemptFrom(String ip) {
        limit("login:ip:" + ip, ipLimit, IP_WINDOW, "too many login attempts from this address");
    }

    /** Counts a request of another kind (registration, reset mails) from an IP. @throws RateLimitedException */
    public void limit(String key, int limit, Duration window, String message) {
        RateLimitResult r = state.hit(key, limit, window);
        if (!r.allowed()) {
            throw tooMany(message, r.retryAfterSeconds());
        }
    }

    /**
     * @param accountId the account being signed in to
     * @param ip the client address
     * @param knownDevice true when the account has signed in from this address before
     * @throws RateLimitedException while this pair waits out its delay, or the account is closed to unknown devices
     */
    public void checkAllowed(UUID accountId, String ip, boolean knownDevice) {
        waitFor(pairDelayKey(accountId, ip), "too many failed logins to this account from this address");
        if (!knownDevice) {
            waitFor(lockKey(accountId), "this account is under attack: sign in from a device you used before, or"
                    + " wait");
        }
    }

    /**
     * Counts a wrong password.
     *
     * @throws RateLimitedException when this failure starts a delay for the pair
     */
    public void failed(UUID accountId, String ip) {
        RateLimitResult account = state.hit(accountFailKey(accountId), ACCOUNT_FAILURE_LIMIT, LOCKOUT);
        if (account.count() >= ACCOUNT_FAILURE_LIMIT) {
            state.put(lockKey(accountId), clock.instant().plus(LOCKOUT).toString(), LOCKOUT);
        }
        RateLimitResult pair = state.hit(pairFailKey(accountId, ip), Integer.MAX_VALUE, LOCKOUT);
        if (pair.count() >= FAILURE_LIMIT) {
            int doublings = Math.min(pair.count() - FAILURE_LIMIT, 20);
            Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
            if (delay.compareTo(LOCKOUT) > 0) {
                delay = LOCKOUT;
            }
            state.put(pairDelayKey(accountId, ip), clock.instant().plus(delay).toString(), delay);
            throw tooMany("too many failed logins to this account from this address", delay.toSeconds());
        }
    }

    /** A correct password from this address: its pair starts again from zero. */
    public void succeeded(UUID accountId, String ip) {
        state.resetRateLimit(pairFailKey(accountId, ip));
    }

    /** The account's password was reset by its owner: every count and lock of the account ends. */
    public void passwordReset(UUID accountId) {
        state.resetRateLimit(accountFailKey(accountId));
        state.delete(lockKey(accountId));
    }

    private void waitFor(String key, String message) {
        Optional<String> until = state.get(key);
        if (until.isPresent()) {
            long seconds = Math.max(1, Duration.between(clock.instant(), Instant.parse(until.get())).toSeconds() + 1);
            throw tooMany(message, seconds);
        }
    }

    private static String lockKey(UUID accountId) {
        return "login:lock:" + accountId;
    }

    private static String accountFailKey(UUID accountId) {
        return "login:fail:" + accountId;
    }

    private static String pairFailKey(UUID accountId, String ip) {
        return "login:fail:" + accountId + ":" + ip;
    }

    private static String pairDelayKey(UUID accountId, String ip) {
        return "login:delay:" + accountId + ":" + ip;
    }

    private static RateLimitedException tooMany(String message, long retryAfterSeconds) {
        return new RateLimitedException(message + "; retry in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
