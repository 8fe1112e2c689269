package dev.kino.control.analytics;

import dev.kino.control.analytics.AnalyticsTypes.Change;
import dev.kino.control.analytics.AnalyticsTypes.Figures;
import dev.kino.control.analytics.AnalyticsTypes.MediaFigures;
import dev.kino.control.analytics.AnalyticsTypes.Period;
import dev.kino.control.analytics.AnalyticsTypes.TitleFigures;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaView;
import dev.kino.control.catalog.TitleDetail;
import dev.kino.control.catalog.TitleSummary;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The report queries, over the rollups only ({@code analytics_hourly}, {@code analytics_daily_viewers}): never the
 * raw events, so a report costs the same whatever the event volume, and stays right after raw retention.
 */
final class Reports {
    /** Titles in the overview's list. */
    static final int TOP_TITLES = 50;

    private final Jdbi jdbi;
    private final Catalog catalog;

    Reports(Jdbi jdbi, Catalog catalog) {
        this.jdbi = jdbi;
        this.catalog = catalog;
    }

    /** Grouping of a series; the wire names are PostgreSQL's {@code date_trunc} fields. */
    enum Interval {
        DAY, WEEK, MONTH;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        LocalDate start(LocalDate d) {
            return switch (this) {
                case DAY -> d;
                case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)); // ISO 8601 weeks
                case MONTH -> d.withDayOfMonth(1);
            };
        }

        LocalDate next(LocalDate d) {
            return switch (this) {
                case DAY -> d.plusDays(1);
                case WEEK -> d.plusWeeks(1);
                case MONTH -> d.plusMonths(1);
            };
        }
    }

    /**
     * Days {@code from} to {@code to}, both included, UTC.
     */
    record Range(LocalDate from, LocalDate to) {
        Timestamp start() {
            return Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        Timestamp end() {
            return Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        /** @return the as many days just before this range */
        Range previous() {
            long days = to.toEpochDay() - from.toEpochDay() + 1;
            return new Range(from.minusDays(days), from.minusDays(1));
        }
    }

    /** Sums of the hourly rollup. */
    private record Sums(long views, long plays, long qualified, long completions, long watchMs) {
        Figures figures(long unique) {
            return new Figures(views, plays, unique, watchMs / 1000, rate(completions, qualified));
        }
    }

    private static final String SUMS = """
            coalesce(sum(views), 0) as views, coalesce(sum(plays), 0) as plays, coalesce(sum(qualified), 0) as q,
            coalesce(sum(completions), 0) as c, coalesce(sum(watch_ms), 0) as w""";

    private static Sums sums(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Sums(rs.getLong("views"), rs.getLong("plays"), rs.getLong("q"), rs.getLong("c"), rs.getLong("w"));
    }

    /** @param title a title, or null for all */
    Figures figures(Range r, UUID title) {
        return jdbi.withHandle(h -> {
            Sums s = bind(h.createQuery("select " + SUMS + " from analytics_hourly where hour >= :f and hour < :t"
                    + (title == null ? "" : " and title_id = :title")), r, title).map((rs, ctx) -> sums(rs)).one();
            long unique = bindDays(h.createQuery("select count(distinct viewer_key) from analytics_daily_viewers"
                    + " where day >= :fd and day <= :td" + (title == null ? "" : " and title_id = :title")), r, title)
                    .mapTo(Long.class).one();
            return s.figures(unique);
        });
    }

    /** @return one entry per period of the range, empty periods included */
    List<Period> series(Range r, Interval iv, UUID title) {
        return jdbi.withHandle(h -> {
            Map<LocalDate, Sums> sums = new HashMap<>();
            bind(h.createQuery("select (date_trunc(:iv, hour at time zone 'UTC'))::date as p, " + SUMS
                    + " from analytics_hourly where hour >= :f and hour < :t"
                    + (title == null ? "" : " and title_id = :title") + " group by 1"), r, title).bind("iv", iv.wire())
                    .map((rs, ctx) -> Map.entry(rs.getDate("p").toLocalDate(), sums(rs)))
                    .forEach(e -> sums.put(e.getKey(), e.getValue()));
            Map<LocalDate, Long> unique = new HashMap<>();
            bindDays(h.createQuery("select (date_trunc(:iv, day::timestamp))::date as p, count(distinct viewer_key) as n"
                    + " from analytics_daily_viewers where day >= :fd and day <= :td"
                    + (title == null ? "" : " and title_id = :title") + " group by 1"), r, title).bind("iv", iv.wire())
                    .map((rs, ctx) -> Map.entry(rs.getDate("p").toLocalDate(), rs.getLong("n")))
                    .forEach(e -> unique.put(e.getKey(), e.getValue()));
            List<Period> out = new ArrayList<>();
            Sums zero = new Sums(0, 0, 0, 0, 0);
            for (LocalDate p = iv.start(r.from()); !p.isAfter(r.to()); p = iv.next(p)) {
                Sums s = sums.getOrDefault(p, zero);
                out.add(new Period(p, s.views(), s.plays(), unique.getOrDefault(p, 0L), s.watchMs() / 1000,
                        rate(s.completions(), s.qualified())));
            }
            return out;
        });
    }

    /** @return the most viewed titles of the range */
    List<TitleFigures> titles(Range r) {
        Map<UUID, Sums> sums = new LinkedHashMap<>();
        Map<UUID, Long> unique = new HashMap<>();
        jdbi.useHandle(h -> {
            bind(h.createQuery("select title_id, " + SUMS + " from analytics_hourly where hour >= :f and hour < :t"
                    + " group by title_id order by views desc, w desc, title_id limit " + TOP_TITLES), r, null)
                    .map((rs, ctx) -> Map.entry(rs.getObject("title_id", UUID.class), sums(rs)))
                    .forEach(e -> sums.put(e.getKey(), e.getValue()));
            if (!sums.isEmpty()) {
                bindDays(h.createQuery("select title_id, count(distinct viewer_key) as n from analytics_daily_viewers"
                        + " where day >= :fd and day <= :td and title_id = any(:ids) group by title_id"), r, null)
                        .bindArray("ids", UUID.class, sums.keySet().toArray(UUID[]::new))
                        .map((rs, ctx) -> Map.entry(rs.getObject("title_id", UUID.class), rs.getLong("n")))
                        .forEach(e -> unique.put(e.getKey(), e.getValue()));
            }
        });
        Map<UUID, TitleSummary> names = catalog.visibleTitles(List.copyOf(sums.keySet()), true);
        List<TitleFigures> out = new ArrayList<>();
        sums.forEach((id, s) -> {
            TitleSummary t = names.get(id);
            out.add(new TitleFigures(id, t == null ? null : t.originalTitle(), s.views(), s.plays(),
                    unique.getOrDefault(id, 0L), s.watchMs() / 1000, rate(s.completions(), s.qualified())));
        });
        return out;
    }

    /**
     * The retention counts of rows summed bucket by bucket: {@code array[sum(retention[1]), ..., sum(retention[100])]}.
     * One pass over the rows; unnesting them (a row per bucket, then grouping) cost 100 times the rows, which the
     * most viewed title of a quarter has tens of thousands of (AnalyticsBenchmark).
     */
    private static final String RETENTION_SUMS = java.util.stream.IntStream.rangeClosed(1, SessionSummary.BUCKETS)
            .mapToObj(i -> "sum(retention[" + i + "])").collect(java.util.stream.Collectors.joining(", ", "array[", "]"));

    /** The per-item table and retention curves of a title. */
    record TitleParts(List<Double> retention, List<MediaFigures> media) {
    }

    /**
     * @param title the title, as the catalogue has it (its items, in catalogue order)
     */
    TitleParts titleParts(Range r, TitleDetail title) {
        Map<UUID, Sums> sums = new HashMap<>();
        Map<UUID, long[]> curves = new HashMap<>();
        jdbi.useHandle(h -> bind(h.createQuery("select media_id, " + SUMS + ", " + RETENTION_SUMS + " as curve"
                        + " from analytics_hourly where hour >= :f and hour < :t and title_id = :title group by media_id"),
                r, title.id())
                .map((rs, ctx) -> {
                    UUID media = rs.getObject("media_id", UUID.class);
                    sums.put(media, sums(rs));
                    Object[] a = (Object[]) rs.getArray("curve").getArray();
                    long[] c = new long[SessionSummary.BUCKETS];
                    for (int i = 0; i < c.length && i < a.length; i++) {
                        c[i] = a[i] == null ? 0 : ((Number) a[i]).longValue();
                    }
                    curves.put(media, c);
                    return media;
                }).list());
        List<MediaView> items = new ArrayList<>();
        title.seasons().forEach(s -> items.addAll(s.episodes()));
        items.addAll(title.media());
        List<MediaFigures> out = new ArrayList<>();
        long[] all = new long[SessionSummary.BUCKETS];
        long allQualified = 0;
        Sums zero = new Sums(0, 0, 0, 0, 0);
        Map<UUID, MediaView> known = new LinkedHashMap<>();
        items.forEach(m -> known.put(m.id(), m));
        List<UUID> ids = new ArrayList<>(known.keySet());
        sums.keySet().stream().filter(id -> !known.containsKey(id)).sorted().forEach(ids::add); // deleted items
        for (UUID id : ids) {
            MediaView m = known.get(id);
            Sums s = sums.getOrDefault(id, zero);
            long[] c = curves.getOrDefault(id, new long[SessionSummary.BUCKETS]);
            for (int i = 0; i < all.length; i++) {
                all[i] += c[i];
            }
            allQualified += s.qualified();
            out.add(new MediaFigures(id, m == null ? null : m.name(), m == null ? null : m.seasonNumber(),
                    m == null ? null : m.episodeNumber(), m == null ? null : m.durationSeconds(), s.views(), s.plays(),
                    s.watchMs() / 1000, rate(s.completions(), s.qualified()), curve(c, s.qualified())));
        }
        return new TitleParts(curve(all, allQualified), out);
    }

    private static List<Double> curve(long[] counts, long qualified) {
        if (qualified == 0) {
            return List.of();
        }
        List<Double> out = new ArrayList<>(counts.length);
        for (long c : counts) {
            out.add(Math.round(c * 10000.0 / qualified) / 10000.0);
        }
        return out;
    }

    static Change change(Figures now, Figures before) {
        return new Change(relative(now.views(), before.views()), relative(now.plays(), before.plays()),
                relative(now.uniqueViewers(), before.uniqueViewers()),
                relative(now.watchSeconds(), before.watchSeconds()),
                now.completionRate() == null || before.completionRate() == null ? null
                        : round(now.completionRate() - before.completionRate()));
    }

    private static Double relative(long now, long before) {
        return before == 0 ? null : round((now - before) / (double) before);
    }

    private static Double rate(long part, long whole) {
        return whole == 0 ? null : round(part / (double) whole);
    }

    private static double round(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }

    private static Query bind(Query q, Range r, UUID title) {
        q.bind("f", r.start()).bind("t", r.end());
        return title == null ? q : q.bind("title", title);
    }

    private static Query bindDays(Query q, Range r, UUID title) {
        q.bind("fd", Date.valueOf(r.from())).bind("td", Date.valueOf(r.to()));
        return title == null ? q : q.bind("title", title);
    }
}
