package dev.kino.control.auth.oidc;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The OpenID Connect tables ({@code V140__oidc_identities.sql}): linked identities, authorisation requests in
 * flight and single-use hand-offs. Tokens are stored as SHA-256 only ({@code OpaqueTokens.hash}); every spend is
 * one atomic statement, so two requests racing with the same token cannot both win.
 */
final class OidcStore {
    private final Jdbi jdbi;

    OidcStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    // ---- identities -----------------------------------------------------------------------------------------

    /**
     * @param provider the provider's id
     * @param subject its {@code sub}
     * @param accountId the account it signs in to
     * @param email the address the provider gave when it was linked, or null
     * @param linkedAt when it was linked
     * @param lastUsedAt when it last signed in, or null
     */
    record IdentityRow(String provider, String subject, UUID accountId, String email, Instant linkedAt,
                       Instant lastUsedAt) {
    }

    /** @return the account an identity signs in to */
    Optional<UUID> accountOf(String provider, String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select account_id from oidc_identities where provider = :p and subject = :s")
                .bind("p", provider).bind("s", subject).mapTo(UUID.class).findOne());
    }

    /** @return the account's identities, oldest link first */
    List<IdentityRow> identities(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select provider, subject, account_id, email, linked_at, last_used_at from oidc_identities
                        where account_id = :a order by linked_at, provider""")
                .bind("a", accountId)
                .map((rs, ctx) -> new IdentityRow(rs.getString("provider"), rs.getString("subject"),
                        rs.getObject("account_id", UUID.class), rs.getString("email"),
                        rs.getObject("linked_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_used_at", OffsetDateTime.class) == null ? null
                                : rs.getObject("last_used_at", OffsetDateTime.class).toInstant()))
                .list());
    }

    /**
     * Links an identity to an account.
     *
     * @return false when the identity is linked already (to this account or another) or the account already has an
     *         identity at that provider
     */
    boolean link(Handle h, String provider, String subject, UUID accountId, String email, Instant now) {
        return h.createUpdate("""
                        insert into oidc_identities (provider, subject, account_id, email, linked_at)
                        values (:p, :s, :a, :e, :now) on conflict do nothing""")
                .bind("p", provider).bind("s", subject).bind("a", accountId).bind("e", email).bind("now", utc(now))
                .execute() == 1;
    }

    void touch(String provider, String subject, Instant now) {
        jdbi.useHandle(h -> h.createUpdate(
                        "update oidc_identities set last_used_at = :now where provider = :p and subject = :s")
                .bind("now", utc(now)).bind("p", provider).bind("s", subject).execute());
    }

    /** @return true when the account had an identity at that provider and now has none */
    boolean unlink(UUID accountId, String provider) {
        return jdbi.withHandle(h -> h.createUpdate("delete from oidc_identities where account_id = :a and provider = :p")
                .bind("a", accountId).bind("p", provider).execute() == 1);
    }

    // ---- authorisation requests in flight --------------------------------------------------------------------

    /**
     * @param provider the provider the browser was sent to
     * @param nonce the nonce the ID token must carry
     * @param codeVerifier the PKCE verifier
     * @param linkAccount the account linking the provider from its settings or re-authenticating, or null for a
     *                    sign-in
     * @param purpose {@code sign-in}, {@code link} or {@code reauth}
     */
    record PendingRequest(String provider, String nonce, String codeVerifier, UUID linkAccount, String purpose) {
    }

    void saveRequest(byte[] stateHash, byte[] browserHash, PendingRequest r, Instant now, Instant expires) {
        jdbi.useTransaction(h -> {
            // a cheap sweep of the abandoned ones on the way (nobody else reads expired rows)
            h.createUpdate("delete from oidc_requests where expires_at < :now").bind("now", utc(now)).execute();
            h.createUpdate("""
                            insert into oidc_requests (state_hash, browser_hash, provider, nonce, code_verifier,
                                link_account, purpose, created_at, expires_at)
                            values (:s, :b, :p, :n, :v, :a, :purpose, :now, :exp)""")
                    .bind("s", stateHash).bind("b", browserHash).bind("p", r.provider()).bind("n", r.nonce())
                    .bind("v", r.codeVerifier()).bind("a", r.linkAccount()).bind("purpose", r.purpose()).bind("now", utc(now))
                    .bind("exp", utc(expires)).execute();
        });
    }

    /**
     * Spends an authorisation request: it is deleted whatever comes next, so a state works once.
     *
     * @return the request when the state is known, unexpired, for this provider and begun by this browser
     */
    Optional<PendingRequest> spendRequest(byte[] stateHash, byte[] browserHash, String provider, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        delete from oidc_requests where state_hash = :s
                        returning browser_hash, provider, nonce, code_verifier, link_account, purpose, expires_at""")
                .bind("s", stateHash)
                .map((rs, ctx) -> {
                    boolean ok = java.security.MessageDigest.isEqual(rs.getBytes("browser_hash"), browserHash)
                            && rs.getString("provider").equals(provider)
                            && rs.getObject("expires_at", OffsetDateTime.class).toInstant().isAfter(now);
                    return ok ? new PendingRequest(rs.getString("provider"), rs.getString("nonce"),
                            rs.getString("code_verifier"), rs.getObject("link_account", UUID.class),
                            rs.getString("purpose")) : null;
                })
                .findOne()
                .filter(java.util.Objects::nonNull));
    }

    // ---- hand-offs --------------------------------------------------------------------------------------------

    /**
     * @param kind {@code sign-in}, {@code exchange-link}, {@code link}, {@code reauth} (a re-authentication's
     *             callback) or {@code reauth-proof} (what it was exchanged for)
     * @param accountId the account it concerns
     * @param provider the provider
     * @param subject the identity's {@code sub}
     * @param email the provider's address, or null
     */
    record Handoff(String kind, UUID accountId, String provider, String subject, String email) {
    }

    void saveHandoff(byte[] tokenHash, Handoff a, Instant now, Instant expires) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from oidc_handoffs where expires_at < :now").bind("now", utc(now)).execute();
            h.createUpdate("""
                            insert into oidc_handoffs (token_hash, kind, account_id, provider, subject, email,
                                created_at, expires_at)
                            values (:t, :k, :a, :p, :s, :e, :now, :exp)""")
                    .bind("t", tokenHash).bind("k", a.kind()).bind("a", a.accountId()).bind("p", a.provider())
                    .bind("s", a.subject()).bind("e", a.email()).bind("now", utc(now)).bind("exp", utc(expires))
                    .execute();
        });
    }

    /** Spends a hand-off of one of {@code kinds} at once. @return it, when it was live */
    Optional<Handoff> spendHandoff(byte[] tokenHash, List<String> kinds, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        update oidc_handoffs set used_at = :now
                        where token_hash = :t and kind = any(:k) and used_at is null and expires_at > :now
                        returning kind, account_id, provider, subject, email""")
                .bind("now", utc(now)).bind("t", tokenHash).bindArray("k", String.class, kinds)
                .map((rs, ctx) -> new Handoff(rs.getString("kind"), rs.getObject("account_id", UUID.class),
                        rs.getString("provider"), rs.getString("subject"), rs.getString("email")))
                .findOne());
    }

    /**
     * Spends a re-authentication proof of {@code accountId} at once: another account's proof is left as it was (its
     * owner may still use it), an expired or used one matches nothing.
     *
     * @return true when the proof was live and the account's
     */
    boolean spendReauthProof(byte[] tokenHash, UUID accountId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        update oidc_handoffs set used_at = :now
                        where token_hash = :t and kind = 'reauth-proof' and account_id = :a and used_at is null
                            and expires_at > :now""")
                .bind("now", utc(now)).bind("t", tokenHash).bind("a", accountId).execute() == 1);
    }

    /** @return a live hand-off of that kind, not spent (a link confirmation checks the proof first) */
    Optional<Handoff> peekHandoff(byte[] tokenHash, String kind, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select kind, account_id, provider, subject, email from oidc_handoffs
                        where token_hash = :t and kind = :k and used_at is null and expires_at > :now""")
                .bind("t", tokenHash).bind("k", kind).bind("now", utc(now))
                .map((rs, ctx) -> new Handoff(rs.getString("kind"), rs.getObject("account_id", UUID.class),
                        rs.getString("provider"), rs.getString("subject"), rs.getString("email")))
                .findOne());
    }

    /**
     * Counts a wrong proof against a hand-off; the {@code max}th spends it.
     *
     * @return true when it is now spent
     */
    boolean failedAttempt(byte[] tokenHash, int max, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("""
                        update oidc_handoffs set attempts = attempts + 1,
                            used_at = case when attempts + 1 >= :max then cast(:now as timestamptz) end
                        where token_hash = :t and used_at is null returning used_at is not null""")
                .bind("max", max).bind("now", utc(now)).bind("t", tokenHash).mapTo(boolean.class)
                .findOne().orElse(true));
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
