package dev.kino.control.http;

/**
 * Turns a bearer token into the principal of a route declared {@code authenticated()}. Runs on the
 * blocking executor.
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
}
