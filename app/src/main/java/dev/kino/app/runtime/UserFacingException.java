package dev.kino.app.runtime;

/**
 * A failure the launcher reports as one line to the user (exit code 1), naming what is wrong; the
 * stack trace, if any, goes to the log only.
 */
public final class UserFacingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming what is wrong and, where it helps, what to do */
    public UserFacingException(String message) {
        super(message);
    }

    /**
     * @param message one line naming what is wrong
     * @param cause kept for the log
     */
    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
