package dev.kino.control;

/** A login with an unknown account or a wrong password (never saying which). HTTP: 401 {@code invalid-credentials}. */
public class InvalidCredentialsException extends UnauthenticatedException {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialsException(String message) {
        super(message);
    }
}
