package dev.kino.control.auth;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Owns {@code bans}: the only class with SQL on it. Methods taking a {@link Handle} join the caller's transaction. */
public final class BanStore {
    private final Jdbi jdbi;

    public BanStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * A ban.
     *
     * @param id ban id
     * @param reason why, shown to the account holder
     * @param expiresAt end, or absent for permanent
     */
    public record BanView(UUID id, String reason, Instant expiresAt) {
    }

    /** Records a ban. */
    public void insert(Handle h, UUID banId, UUID accountId, String reason, UUID bannedBy, Instant now, Instant expiresAt) {
        h.createUpdate("insert into bans (id, account_id, reason, created_by, created_at, expires_at) "
                        + "values (:bid, :id, :reason, :by, :now, :exp)")
                .bind("bid", banId).bind("id", accountId).bind("reason", reason).bind("by", bannedBy)
                .bind("now", utc(now)).bind("exp", expiresAt == null ? null : utc(expiresAt)).execute();
    }

    /** Lifts every active ban of the account. @return how many were lifted */
    public int liftAll(UUID accountId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update bans set lifted_at = :now where account_id = :id "
                + "and lifted_at is null").bind("now", utc(now)).bind("id", accountId).execute());
    }

    /** @return the account's most recent ban in force at {@code now} */
    public Optional<BanView> active(UUID accountId, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("select id, reason, expires_at from bans where account_id = :id "
                        + "and lifted_at is null and (expires_at is null or expires_at > :now) order by created_at desc limit 1")
                .bind("id", accountId).bind("now", utc(now))
                .map((rs, ctx) -> {
                    OffsetDateTime end = rs.getObject(3, OffsetDateTime.class);
                    return new BanView(rs.getObject(1, UUID.class), rs.getString(2), end == null ? null : end.toInstant());
                })
                .findOne());
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
