package dev.kino.loadtest;

/** Why a run cannot start or went wrong, in one line for the user (no stack trace needed). */
public final class LoadTestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LoadTestException(String message) {
        super(message);
    }
}
