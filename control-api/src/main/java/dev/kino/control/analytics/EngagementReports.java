package dev.kino.control.analytics;

import dev.kino.control.analytics.AnalyticsTypes.Cohort;
import dev.kino.control.analytics.AnalyticsTypes.Engagement;
import dev.kino.control.analytics.AnalyticsTypes.EngagementPeriod;
import dev.kino.control.analytics.AnalyticsTypes.PlanCount;
import dev.kino.control.analytics.AnalyticsTypes.Revenue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Engagement and subscription reports, read straight from the features' own tables (comments, reactions, ratings,
 * watchlist, follows, accounts, subscriptions, invoices) with their creation times: those tables are small next to
 * playback events, and indexed by time ({@code V220__analytics_time_indexes.sql}); a series is one grouped query per
 * table ({@link #byPeriod}), whatever the number of periods. "Active" is the union of those acts and playback sessions
 * started ({@code analytics_sessions}) per account and UTC day.
 */
final class EngagementReports {
    /** Weeks after sign-up a cohort is followed. */
    static final int COHORT_WEEKS = 12;

    private final Jdbi jdbi;

    EngagementReports(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Every act that makes an account active, as {@code (account_id, at)}. */
    private static final String ACTIVITY = """
            select account_id, started_at as at from analytics_sessions where account_id is not null
            union all select author_id, created_at from comments where author_id is not null
            union all select account_id, created_at from reactions
            union all select account_id, created_at from ratings
            union all select account_id, added_at from watchlist_entries
            union all select account_id, created_at from follows""";

    private static Timestamp start(LocalDate d) {
        return Timestamp.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    private static long count(Handle h, String sql, LocalDate from, LocalDate to) {
        return h.createQuery(sql).bind("f", start(from)).bind("t", start(to.plusDays(1))).mapTo(Long.class).one();
    }

    /** Figures of days {@code from} to {@code to}, both included. */
    Engagement figures(Handle h, LocalDate from, LocalDate to) {
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        long dauSum = count(h, "select count(*) from (select distinct account_id, (at at time zone 'UTC')::date"
                + " from (" + ACTIVITY + ") a where at >= :f and at < :t) d", from, to);
        return new Engagement(
                count(h, "select count(*) from comments where created_at >= :f and created_at < :t", from, to),
                count(h, "select count(*) from reactions where created_at >= :f and created_at < :t", from, to),
                count(h, "select count(*) from ratings where created_at >= :f and created_at < :t", from, to),
                count(h, "select count(*) from watchlist_entries where added_at >= :f and added_at < :t", from, to),
                count(h, "select count(*) from follows where created_at >= :f and created_at < :t", from, to),
                count(h, "select count(*) from accounts where created_at >= :f and created_at < :t", from, to),
                count(h, "select count(distinct account_id) from (" + ACTIVITY + ") a where at >= :f and at < :t",
                        from, to),
                Math.round(dauSum * 100.0 / days) / 100.0);
    }

    /**
     * The figures of every period of a range at once: one query per table grouped by period, where asking
     * {@link #figures} per period cost eight queries a period (92 rounds of them for 90 days by day).
     *
     * @return per period start ({@link Reports.Interval#start}), only the periods with rows; the counts of a period
     *         cut by the range cover only its days within the range, as {@link #figures} of those days would
     */
    static Map<LocalDate, long[]> byPeriod(Handle h, Reports.Range r, Reports.Interval iv) {
        Map<LocalDate, long[]> out = new HashMap<>();
        String[][] tables = {{"comments", "created_at"}, {"reactions", "created_at"}, {"ratings", "created_at"},
                {"watchlist_entries", "added_at"}, {"follows", "created_at"}, {"accounts", "created_at"}};
        for (int i = 0; i < tables.length; i++) {
            String time = tables[i][1];
            grouped(h, "select (date_trunc(:iv, " + time + " at time zone 'UTC'))::date as p, count(*) as n from "
                    + tables[i][0] + " where " + time + " >= :f and " + time + " < :t group by 1", r, iv, out, i);
        }
        grouped(h, "select (date_trunc(:iv, at at time zone 'UTC'))::date as p, count(distinct account_id) as n"
                + " from (" + ACTIVITY + ") a where at >= :f and at < :t group by 1", r, iv, out, 6);
        grouped(h, "select (date_trunc(:iv, d::timestamp))::date as p, count(*) as n from (select distinct account_id,"
                + " (at at time zone 'UTC')::date as d from (" + ACTIVITY + ") a where at >= :f and at < :t) x group by 1",
                r, iv, out, 7);
        return out;
    }

    private static void grouped(Handle h, String sql, Reports.Range r, Reports.Interval iv, Map<LocalDate, long[]> out,
                                int column) {
        h.createQuery(sql).bind("iv", iv.wire()).bind("f", start(r.from())).bind("t", start(r.to().plusDays(1)))
                .map((rs, ctx) -> Map.entry(rs.getDate("p").toLocalDate(), rs.getLong("n")))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new long[8])[column] = e.getValue());
    }

    AnalyticsTypes.EngagementReport report(Reports.Range r, Reports.Interval iv, java.time.Instant now) {
        return jdbi.withHandle(h -> {
            Engagement totals = figures(h, r.from(), r.to());
            Reports.Range p = r.previous();
            Engagement previous = figures(h, p.from(), p.to());
            Map<LocalDate, long[]> periods = byPeriod(h, r, iv);
            List<EngagementPeriod> series = new ArrayList<>();
            for (LocalDate d = iv.start(r.from()); !d.isAfter(r.to()); d = iv.next(d)) {
                LocalDate f = d.isBefore(r.from()) ? r.from() : d;
                LocalDate t = iv.next(d).minusDays(1).isAfter(r.to()) ? r.to() : iv.next(d).minusDays(1);
                long days = ChronoUnit.DAYS.between(f, t) + 1;
                long[] c = periods.getOrDefault(d, new long[8]);
                series.add(new EngagementPeriod(d, new Engagement(c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                        Math.round(c[7] * 100.0 / days) / 100.0)));
            }
            long dau = count(h, "select count(distinct account_id) from (" + ACTIVITY + ") a where at >= :f and at < :t",
                    r.to(), r.to());
            long mau = count(h, "select count(distinct account_id) from (" + ACTIVITY + ") a where at >= :f and at < :t",
                    r.to().minusDays(29), r.to());
            return new AnalyticsTypes.EngagementReport(r.from(), r.to(), iv.wire(), totals, previous, series, dau, mau,
                    mau == 0 ? null : Math.round(dau * 10000.0 / mau) / 10000.0, cohorts(h, r), now);
        });
    }

    /**
     * Sign-up weeks starting within the range, each with the share of its accounts active in each week since. The
     * activity query repeats {@code a.at >= :f} (implied by {@code a.at >= c.created_at}) so that each act's time
     * index bounds its scan from below rather than reading all history.
     */
    List<Cohort> cohorts(Handle h, Reports.Range r) {
        LocalDate first = r.from().with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        LocalDate end = r.to().plusDays(1);
        Map<LocalDate, Long> sizes = new HashMap<>();
        h.createQuery("""
                        select (date_trunc('week', created_at at time zone 'UTC'))::date as w, count(*) as n
                          from accounts where created_at >= :f and created_at < :t group by 1""")
                .bind("f", start(first)).bind("t", start(end))
                .map((rs, ctx) -> Map.entry(rs.getDate("w").toLocalDate(), rs.getLong("n")))
                .forEach(e -> sizes.put(e.getKey(), e.getValue()));
        Map<LocalDate, Map<Integer, Long>> active = new HashMap<>();
        h.createQuery("""
                        select (date_trunc('week', c.created_at at time zone 'UTC'))::date as w,
                               ((date_trunc('week', a.at at time zone 'UTC'))::date
                                - (date_trunc('week', c.created_at at time zone 'UTC'))::date) / 7 as k,
                               count(distinct a.account_id) as n
                          from accounts c join (""" + ACTIVITY + """
                        ) a on a.account_id = c.id
                         where c.created_at >= :f and c.created_at < :t and a.at >= c.created_at and a.at < :t
                           and a.at >= :f
                         group by 1, 2""")
                .bind("f", start(first)).bind("t", start(end))
                .map((rs, ctx) -> new Object[] {rs.getDate("w").toLocalDate(), rs.getInt("k"), rs.getLong("n")})
                .forEach(row -> active.computeIfAbsent((LocalDate) row[0], k -> new HashMap<>())
                        .put((Integer) row[1], (Long) row[2]));
        List<Cohort> out = new ArrayList<>();
        for (LocalDate w = first; w.isBefore(end); w = w.plusWeeks(1)) {
            long size = sizes.getOrDefault(w, 0L);
            List<Double> shares = new ArrayList<>();
            for (int k = 0; k < COHORT_WEEKS && w.plusWeeks(k).isBefore(end); k++) {
                long n = active.getOrDefault(w, Map.of()).getOrDefault(k, 0L);
                shares.add(size == 0 ? 0.0 : Math.round(n * 10000.0 / size) / 10000.0);
            }
            out.add(new Cohort(w, size, shares));
        }
        return out;
    }

    AnalyticsTypes.SubscriptionReport subscriptions(Reports.Range r, Reports.Interval iv, java.time.Instant now) {
        return jdbi.withHandle(h -> {
            List<PlanCount> plans = h.createQuery("""
                            select p.id, p.name,
                                   count(s.account_id) filter (where s.status = 'active') as active,
                                   count(s.account_id) filter (where s.status = 'past_due') as past_due,
                                   count(s.account_id) filter (where s.status = 'cancelled') as cancelled,
                                   count(s.account_id) filter (where s.status = 'expired') as expired,
                                   count(s.account_id) filter (where s.created_at >= :f and s.created_at < :t) as started
                              from plans p left join subscriptions s on s.plan_id = p.id
                             group by p.id, p.name order by p.price_minor, p.name""")
                    .bind("f", start(r.from())).bind("t", start(r.to().plusDays(1)))
                    .map((rs, ctx) -> new PlanCount(rs.getObject("id", java.util.UUID.class), rs.getString("name"),
                            rs.getLong("active"), rs.getLong("past_due"), rs.getLong("cancelled"),
                            rs.getLong("expired"), rs.getLong("started"))).list();
            Reports.Range p = r.previous();
            return new AnalyticsTypes.SubscriptionReport(r.from(), r.to(), iv.wire(), plans, revenue(h, r, null),
                    revenue(h, p, null), revenue(h, r, iv), now);
        });
    }

    /** @param iv grouping, or null for one row per currency */
    private static List<Revenue> revenue(Handle h, Reports.Range r, Reports.Interval iv) {
        String period = iv == null ? "null::date" : "(date_trunc('" + iv.wire() + "', paid_at at time zone 'UTC'))::date";
        return h.createQuery("select " + period + " as p, currency, sum(amount_paid_minor) as paid, count(*) as n"
                        + " from invoices where status = 'paid' and paid_at >= :f and paid_at < :t"
                        + " group by 1, 2 order by 1, 2")
                .bind("f", start(r.from())).bind("t", start(r.to().plusDays(1)))
                .map((rs, ctx) -> {
                    Date d = rs.getDate("p");
                    return new Revenue(d == null ? null : d.toLocalDate(), rs.getString("currency").trim(),
                            rs.getLong("paid"), rs.getLong("n"));
                }).list();
    }
}
