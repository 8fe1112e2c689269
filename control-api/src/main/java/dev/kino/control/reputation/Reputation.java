package dev.kino.control.reputation;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Owns {@code reputation_ledger}, {@code reputation_totals} and {@code reputation_levels}. Methods taking a
 * {@link Handle} join the caller's transaction (a like and the points it earns commit together).
 */
public final class Reputation {
    /** Points for a like from someone else on one's comment or post (taken back when the like is). */
    public static final int LIKE = 2;
    /** Points for a report a moderator acted on. */
    public static final int UPHELD_REPORT = 5;
    /** Points lost when a moderator upholds a report against one's content or account. */
    public static final int UPHELD_AGAINST = -10;
    /** Points for watching an episode or a film through, once per media item. */
    public static final int WATCHED_THROUGH = 1;
    /** Most points earned per UTC day (losses are never capped). */
    public static final int DAILY_CAP = 50;

    private final Jdbi jdbi;
    private final Clock clock;

    public Reputation(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * A level and what it allows.
     *
     * @param level 0 for new accounts, up
     * @param name its name
     * @param minPoints the points it takes
     * @param mayPostLinks whether links are allowed in comments and posts
     * @param commentsPerHour most comments and posts an hour
     * @param mayFlagForHiding whether a report from this level hides the content until a moderator decides
     */
    public record Level(int level, String name, int minPoints, boolean mayPostLinks, int commentsPerHour,
                        boolean mayFlagForHiding) {
    }

    /**
     * An account's standing.
     *
     * @param points its total
     * @param level its level
     * @param next the next level, absent at the top
     */
    public record Standing(int points, Level level, Level next) {
    }

    /**
     * One ledger row.
     *
     * @param points the change
     * @param reason why
     * @param objectType what it is about ({@code comment}, {@code post}, {@code report}), if anything
     * @param objectId which
     * @param at when
     */
    public record Entry(int points, String reason, String objectType, UUID objectId, Instant at) {
    }

    /**
     * A leaderboard line.
     *
     * @param accountId the account
     * @param points its total
     */
    public record Leader(UUID accountId, int points) {
    }

    /**
     * Adds points (capped per day when positive) and a ledger row.
     *
     * @return the points actually added (less than asked when the daily cap is reached)
     */
    public int change(Handle h, UUID account, int points, String reason, String objectType, UUID objectId) {
        return changeAll(h, account, List.of(new Points(points, reason, objectType, objectId)));
    }

    /**
     * One change of an account's points, for {@link #changeAll}.
     *
     * @param points added (negative: taken back)
     * @param reason shown in the account's ledger
     * @param objectType what earned them ({@code comment}, {@code post}, ...)
     * @param objectId which one
     */
    public record Points(int points, String reason, String objectType, UUID objectId) {
    }

    /**
     * {@link #change(Handle, UUID, int, String, String, UUID)} for several changes of one account at once (the likes
     * of one object written together): the same rows and the same daily cap as one by one in order, in two
     * statements instead of three per change.
     *
     * @return the points actually added, in total
     */
    public int changeAll(Handle h, UUID account, List<Points> changes) {
        if (account == null || changes.stream().allMatch(c -> c.points() == 0)) {
            return 0;
        }
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int today = h.createQuery("""
                        insert into reputation_totals (account_id, earned_on) values (:a, :d)
                        on conflict (account_id) do update set earned_on = :d,
                           earned_today = case when reputation_totals.earned_on = :d then reputation_totals.earned_today else 0 end
                        returning earned_today""")
                .bind("a", account).bind("d", day).mapTo(Integer.class).one();
        int total = 0;
        int earned = 0;
        List<Integer> points = new java.util.ArrayList<>(changes.size());
        List<String> reasons = new java.util.ArrayList<>(changes.size());
        List<String> types = new java.util.ArrayList<>(changes.size());
        List<UUID> objects = new java.util.ArrayList<>(changes.size());
        for (Points c : changes) {
            int granted = c.points() > 0 ? Math.max(0, Math.min(c.points(), DAILY_CAP - today - earned)) : c.points();
            if (granted == 0) {
                continue;
            }
            points.add(granted);
            reasons.add(c.reason());
            types.add(c.objectType());
            objects.add(c.objectId());
            total += granted;
            earned += Math.max(granted, 0);
        }
        if (points.isEmpty()) {
            return 0;
        }
        // the ledger rows (in order: their ids follow the changes) and the totals in one statement, one round trip
        h.createUpdate("""
                        with ledger as (
                            insert into reputation_ledger (account_id, points, reason, object_type, object_id, created_at)
                            select :a, x.p, x.r, x.t, x.o, :now from unnest(:p, :r, :t, :o) with ordinality as x(p, r, t, o, n)
                             order by x.n)
                        update reputation_totals set points = points + :total, earned_today = earned_today + :earned
                         where account_id = :a""")
                .bind("a", account).bind("now", Timestamp.from(now)).bind("total", total).bind("earned", earned)
                .bindArray("p", Integer.class, points.toArray())
                .bindArray("r", String.class, reasons.toArray())
                .bindArray("t", String.class, types.toArray())
                .bindArray("o", UUID.class, objects.toArray())
                .execute();
        return total;
    }

    /**
     * Grants points for an object once: nothing when the ledger already has a grant for the same account, reason
     * and object (checked under the account's totals row lock, so two concurrent calls grant once).
     *
     * @return the points added: 0 when granted before or the daily cap is reached
     */
    public int grantOnce(UUID account, int points, String reason, String objectType, UUID objectId) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("insert into reputation_totals (account_id) values (:a) on conflict do nothing")
                    .bind("a", account).execute();
            h.createQuery("select 1 from reputation_totals where account_id = :a for update").bind("a", account)
                    .mapTo(Integer.class).one();
            boolean granted = h.createQuery("""
                            select exists (select 1 from reputation_ledger where account_id = :a and object_type = :t
                                              and object_id = :o and reason = :r and points > 0)""")
                    .bind("a", account).bind("t", objectType).bind("o", objectId).bind("r", reason)
                    .mapTo(Boolean.class).one();
            return granted ? 0 : change(h, account, points, reason, objectType, objectId);
        });
    }

    /** {@link #change(Handle, UUID, int, String, String, UUID)} in a transaction of its own. */
    public int change(UUID account, int points, String reason, String objectType, UUID objectId) {
        return jdbi.inTransaction(h -> change(h, account, points, reason, objectType, objectId));
    }

    /**
     * Takes back every point an object earned its author (a moderator removed it).
     *
     * @return the points taken back
     */
    public int revoke(UUID account, String objectType, UUID objectId, String reason) {
        return jdbi.inTransaction(h -> {
            int earned = h.createQuery("select coalesce(sum(points), 0) from reputation_ledger where account_id = :a"
                            + " and object_type = :t and object_id = :o")
                    .bind("a", account).bind("t", objectType).bind("o", objectId).mapTo(Integer.class).one();
            return earned > 0 ? -change(h, account, -earned, reason, objectType, objectId) : 0;
        });
    }

    /** @return the account's points, level and next level */
    public Standing standing(UUID account) {
        return jdbi.withHandle(h -> {
            int points = h.createQuery("select points from reputation_totals where account_id = :a").bind("a", account)
                    .mapTo(Integer.class).findOne().orElse(0);
            List<Level> levels = levels(h);
            Level level = levels.get(0);
            Level next = null;
            for (Level l : levels) {
                if (points >= l.minPoints()) {
                    level = l;
                } else {
                    next = l;
                    break;
                }
            }
            return new Standing(points, level, next);
        });
    }

    /** @return the account's most recent ledger rows */
    public List<Entry> ledger(UUID account, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select * from reputation_ledger where account_id = :a"
                        + " order by created_at desc, id desc limit :n")
                .bind("a", account).bind("n", limit)
                .map((rs, ctx) -> new Entry(rs.getInt("points"), rs.getString("reason"), rs.getString("object_type"),
                        rs.getObject("object_id", UUID.class), rs.getTimestamp("created_at").toInstant())).list());
    }

    /** @return the accounts with the most points */
    public List<Leader> leaders(int limit) {
        return jdbi.withHandle(h -> h.createQuery("select account_id, points from reputation_totals where points > 0"
                        + " order by points desc, account_id limit :n").bind("n", limit)
                .map((rs, ctx) -> new Leader(rs.getObject(1, UUID.class), rs.getInt(2))).list());
    }

    /** @return points by account, for showing them next to comments */
    public Map<UUID, Integer> points(java.util.Collection<UUID> accounts) {
        Map<UUID, Integer> out = new java.util.HashMap<>();
        if (accounts.isEmpty()) {
            return out;
        }
        jdbi.useHandle(h -> h.createQuery("select account_id, points from reputation_totals where account_id = any(:ids)")
                .bindArray("ids", UUID.class, accounts.toArray())
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getInt(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    private static List<Level> levels(Handle h) {
        return h.createQuery("select * from reputation_levels order by min_points")
                .map((rs, ctx) -> new Level(rs.getInt("level"), rs.getString("name"), rs.getInt("min_points"),
                        rs.getBoolean("may_post_links"), rs.getInt("comments_per_hour"),
                        rs.getBoolean("may_flag_for_hiding"))).list();
    }
}
