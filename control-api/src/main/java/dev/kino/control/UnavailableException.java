package dev.kino.control;

/**
 * A service the request needs is unreachable for now (shared state announcing a take-down); repeating the request
 * later succeeds. HTTP: 503 {@code unavailable} with {@code Retry-After} in seconds.
 */
public class UnavailableException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    /**
     * @param message what is unavailable and what was already done
     * @param retryAfterSeconds when to retry, at least 1
     * @param cause the failure
     */
    public UnavailableException(String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** @return seconds until a retry may succeed */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
