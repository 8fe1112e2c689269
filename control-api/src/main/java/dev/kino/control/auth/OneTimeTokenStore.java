package dev.kino.control.auth;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code one_time_tokens}: the single-use tokens of e-mail links (address verification, password reset), stored
 * as their SHA-256 ({@link OpaqueTokens#hash}), never in clear.
 */
final class OneTimeTokenStore {
    /** Stores a new token of the account for one purpose ({@code verify-email}, {@code password-reset}). */
    void insert(Handle h, byte[] tokenHash, UUID accountId, String purpose, Instant now, Instant expires) {
        h.createUpdate("insert into one_time_tokens (token_hash, account_id, purpose, created_at, expires_at) "
                        + "values (:hash, :account, :purpose, :now, :expires)")
                .bind("hash", tokenHash).bind("account", accountId).bind("purpose", purpose)
                .bind("now", BanStore.utc(now)).bind("expires", BanStore.utc(expires)).execute();
    }

    /** @return the token's account, after spending it; empty when unknown, used, expired or for another purpose */
    Optional<UUID> consume(Handle h, byte[] tokenHash, String purpose, Instant now) {
        return h.createQuery("update one_time_tokens set used_at = :now where token_hash = :hash and purpose = :purpose "
                        + "and used_at is null and expires_at > :now returning account_id")
                .bind("now", BanStore.utc(now)).bind("hash", tokenHash).bind("purpose", purpose)
                .mapTo(UUID.class).findOne();
    }
}
