package dev.kino.control.http;

/**
 * Turns a bearer token into the principal of a route declared {@code authenticated()}. Runs on the
 * blocking executor or the route's own ({@link Router.RouteBuilder#executor}), never on an event loop: it may block.
 */
@FunctionalInterface
public interface Authenticator {
    /** Rejects every token: for servers with no authenticated routes. */
    Authenticator NONE = token -> {
        throw ApiException.of(ProblemType.INVALID_TOKEN, "no authenticator configured");
    };

    /**
     * @param bearerToken the token, never null
     * @return the principal handlers read with {@link Request#principal(Class)}
     * @throws ApiException 401 for a bad token, 403 for a banned account
     */
    Object authenticate(String bearerToken);

    /**
     * Authenticates the caller of a route declared {@code authenticated()}; what the runtime calls. An authenticator
     * that limits some tokens to some routes (a session that must first enrol a second factor) overrides it.
     *
     * @param bearerToken the token, never null
     * @param route the matched route
     * @return the principal
     * @throws ApiException 401 for a bad token, 403 for a banned account or a route the token may not reach
     */
    default Object authenticate(String bearerToken, Route route) {
        return authenticate(bearerToken);
    }
}
