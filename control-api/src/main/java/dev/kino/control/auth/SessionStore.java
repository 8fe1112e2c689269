package dev.kino.control.auth;

import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Owns {@code sessions} and {@code refresh_tokens}: sessions opened at sign-in, refresh-token rotation, logout and
 * revocations, the account's list of sessions, and the state the {@link TokenAuthenticator} checks per request.
 * Refresh tokens are stored as their SHA-256 ({@link OpaqueTokens#hash}), never in clear.
 */
public final class SessionStore {
    private final Jdbi jdbi;

    public SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A signed-in session.
     *
     * @param id session id
     * @param createdAt login time
     * @param lastUsedAt last refresh
     * @param expiresAt end unless refreshed
     * @param userAgent client at login
     * @param ip address at login
     * @param current whether the caller's access token belongs to it
     */
    public record SessionView(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                              String ip, boolean current) {
    }

    /** Ends every active session of the account, recording why ({@code banned}, {@code password-reset}). */
    public void revokeAll(Handle h, UUID accountId, String reason, Instant now) {
        h.createUpdate("update sessions set revoked_at = :now, revoke_reason = :reason "
                        + "where account_id = :id and revoked_at is null")
                .bind("now", BanStore.utc(now)).bind("reason", reason).bind("id", accountId).execute();
    }

    /**
     * @param current the caller's session, marked {@code current}
     * @return the account's active sessions, newest first
     */
    public Page<SessionView> active(UUID accountId, UUID current, Instant now, Page.Cursor c) {
        Instant afterAt = c.after() == null ? null : c.instant(0);
        UUID afterId = c.after() == null ? null : c.uuid(1);
        List<SessionView> rows = jdbi.withHandle(h -> h.createQuery("""
                        select id, created_at, last_used_at, expires_at, user_agent, ip from sessions
                        where account_id = :account and revoked_at is null and expires_at > :now
                          and (cast(:afterAt as timestamptz) is null
                               or (created_at, id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                        order by created_at desc, id desc limit :n""")
                .bind("account", accountId).bind("now", BanStore.utc(now))
                .bind("afterAt", afterAt == null ? null : BanStore.utc(afterAt)).bind("afterId", afterId)
                .bind("n", c.fetch())
                .map((rs, ctx) -> new SessionView(rs.getObject("id", UUID.class), instant(rs.getObject("created_at", OffsetDateTime.class)),
                        instant(rs.getObject("last_used_at", OffsetDateTime.class)),
                        instant(rs.getObject("expires_at", OffsetDateTime.class)), rs.getString("user_agent"),
                        rs.getString("ip"), rs.getObject("id", UUID.class).equals(current)))
                .list());
        return Page.of(c, rows, s -> List.of(s.createdAt().toString(), s.id().toString()));
    }

    /** Opens a session at sign-in; it ends at {@code expires} unless refreshed. */
    /**
     * @param since how far back a sign-in counts
     * @return true when the account has had a session opened from this client address since then: a "known device"
     *         for {@link LoginThrottle}
     */
    /** @return whether the account ever had a session (a first sign-in is not from a "new device") */
    boolean everSignedIn(UUID accountId) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from sessions where account_id = :a)")
                .bind("a", accountId).mapTo(Boolean.class).one());
    }

    boolean signedInFrom(UUID accountId, String ip, Instant since) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from sessions where account_id = :a"
                        + " and ip = :ip and created_at >= :since)")
                .bind("a", accountId).bind("ip", ip).bind("since", BanStore.utc(since))
                .mapTo(Boolean.class).one());
    }

    void open(Handle h, UUID sessionId, UUID accountId, Instant now, Instant expires, String userAgent, String ip) {
        h.createUpdate("insert into sessions (id, account_id, created_at, last_used_at, expires_at, user_agent, ip) "
                        + "values (:id, :account, :now, :now, :expires, :ua, :ip)")
                .bind("id", sessionId).bind("account", accountId).bind("now", BanStore.utc(now))
                .bind("expires", BanStore.utc(expires))
                .bind("ua", userAgent == null ? null : userAgent.substring(0, Math.min(256, userAgent.length())))
                .bind("ip", ip).execute();
    }

    /** @return a new refresh token of the session (its hash is stored) */
    String issueRefreshToken(Handle h, UUID sessionId, Instant now) {
        String token = OpaqueTokens.generate();
        h.createUpdate("insert into refresh_tokens (token_hash, session_id, created_at) values (:hash, :sid, :now)")
                .bind("hash", OpaqueTokens.hash(token)).bind("sid", sessionId).bind("now", BanStore.utc(now)).execute();
        return token;
    }

    /**
     * A presented refresh token and its session, locked for rotation.
     *
     * @param sessionId its session
     * @param accountId the session's account
     * @param rotated whether the token was already exchanged (a replay)
     * @param sessionRevoked whether the session ended
     * @param sessionExpires when the session ends unless refreshed
     */
    record RefreshTokenRow(UUID sessionId, UUID accountId, boolean rotated, boolean sessionRevoked, Instant sessionExpires) {
    }

    /** @return the refresh token with this hash and its session, locked until the transaction ends */
    Optional<RefreshTokenRow> lockRefreshToken(Handle h, byte[] tokenHash) {
        return h.createQuery("select t.session_id, t.rotated_at is not null as rotated, s.account_id, "
                        + "s.revoked_at is not null as revoked, s.expires_at from refresh_tokens t "
                        + "join sessions s on s.id = t.session_id where t.token_hash = :hash for update of t, s")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new RefreshTokenRow(rs.getObject("session_id", UUID.class),
                        rs.getObject("account_id", UUID.class), rs.getBoolean("rotated"), rs.getBoolean("revoked"),
                        instant(rs.getObject("expires_at", OffsetDateTime.class))))
                .findOne();
    }

    /** @return the profile the session acts as: the one selected, else its account's primary profile */
    UUID profileOf(Handle h, UUID sessionId) {
        return h.createQuery("""
                        select coalesce(s.profile_id, p.id) from sessions s
                          join profiles p on p.account_id = s.account_id and p.is_primary
                         where s.id = :sid""")
                .bind("sid", sessionId).mapTo(UUID.class).one();
    }

    /**
     * Makes an active session of the account act as a profile; its refresh tokens not yet exchanged count as
     * exchanged (the caller issues the one that replaces them).
     *
     * @return false when the session is not the account's or not active
     */
    boolean actAs(Handle h, UUID sessionId, UUID accountId, UUID profileId, Instant now) {
        int n = h.createUpdate("update sessions set profile_id = :p, last_used_at = :now where id = :sid"
                        + " and account_id = :a and revoked_at is null and expires_at > :now")
                .bind("p", profileId).bind("now", BanStore.utc(now)).bind("sid", sessionId).bind("a", accountId)
                .execute();
        if (n == 0) {
            return false;
        }
        h.createUpdate("update refresh_tokens set rotated_at = :now where session_id = :sid and rotated_at is null")
                .bind("now", BanStore.utc(now)).bind("sid", sessionId).execute();
        return true;
    }

    /** Marks the token exchanged and slides the session to {@code expires}. */
    void rotate(Handle h, byte[] tokenHash, UUID sessionId, Instant now, Instant expires) {
        h.createUpdate("update refresh_tokens set rotated_at = :now where token_hash = :hash")
                .bind("now", BanStore.utc(now)).bind("hash", tokenHash).execute();
        h.createUpdate("update sessions set last_used_at = :now, expires_at = :expires where id = :sid")
                .bind("now", BanStore.utc(now)).bind("expires", BanStore.utc(expires)).bind("sid", sessionId).execute();
    }

    /** Ends one session, recording why ({@code refresh-token-reuse}). */
    void revoke(Handle h, UUID sessionId, String reason, Instant now) {
        h.createUpdate("update sessions set revoked_at = :now, revoke_reason = :reason where id = :sid")
                .bind("now", BanStore.utc(now)).bind("reason", reason).bind("sid", sessionId).execute();
    }

    /** @return the session the refresh token belonged to, if it was active and is now ended ({@code logout}) */
    Optional<UUID> endByRefreshToken(byte[] tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("update sessions set revoked_at = :now, revoke_reason = 'logout' "
                        + "where id = (select session_id from refresh_tokens where token_hash = :hash) and revoked_at is null "
                        + "returning id")
                .bind("now", BanStore.utc(now)).bind("hash", tokenHash).mapTo(UUID.class).findOne());
    }

    /** @return whether the account's active session was ended ({@code revoked}); false when not theirs or not active */
    boolean revokeOwn(UUID accountId, UUID sessionId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update sessions set revoked_at = :now, revoke_reason = 'revoked' "
                        + "where id = :sid and account_id = :account and revoked_at is null")
                .bind("now", BanStore.utc(now)).bind("sid", sessionId).bind("account", accountId).execute()) > 0;
    }

    /** @return what {@link TokenAuthenticator} checks of a session: its account, roles, bans and validity */
    Optional<TokenAuthenticator.SessionState> state(UUID sessionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select s.account_id, a.username, s.revoked_at is not null as revoked, s.expires_at,
                               a.tokens_valid_after,
                               exists (select 1 from bans b where b.account_id = a.id and b.lifted_at is null
                                       and b.expires_at is null) as banned_forever,
                               (select max(b.expires_at) from bans b where b.account_id = a.id
                                       and b.lifted_at is null) as banned_until,
                               array(select role_name from account_roles ar where ar.account_id = a.id) as roles,
                               array(select distinct p from account_roles ar join roles r on r.name = ar.role_name,
                                     unnest(r.permissions) p where ar.account_id = a.id) as permissions,
                               exists (select 1 from mfa_totp t where t.account_id = a.id and t.confirmed_at is not null)
                                   or exists (select 1 from passkeys k where k.account_id = a.id) as second_factor,
                               coalesce(s.profile_id, (select p.id from profiles p where p.account_id = a.id
                                                                                    and p.is_primary)) as profile_id
                        from sessions s join accounts a on a.id = s.account_id
                        where s.id = :sid""")
                .bind("sid", sessionId)
                .map((rs, ctx) -> new TokenAuthenticator.SessionState(rs.getObject("account_id", UUID.class),
                        rs.getString("username"), rs.getBoolean("revoked"),
                        instant(rs.getObject("expires_at", OffsetDateTime.class)),
                        instant(rs.getObject("tokens_valid_after", OffsetDateTime.class)),
                        rs.getBoolean("banned_forever"), instant(rs.getObject("banned_until", OffsetDateTime.class)),
                        strings(rs.getArray("roles")), strings(rs.getArray("permissions")),
                        rs.getBoolean("second_factor"), rs.getObject("profile_id", UUID.class)))
                .findOne());
    }

    private static java.util.Set<String> strings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? java.util.Set.of() : java.util.Set.of((String[]) array.getArray());
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * A session of any state, for the account's data export.
     *
     * @param id session id
     * @param createdAt sign-in time
     * @param lastUsedAt last refresh
     * @param expiresAt end unless refreshed
     * @param revokedAt when it was ended, or null
     * @param revokeReason why ({@code logout}, {@code password-change}, ...), or null
     * @param userAgent client at sign-in
     * @param ip address at sign-in
     */
    public record SessionRecord(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt,
                                String revokeReason, String userAgent, String ip) {
    }

    /** @return every session the account had, newest first, at most {@code limit} */
    public List<SessionRecord> history(UUID accountId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        select id, created_at, last_used_at, expires_at, revoked_at, revoke_reason, user_agent, ip
                        from sessions where account_id = :a order by created_at desc, id desc limit :n""")
                .bind("a", accountId).bind("n", limit)
                .map((rs, ctx) -> new SessionRecord(rs.getObject("id", UUID.class),
                        instant(rs.getObject("created_at", OffsetDateTime.class)),
                        instant(rs.getObject("last_used_at", OffsetDateTime.class)),
                        instant(rs.getObject("expires_at", OffsetDateTime.class)),
                        instant(rs.getObject("revoked_at", OffsetDateTime.class)), rs.getString("revoke_reason"),
                        rs.getString("user_agent"), rs.getString("ip")))
                .list());
    }
}
