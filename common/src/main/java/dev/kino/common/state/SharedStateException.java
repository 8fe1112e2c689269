package dev.kino.common.state;

/**
 * The shared store failed: Redis unreachable, a command timed out, an unexpected reply. Completes the stages of
 * {@link SharedState} exceptionally (and is thrown by {@link BlockingSharedState}). Its message never contains
 * credentials. Callers decide whether to fail open or closed: e.g. a rate limit may let a login through while
 * Redis is down, a lease check may refuse playback.
 */
public class SharedStateException extends RuntimeException {
    /**
     * @param message what failed, without secrets
     * @param cause the underlying failure, or null
     */
    public SharedStateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed, without secrets */
    public SharedStateException(String message) {
        super(message);
    }
}
