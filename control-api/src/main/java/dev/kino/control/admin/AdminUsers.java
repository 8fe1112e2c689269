package dev.kino.control.admin;

import dev.kino.control.NotFoundException;
import dev.kino.control.auth.BanStore.BanView;
import dev.kino.control.auth.SessionStore;
import dev.kino.control.http.Page;
import dev.kino.control.playback.PlaybackTypes.Subscription;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The admin console's reading of accounts: search with filters, and one account's page (profile, roles, plan,
 * sessions, bans, reports against it, activity). Read-only over the tables of auth, playback, moderation, comments,
 * forum and ratings: one query per part, never a write. Erased accounts ({@code deleted_at}) are left out of search.
 */
public final class AdminUsers {
    private final Jdbi jdbi;
    private final Clock clock;

    public AdminUsers(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Search filters; each is optional.
     *
     * @param q part of the username, e-mail address or display name (case-insensitive)
     * @param role holders of this role
     * @param plan subscribers of this plan (its id), or {@code none} for accounts without a subscription
     * @param banned true: accounts with a ban in force; false: without
     * @param from signed up at or after
     * @param to signed up before
     */
    public record Filter(String q, String role, String plan, Boolean banned, Instant from, Instant to) {
    }

    /**
     * One account in the list.
     *
     * @param id account id
     * @param username user name
     * @param email e-mail address
     * @param displayName display name, or absent
     * @param roles role names
     * @param plan the subscribed plan's name, or absent
     * @param subscriptionStatus {@code trialing}, {@code active}, {@code past_due}, {@code cancelled},
     *                           {@code expired}, or absent
     * @param banned whether a ban is in force
     * @param createdAt sign-up time
     * @param deletionScheduledAt when the owner's deletion takes effect, or absent
     */
    public record UserSummary(UUID id, String username, String email, String displayName, List<String> roles,
                              String plan, String subscriptionStatus, boolean banned, Instant createdAt,
                              Instant deletionScheduledAt) {
    }

    /** @return accounts matching every filter, newest sign-up first */
    public Page<UserSummary> search(Filter f, Page.Cursor c) {
        Instant afterAt = c.after() == null ? null : c.instant(0);
        UUID afterId = c.after() == null ? null : c.uuid(1);
        Instant now = clock.instant();
        String like = f.q() == null ? null : "%" + f.q().toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        boolean noPlan = "none".equals(f.plan());
        UUID planId = f.plan() == null || noPlan ? null : UUID.fromString(f.plan());
        List<UserSummary> rows = jdbi.withHandle(h -> h.createQuery("""
                        select a.id, a.username, a.email, a.display_name, a.created_at, a.deletion_due_at,
                               array(select role_name from account_roles r where r.account_id = a.id order by 1) as roles,
                               p.name as plan, s.status,
                               exists (select 1 from bans b where b.account_id = a.id and b.lifted_at is null
                                       and (b.expires_at is null or b.expires_at > :now)) as banned
                          from accounts a
                          left join subscriptions s on s.account_id = a.id
                          left join plans p on p.id = s.plan_id
                         where a.deleted_at is null
                           and (cast(:like as text) is null or lower(a.username) like :like
                                or lower(a.email) like :like or lower(coalesce(a.display_name, '')) like :like)
                           and (cast(:role as text) is null or exists (select 1 from account_roles r
                                where r.account_id = a.id and r.role_name = cast(:role as text)))
                           and (cast(:plan as uuid) is null or s.plan_id = cast(:plan as uuid))
                           and (not :noPlan or s.account_id is null)
                           and (cast(:banned as boolean) is null or cast(:banned as boolean) = exists (
                                select 1 from bans b where b.account_id = a.id and b.lifted_at is null
                                and (b.expires_at is null or b.expires_at > :now)))
                           and (cast(:from as timestamptz) is null or a.created_at >= cast(:from as timestamptz))
                           and (cast(:to as timestamptz) is null or a.created_at < cast(:to as timestamptz))
                           and (cast(:afterAt as timestamptz) is null
                                or (a.created_at, a.id) < (cast(:afterAt as timestamptz), cast(:afterId as uuid)))
                         order by a.created_at desc, a.id desc limit :n""")
                .bind("now", ts(now)).bind("like", like).bind("role", f.role()).bind("plan", planId)
                .bind("noPlan", noPlan).bind("banned", f.banned()).bind("from", ts(f.from())).bind("to", ts(f.to()))
                .bind("afterAt", ts(afterAt)).bind("afterId", afterId).bind("n", c.fetch())
                .map((rs, ctx) -> new UserSummary(rs.getObject("id", UUID.class), rs.getString("username"),
                        rs.getString("email"), rs.getString("display_name"), strings(rs.getArray("roles")),
                        rs.getString("plan"), rs.getString("status"), rs.getBoolean("banned"),
                        instant(rs, "created_at"), instant(rs, "deletion_due_at")))
                .list());
        return Page.of(c, rows, u -> List.of(u.createdAt().toString(), u.id().toString()));
    }

    /**
     * A ban, past or present.
     *
     * @param id ban id
     * @param reason why
     * @param createdBy who banned, or absent once erased
     * @param createdAt when
     * @param expiresAt its end, or absent for permanent
     * @param liftedAt when it was lifted, or absent
     * @param active whether it is in force now
     */
    public record BanRecord(UUID id, String reason, UUID createdBy, Instant createdAt, Instant expiresAt,
                            Instant liftedAt, boolean active) {
    }

    /**
     * A moderation case about the account or something it wrote.
     *
     * @param caseId the case (the queue entry)
     * @param targetType {@code user}, {@code comment} or {@code post}
     * @param targetId what was reported
     * @param status {@code open}, {@code actioned} or {@code dismissed}
     * @param reportCount how many reports it has
     * @param reasons the reports' reasons
     * @param lastReportedAt the latest report
     */
    public record ReportCase(UUID caseId, String targetType, UUID targetId, String status, int reportCount,
                             List<String> reasons, Instant lastReportedAt) {
    }

    /**
     * What the account did.
     *
     * @param comments comments written (deleted ones left out)
     * @param forumPosts forum posts written (deleted ones left out)
     * @param ratings titles rated
     * @param watched media items with a saved playback position
     * @param lastSignInAt the newest session's start, or absent
     */
    public record Activity(int comments, int forumPosts, int ratings, int watched, Instant lastSignInAt) {
    }

    /**
     * One account's page. Parts the caller's permissions do not cover are absent (null): sessions need
     * {@code users.manage}, the subscription {@code roles.manage} (the plans manager).
     *
     * @param id account id
     * @param username user name
     * @param email e-mail address
     * @param emailVerified whether it was confirmed
     * @param displayName display name, or absent
     * @param createdAt sign-up time
     * @param deletionScheduledAt when the owner's deletion takes effect, or absent
     * @param roles role names
     * @param ban the ban in force, or absent (kept for clients of the earlier shape)
     * @param bans every ban, newest first
     * @param subscription the subscription, or absent
     * @param sessions the newest 50 sessions, active or ended, or absent
     * @param reports moderation cases about the account or what it wrote, newest first (at most 50)
     * @param activity counts of what it did
     */
    public record UserDetail(UUID id, String username, String email, boolean emailVerified, String displayName,
                             Instant createdAt, Instant deletionScheduledAt, List<String> roles, BanView ban,
                             List<BanRecord> bans, Subscription subscription,
                             List<SessionStore.SessionRecord> sessions, List<ReportCase> reports, Activity activity) {
    }

    /**
     * @param subscription the subscription, or null (not shown or none)
     * @param sessions the sessions, or null (not shown)
     * @throws NotFoundException for an unknown (or erased) account
     */
    public UserDetail detail(UUID id, Subscription subscription, List<SessionStore.SessionRecord> sessions) {
        Instant now = clock.instant();
        return jdbi.withHandle(h -> {
            var base = h.createQuery("""
                            select username, email, email_verified_at, display_name, created_at, deletion_due_at,
                                   array(select role_name from account_roles r where r.account_id = a.id order by 1) as roles
                              from accounts a where id = :id and deleted_at is null""")
                    .bind("id", id).mapToMap().findOne().orElseThrow(() -> new NotFoundException("no account " + id));
            List<BanRecord> bans = h.createQuery("""
                            select id, reason, created_by, created_at, expires_at, lifted_at from bans
                             where account_id = :id order by created_at desc, id desc limit 50""")
                    .bind("id", id)
                    .map((rs, ctx) -> {
                        Instant exp = instant(rs, "expires_at");
                        Instant lifted = instant(rs, "lifted_at");
                        return new BanRecord(rs.getObject("id", UUID.class), rs.getString("reason"),
                                rs.getObject("created_by", UUID.class), instant(rs, "created_at"), exp, lifted,
                                lifted == null && (exp == null || exp.isAfter(now)));
                    }).list();
            BanView ban = bans.stream().filter(BanRecord::active).findFirst()
                    .map(b -> new BanView(b.id(), b.reason(), b.expiresAt())).orElse(null);
            List<ReportCase> reports = h.createQuery("""
                            select c.id, c.target_type, c.target_id, c.status, c.report_count, c.last_reported_at,
                                   array(select distinct r.reason from reports r where r.case_id = c.id order by 1) as reasons
                              from moderation_cases c
                             where (c.target_type = 'user' and c.target_id = :id)
                                or (c.target_type = 'comment' and c.target_id in (select id from comments where author_id = :id))
                                or (c.target_type = 'post' and c.target_id in (select id from forum_posts where author_id = :id))
                             order by c.last_reported_at desc, c.id desc limit 50""")
                    .bind("id", id)
                    .map((rs, ctx) -> new ReportCase(rs.getObject("id", UUID.class), rs.getString("target_type"),
                            rs.getObject("target_id", UUID.class), rs.getString("status"), rs.getInt("report_count"),
                            strings(rs.getArray("reasons")), instant(rs, "last_reported_at")))
                    .list();
            Activity activity = h.createQuery("""
                            select (select count(*) from comments where author_id = :id and state <> 'deleted') as comments,
                                   (select count(*) from forum_posts where author_id = :id and state <> 'deleted') as posts,
                                   (select count(*) from ratings where account_id = :id) as ratings,
                                   (select count(*) from playback_progress where account_id = :id) as watched,
                                   (select max(created_at) from sessions where account_id = :id) as last_sign_in""")
                    .bind("id", id)
                    .map((rs, ctx) -> new Activity(rs.getInt("comments"), rs.getInt("posts"), rs.getInt("ratings"),
                            rs.getInt("watched"), instant(rs, "last_sign_in")))
                    .one();
            return new UserDetail(id, (String) base.get("username"), (String) base.get("email"),
                    base.get("email_verified_at") != null, (String) base.get("display_name"),
                    toInstant(base.get("created_at")), toInstant(base.get("deletion_due_at")),
                    strings((Array) base.get("roles")), ban, bans, subscription, sessions, reports, activity);
        });
    }

    private static Instant toInstant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a time: " + o.getClass());
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array a) {
        try {
            return a == null ? List.of() : List.of((String[]) a.getArray());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
