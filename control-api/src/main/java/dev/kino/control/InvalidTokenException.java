package dev.kino.control;

/**
 * A token was refused: bad signature, expired, revoked, or its session or account gone. HTTP: 401
 * {@code invalid-token}; when the refused token is the bearer access token the answer also carries the RFC 6750
 * §3.1 challenge {@code WWW-Authenticate: Bearer realm="kino", error="invalid_token"}.
 */
public class InvalidTokenException extends UnauthenticatedException {
    private static final long serialVersionUID = 1L;

    private final boolean accessToken;

    /**
     * @param message why the token is refused
     * @param accessToken true when it is the bearer access token of the request (not a refresh or e-mail token)
     */
    public InvalidTokenException(String message, boolean accessToken) {
        super(message);
        this.accessToken = accessToken;
    }

    /** @return an exception refusing the request's bearer access token */
    public static InvalidTokenException accessToken(String message) {
        return new InvalidTokenException(message, true);
    }

    /** @return true when the refused token is the bearer access token */
    public boolean accessToken() {
        return accessToken;
    }
}
