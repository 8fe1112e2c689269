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
    /** @return whether the account exists and has confirmed its e-mail address (only those are sent notices) */
    public boolean emailVerified(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("select email_verified_at is not null from accounts where id = :id")
                .bind("id", id).mapTo(Boolean.class).findOne().orElse(false));
    }

    /** @return those of {@code ids} whose e-mail address is confirmed (one query, for fan-outs) */
    public java.util.Set<UUID> emailVerifiedAmong(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return jdbi.withHandle(h -> h.createQuery("select id from accounts where id = any(:ids) and email_verified_at is not null")
                .bind("ids", ids.toArray(UUID[]::new)).mapTo(UUID.class).collect(java.util.stream.Collectors.toSet()));
    }

    public void invalidateTokens(Handle h, UUID id, Instant now) {
        h.createUpdate("update accounts set tokens_valid_after = :now where id = :id")
                .bind("now", BanStore.utc(now)).bind("id", id).execute();
    }

    // ---- credentials (sign-in, registration, e-mail and password changes) ------------------------------

    /** Serialises registrations until the transaction ends, so the free-name checks and the insert see one another. */
    void lockRegistrations(Handle h) {
        h.execute("select pg_advisory_xact_lock(7301)");
    }

    /** @return whether an account uses this e-mail address, any case */
    boolean emailTaken(Handle h, String email) {
        return h.createQuery("select exists (select 1 from accounts where lower(email) = lower(:e))")
                .bind("e", email).mapTo(boolean.class).one();
    }

    /** @return whether an account uses this user name, any case */
    boolean usernameTaken(Handle h, String username) {
        return h.createQuery("select exists (select 1 from accounts where lower(username) = lower(:u))")
                .bind("u", username).mapTo(boolean.class).one();
    }

    /** Inserts a new account with its password hash (PHC string); its tokens are valid from {@code now}. */
    void insert(Handle h, UUID id, String email, String username, String passwordHash, Instant now) {
        h.createUpdate("insert into accounts (id, email, username, password_hash, tokens_valid_after, created_at, updated_at) "
                        + "values (:id, :email, :username, :hash, :now, :now, :now)")
                .bind("id", id).bind("email", email).bind("username", username).bind("hash", passwordHash)
                .bind("now", BanStore.utc(now)).execute();
    }

    /**
     * @param id the account
     * @param passwordHash its password hash (PHC string)
     */
    record Credentials(UUID id, String passwordHash) {
    }

    /** @return the credentials of the account whose e-mail address or user name is {@code login}, any case */
    Optional<Credentials> credentials(String login) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select id, password_hash from accounts where lower(email) = lower(:l) or lower(username) = lower(:l)")
                .bind("l", login)
                .map((rs, ctx) -> new Credentials(rs.getObject("id", UUID.class), rs.getString("password_hash")))
                .findFirst());
    }

    /** Replaces a password hash by a stronger one of the same password, unless it changed meanwhile. */
    void upgradeHash(Handle h, UUID id, String oldHash, String newHash) {
        h.createUpdate("update accounts set password_hash = :hash where id = :id and password_hash = :old")
                .bind("hash", newHash).bind("id", id).bind("old", oldHash).execute();
    }

    /** Records that the account's e-mail address is verified (the first time only). */
    void markEmailVerified(Handle h, UUID id, Instant now) {
        h.createUpdate("update accounts set email_verified_at = coalesce(email_verified_at, :now), updated_at = :now "
                + "where id = :id").bind("now", BanStore.utc(now)).bind("id", id).execute();
    }

    /** @return the account using this e-mail address, any case */
    Optional<Identity> byEmail(Handle h, String email) {
        return h.createQuery("select id, email, username from accounts where lower(email) = lower(:e)")
                .bind("e", email)
                .map((rs, ctx) -> new Identity(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("username")))
                .findOne();
    }

    /** @return the account's identity, in the caller's transaction */
    Identity identity(Handle h, UUID id) {
        return h.createQuery("select email, username from accounts where id = :id").bind("id", id)
                .map((rs, ctx) -> new Identity(id, rs.getString(1), rs.getString(2))).one();
    }

    /**
     * Sets a new password hash; every access token issued before {@code now} stops working and the e-mail address
     * counts as verified (the reset link reached it).
     */
    void resetPassword(Handle h, UUID id, String passwordHash, Instant now) {
        h.createUpdate("update accounts set password_hash = :hash, tokens_valid_after = :now, updated_at = :now, "
                        + "email_verified_at = coalesce(email_verified_at, :now) where id = :id")
                .bind("hash", passwordHash).bind("now", BanStore.utc(now)).bind("id", id).execute();
    }
}
