package dev.kino.control.analytics;

import dev.kino.control.analytics.AnalyticsTypes.Qoe;
import dev.kino.control.analytics.AnalyticsTypes.QoeRow;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.TitleSummary;
import org.jdbi.v3.core.Jdbi;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The QoE report, over {@code analytics_qoe_hourly} only. Rows of the range are summed in Java by the key of each
 * breakdown: startup percentiles need the bucket counts added element by element, which is plainer here than in SQL;
 * the range has one row per hour, item, device class and rendition, so a month of a large catalogue is some
 * hundred thousand rows, read once for all the breakdowns.
 */
final class QoeReports {
    private final Jdbi jdbi;
    private final Catalog catalog;

    QoeReports(Jdbi jdbi, Catalog catalog) {
        this.jdbi = jdbi;
        this.catalog = catalog;
    }

    /** One hourly row as read. */
    record Row(LocalDate day, UUID titleId, String device, String rendition, int sessions, int errors, int switches,
               long[] hist, long watchMs, long stallMs, int stalls, double kbpsMs, long kbpsKnownMs) {
    }

    /** Sums of rows. */
    static final class Sums {
        long sessions;
        long errors;
        long switches;
        final long[] hist = new long[QoeFigures.STARTUP_BOUNDS_MS.length + 1];
        long watchMs;
        long stallMs;
        long stalls;
        double kbpsMs;
        long kbpsKnownMs;

        void add(Row r) {
            sessions += r.sessions();
            errors += r.errors();
            switches += r.switches();
            for (int i = 0; i < hist.length && i < r.hist().length; i++) {
                hist[i] += r.hist()[i];
            }
            watchMs += r.watchMs();
            stallMs += r.stallMs();
            stalls += r.stalls();
            kbpsMs += r.kbpsMs();
            kbpsKnownMs += r.kbpsKnownMs();
        }

        Qoe figures() {
            double watchHours = watchMs / 3_600_000.0;
            return new Qoe(sessions, QoeFigures.percentile(hist, 0.5), QoeFigures.percentile(hist, 0.95),
                    watchMs + stallMs == 0 ? null : round(stallMs / (double) (watchMs + stallMs)),
                    watchMs == 0 ? null : round(stalls / watchHours),
                    kbpsKnownMs == 0 ? null : round(kbpsMs / kbpsKnownMs), switches,
                    watchMs == 0 ? null : round(switches / watchHours),
                    sessions == 0 ? null : round(errors / (double) sessions), watchMs / 1000, stallMs / 1000);
        }
    }

    /** @param title a title, or null for all */
    List<Row> rows(Reports.Range r, UUID title) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery("""
                        select (hour at time zone 'UTC')::date as day, title_id, device_class, rendition, sessions,
                               errors, switches, startup_hist, watch_ms, stall_ms, stalls, bitrate_kbps_ms, bitrate_ms
                          from analytics_qoe_hourly where hour >= :f and hour < :t"""
                        + (title == null ? "" : " and title_id = :title"))
                    .bind("f", r.start()).bind("t", r.end());
            if (title != null) {
                q.bind("title", title);
            }
            return q.map((rs, ctx) -> {
                    Array a = rs.getArray("startup_hist");
                    Integer[] boxed = (Integer[]) a.getArray();
                    long[] hist = new long[boxed.length];
                    for (int i = 0; i < boxed.length; i++) {
                        hist[i] = boxed[i] == null ? 0 : boxed[i];
                    }
                    return new Row(rs.getDate("day").toLocalDate(), rs.getObject("title_id", UUID.class),
                            rs.getString("device_class"), rs.getString("rendition"), rs.getInt("sessions"),
                            rs.getInt("errors"), rs.getInt("switches"), hist, rs.getLong("watch_ms"),
                            rs.getLong("stall_ms"), rs.getInt("stalls"), rs.getDouble("bitrate_kbps_ms"),
                            rs.getLong("bitrate_ms"));
                }).list();
        });
    }

    static Qoe total(List<Row> rows) {
        Sums s = new Sums();
        rows.forEach(s::add);
        return s.figures();
    }

    static <K> Map<K, Sums> by(List<Row> rows, Function<Row, K> key) {
        Map<K, Sums> out = new LinkedHashMap<>();
        rows.forEach(r -> out.computeIfAbsent(key.apply(r), k -> new Sums()).add(r));
        return out;
    }

    /** @return one row per period of the range, empty periods included */
    static List<QoeRow> series(List<Row> rows, Reports.Range r, Reports.Interval iv) {
        Map<LocalDate, Sums> sums = by(rows, row -> iv.start(row.day()));
        List<QoeRow> out = new ArrayList<>();
        for (LocalDate p = iv.start(r.from()); !p.isAfter(r.to()); p = iv.next(p)) {
            out.add(new QoeRow(p.toString(), null, sums.getOrDefault(p, new Sums()).figures()));
        }
        return out;
    }

    List<QoeRow> titles(List<Row> rows) {
        Map<UUID, Sums> sums = by(rows, Row::titleId);
        List<Map.Entry<UUID, Sums>> top = sums.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<UUID, Sums> e) -> -e.getValue().watchMs)
                        .thenComparing(Map.Entry::getKey))
                .limit(Reports.TOP_TITLES).toList();
        Map<UUID, TitleSummary> names = catalog.visibleTitles(top.stream().map(Map.Entry::getKey).toList(), true);
        return top.stream().map(e -> new QoeRow(e.getKey().toString(),
                names.containsKey(e.getKey()) ? names.get(e.getKey()).originalTitle() : null,
                e.getValue().figures())).toList();
    }

    static List<QoeRow> grouped(List<Row> rows, Function<Row, String> key) {
        return by(rows, key).entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new QoeRow(e.getKey(), null, e.getValue().figures())).toList();
    }

    private static double round(double v) {
        return Math.round(v * 10000.0) / 10000.0;
    }

    static Timestamp utc(LocalDate d) {
        return Timestamp.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
