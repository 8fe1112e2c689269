package dev.kino.control.auth;

import dev.kino.control.http.Page;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Reads and bulk revocations of {@code sessions} for other parts of auth and for the account routes. NOTE: sign-in
 * itself (login, refresh rotation, logout) writes sessions in {@link AuthService}, in the same feature.
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

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
