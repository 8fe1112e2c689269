package dev.kino.control;

/**
 * The caller must sign in first (a guest asking for what needs an account). HTTP: 401 {@code unauthorized}
 * with the bearer challenge {@code WWW-Authenticate: Bearer realm="kino"}.
 */
public class UnauthenticatedException extends ControlApiException {
    private static final long serialVersionUID = 1L;

    public UnauthenticatedException(String message) {
        super(message);
    }
}
