package dev.kino.control.auth;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code one_time_tokens}: the single-use tokens of e-mail links (address verification, password reset, e-mail
 * change with the new address), stored as their SHA-256 ({@link OpaqueTokens#hash}), never in clear.
 */
final class OneTimeTokenStore {
    /** Stores a new token of the account for one purpose ({@code verify-email}, {@code password-reset}). */
    void insert(Handle h, byte[] tokenHash, UUID accountId, String purpose, Instant now, Instant expires) {
        insert(h, tokenHash, accountId, purpose, now, expires, null);
    }

    /** Stores a new token; {@code newEmail} is the address a {@code change-email} link confirms, else null. */
    void insert(Handle h, byte[] tokenHash, UUID accountId, String purpose, Instant now, Instant expires, String newEmail) {
        h.createUpdate("insert into one_time_tokens (token_hash, account_id, purpose, created_at, expires_at, new_email) "
                        + "values (:hash, :account, :purpose, :now, :expires, :email)")
                .bind("hash", tokenHash).bind("account", accountId).bind("purpose", purpose)
                .bind("now", BanStore.utc(now)).bind("expires", BanStore.utc(expires)).bind("email", newEmail).execute();
    }

    /** Spends every unused token of the account for {@code purpose} (a newer request replaces them). */
    void spendAll(Handle h, UUID accountId, String purpose, Instant now) {
        h.createUpdate("update one_time_tokens set used_at = :now where account_id = :account and purpose = :purpose "
                        + "and used_at is null")
                .bind("now", BanStore.utc(now)).bind("account", accountId).bind("purpose", purpose).execute();
    }

    /** @param accountId the token's account @param newEmail the address it confirms */
    record Spent(UUID accountId, String newEmail) {
    }

    /** @return the token's account and address, after spending it; empty as for {@link #consume} */
    Optional<Spent> consumeWithEmail(Handle h, byte[] tokenHash, String purpose, Instant now) {
        return h.createQuery("update one_time_tokens set used_at = :now where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > :now returning account_id, new_email")
                .bind("now", BanStore.utc(now)).bind("hash", tokenHash).bind("purpose", purpose)
                .map((rs, ctx) -> new Spent(rs.getObject(1, UUID.class), rs.getString(2))).findOne();
    }

    /** @return the token's account, after spending it; empty when unknown, used, expired or for another purpose */
    Optional<UUID> consume(Handle h, byte[] tokenHash, String purpose, Instant now) {
        return h.createQuery("update one_time_tokens set used_at = :now where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > :now returning account_id")
                .bind("now", BanStore.utc(now)).bind("hash", tokenHash).bind("purpose", purpose)
                .mapTo(UUID.class).findOne();
    }
}
