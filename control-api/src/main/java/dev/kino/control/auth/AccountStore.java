package dev.kino.control.auth;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads of the identity part of {@code accounts} (id, e-mail, username) for other features, and the "tokens valid
 * after" instant. NOTE: {@code accounts} is shared by two features of one table: auth owns the identity and
 * credential columns (written by {@link AuthService} at registration, password change and reset, and here), the
 * account feature ({@code dev.kino.control.account.ProfileStore}) the profile columns.
 */
public final class AccountStore {
    private final Jdbi jdbi;

    public AccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * @param id account id
     * @param email e-mail address
     * @param username username
     */
    public record Identity(UUID id, String email, String username) {
    }

    /** @return whether the account exists */
    public boolean exists(Handle h, UUID id) {
        return h.createQuery("select exists (select 1 from accounts where id = :id)").bind("id", id)
                .mapTo(boolean.class).one();
    }

    /** @return whether the account exists */
    public boolean exists(UUID id) {
        return jdbi.withHandle(h -> exists(h, id));
    }

    /** @return the account's identity */
    public Optional<Identity> identity(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select email, username from accounts where id = :id").bind("id", id)
                .map((rs, ctx) -> new Identity(id, rs.getString(1), rs.getString(2))).findOne());
    }

    /** Invalidates every access token issued before {@code now} (they fail the "tokens valid after" check). */
    public void invalidateTokens(Handle h, UUID id, Instant now) {
        h.createUpdate("update accounts set tokens_valid_after = :now where id = :id")
                .bind("now", BanStore.utc(now)).bind("id", id).execute();
    }
}
