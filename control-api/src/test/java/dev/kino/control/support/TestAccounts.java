package dev.kino.control.support;

import dev.kino.control.http.ApiException;
import dev.kino.control.http.Authenticator;
import dev.kino.control.http.ProblemType;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts for feature tests, until the accounts feature's real login is wired in: rows in
 * {@code accounts} (+ {@code account_roles}) and opaque bearer tokens mapping to them. The principal
 * is the account id ({@link UUID}).
 */
public final class TestAccounts {
    private static final Map<String, UUID> TOKENS = new ConcurrentHashMap<>();

    /** Resolves tokens made by {@link #create}; 401 for any other. */
    public static final Authenticator AUTHENTICATOR = token -> {
        UUID id = TOKENS.get(token);
        if (id == null) {
            throw ApiException.of(ProblemType.INVALID_TOKEN, "unknown test token");
        }
        return id;
    };

    private TestAccounts() {
    }

    /** An account and its token. */
    public record Account(UUID id, String token) {
    }

    /**
     * @param role an extra role ({@code admin}, {@code moderator}) or null for a plain user
     * @param maturity the {@code accounts.maturity} value
     */
    public static Account create(Jdbi jdbi, String role, String maturity) {
        TestApi.api();
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        jdbi.useHandle(h -> {
            h.createUpdate("""
                    insert into accounts (id, email, username, password_hash, maturity, tokens_valid_after, created_at, updated_at)
                    values (:id, :email, :user, 'x', :maturity, :now, :now, :now)""")
                    .bind("id", id).bind("email", id + "@test.kino").bind("user", "u" + id.toString().replace("-", ""))
                    .bind("maturity", maturity).bind("now", now).execute();
            if (role != null) {
                h.createUpdate("insert into account_roles (account_id, role_name) values (:id, :role)")
                        .bind("id", id).bind("role", role).execute();
            }
        });
        String token = "t-" + UUID.randomUUID();
        TOKENS.put(token, id);
        return new Account(id, token);
    }

    public static Account admin(Jdbi jdbi) {
        return create(jdbi, "admin", "all");
    }

    public static Account user(Jdbi jdbi) {
        return create(jdbi, null, "all");
    }

    /** @return the account's primary viewer profile (per-profile stores are keyed by it) */
    public static java.util.UUID primaryProfile(Jdbi jdbi, java.util.UUID account) {
        return jdbi.withHandle(h -> h.createQuery("select id from profiles where account_id = :a and is_primary")
                .bind("a", account).mapTo(java.util.UUID.class).one());
    }
}
