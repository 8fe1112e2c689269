package dev.kino.loadtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One signed-in account of the pool: its current access and refresh tokens. A virtual user holds it alone
 * ({@link AccountPool#take()} … {@link AccountPool#release}) because refresh tokens rotate on every use: two users
 * refreshing the same one at once would look like a replayed token and end the session.
 */
public final class Account {
    private final String login;
    private volatile String accessToken;
    private volatile String refreshToken;
    private volatile long accessExpiresAtMillis;

    Account(String login) {
        this.login = login;
    }

    /** @return the user name or e-mail it signs in with */
    public String login() {
        return login;
    }

    /** @return {@code Bearer <access token>} */
    public String bearer() {
        return "Bearer " + accessToken;
    }

    /** @return the body of POST /api/v1/auth/refresh: {@code {"refreshToken": …}} */
    public String refreshBody() {
        return KinoApi.json(Map.of("refreshToken", refreshToken));
    }

    /** @return whether the access token is (nearly) expired, as the web app checks before each request */
    public boolean needsRefresh() {
        return System.currentTimeMillis() > accessExpiresAtMillis;
    }

    /**
     * Takes the tokens of a sign-in or refresh answer.
     *
     * @param tokenResponse {@code {accessToken, tokenType, expiresIn (seconds), refreshToken, sessionId}}
     */
    public void tokens(String tokenResponse) {
        try {
            JsonNode t = KinoApi.JSON.readTree(tokenResponse);
            accessToken = t.path("accessToken").asText();
            refreshToken = t.path("refreshToken").asText();
            // As the web app: refresh 30 s before the access token expires.
            accessExpiresAtMillis = System.currentTimeMillis() + Math.max(10, t.path("expiresIn").asLong(300) - 30) * 1000;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
