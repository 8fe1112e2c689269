package dev.kino.control;

/**
 * Too many requests of a kind (logins from an address, concurrent streams of an account): retry later.
 * HTTP: 429 {@code rate-limited} with {@code Retry-After} in seconds.
 */
public class RateLimitedException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /**
     * @param message what is limited
     * @param retryAfterSeconds when a retry may succeed, at least 1
     */
    public RateLimitedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** @return seconds until a retry may succeed */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
