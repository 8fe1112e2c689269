package dev.kino.control.analytics;

import dev.kino.control.Validation;
import dev.kino.control.analytics.AnalyticsTypes.Figures;
import dev.kino.control.analytics.AnalyticsTypes.MediaFigures;
import dev.kino.control.analytics.AnalyticsTypes.Overview;
import dev.kino.control.analytics.AnalyticsTypes.Period;
import dev.kino.control.analytics.AnalyticsTypes.TitleFigures;
import dev.kino.control.analytics.AnalyticsTypes.TitleReport;
import dev.kino.control.auth.Permissions;
import dev.kino.control.catalog.Access;
import dev.kino.control.http.Request;
import dev.kino.control.http.Response;
import dev.kino.control.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Viewing analytics routes:
 *
 * <pre>
 * POST /api/v1/playback/events              a batch of playback events (guests too; bearer token when signed in)
 * GET  /api/v1/admin/analytics/overview     views, watch time, completion, unique and concurrent viewers, top titles
 * GET  /api/v1/admin/analytics/titles/{id}  a title's figures, per item, and its retention curves
 * GET  /api/v1/admin/analytics/qoe          quality of experience (startup, rebuffering, bitrate, errors) by period,
 *                                           title, rendition and device class; ?titleId= limits it to a title
 * GET  /api/v1/admin/analytics/engagement   comments, reactions, ratings, watchlist adds, follows, sign-ups, DAU/MAU,
 *                                           cohort retention by sign-up week
 * GET  /api/v1/admin/analytics/subscriptions  subscriptions by plan and status, revenue from paid invoices
 * GET  /api/v1/admin/analytics/now          viewers watching now (the dashboard polls it)
 * </pre>
 *
 * The reports need {@code analytics.read} (admins have it), take {@code from} and {@code to} (ISO 8601 dates, UTC,
 * both included; default the last 30 days), {@code interval} ({@code day}, {@code week} or {@code month}) and
 * compare with the previous period of the same length. With {@code Accept: text/csv} they answer one table as CSV
 * (RFC 4180), the one {@code table} names.
 */
public final class AnalyticsRoutes {
    private static final String TAG = "analytics";
    /** Longest range of a report. */
    static final int MAX_DAYS = 3 * 366;
    static final List<String> OVERVIEW_TABLES = List.of("series", "titles", "totals");
    static final List<String> TITLE_TABLES = List.of("series", "media", "retention", "totals");
    static final List<String> QOE_TABLES = List.of("series", "titles", "renditions", "devices", "totals");
    static final List<String> ENGAGEMENT_TABLES = List.of("series", "cohorts", "totals");
    static final List<String> SUBSCRIPTION_TABLES = List.of("plans", "revenue", "totals");

    private AnalyticsRoutes() {
    }

    public static void register(Router router, Analytics analytics, Access access, Clock clock) {
        router.route(HttpMethod.POST, "/api/v1/playback/events").operationId("reportPlaybackEvents").tag(TAG)
                .summary("Report a batch of playback events (at most " + Ingest.MAX_BATCH + "); each event is taken or"
                        + " refused on its own, and a replayed event counts once (bearer token optional)")
                .request(AnalyticsTypes.EventBatch.class).response(200, AnalyticsTypes.IngestResult.class)
                .errors(401, 422, 503)
                .handler(req -> Response.ok(analytics.ingest(access.optional(req), req.bodyTree(), req.remoteIp(),
                        req.header("User-Agent"))));
        range(router.route(HttpMethod.GET, "/api/v1/admin/analytics/overview").operationId("analyticsOverview").tag(TAG)
                .authenticated().summary("Viewing figures of the whole catalogue over a range, by interval, against"
                        + " the previous period (analytics.read)"), OVERVIEW_TABLES)
                .response(200, Overview.class).csv().errors(403, 422)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    Params p = Params.of(req, clock, OVERVIEW_TABLES);
                    Overview o = analytics.overview(p.range(), p.interval());
                    return p.csv() ? Response.bytes(overviewCsv(o, p.table()), Csv.MEDIA_TYPE) : Response.ok(o);
                });
        range(router.route(HttpMethod.GET, "/api/v1/admin/analytics/titles/{id}").operationId("analyticsTitle").tag(TAG)
                .authenticated().summary("A title's viewing figures over a range, by interval and per item, with"
                        + " retention curves (analytics.read)"), TITLE_TABLES)
                .response(200, TitleReport.class).csv().errors(403, 404, 422)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    Params p = Params.of(req, clock, TITLE_TABLES);
                    TitleReport t = analytics.title(req.pathUuid("id"), p.range(), p.interval());
                    return p.csv() ? Response.bytes(titleCsv(t, p.table()), Csv.MEDIA_TYPE) : Response.ok(t);
                });
        registerMore(router, analytics, access, clock);
    }

    /**
     * @param concurrentViewers playback sessions holding a stream lease now, plus guests who reported in the last 30 s
     * @param at when it was counted
     */
    public record Now(int concurrentViewers, java.time.Instant at) {
    }

    private static void registerMore(Router router, Analytics analytics, Access access, Clock clock) {
        router.route(HttpMethod.GET, "/api/v1/admin/analytics/now").operationId("analyticsNow").tag(TAG)
                .authenticated().summary("Viewers watching now, from the stream leases (analytics.read)")
                .response(200, Now.class).errors(403)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    return Response.ok(new Now(analytics.concurrentViewers(), clock.instant()));
                });
        range(router.route(HttpMethod.GET, "/api/v1/admin/analytics/qoe").operationId("analyticsQoe").tag(TAG)
                .authenticated().summary("Quality of experience from the players' events: startup time p50/p95,"
                        + " rebuffering ratio, stalls per hour, average bitrate, switches, error rate; by period,"
                        + " title, rendition and device class, against the previous period (analytics.read)")
                .query("titleId", "string", "limit the figures to one title (UUID)"), QOE_TABLES)
                .response(200, AnalyticsTypes.QoeReport.class).csv().errors(403, 404, 422)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    Params p = Params.of(req, clock, QOE_TABLES);
                    String t = req.query("titleId");
                    java.util.UUID title;
                    try {
                        title = t == null ? null : java.util.UUID.fromString(t);
                    } catch (IllegalArgumentException e) {
                        throw dev.kino.control.InvalidInputException.of("titleId", "must be a UUID");
                    }
                    AnalyticsTypes.QoeReport q = analytics.qoe(p.range(), p.interval(), title);
                    return p.csv() ? Response.bytes(qoeCsv(q, p.table()), Csv.MEDIA_TYPE) : Response.ok(q);
                });
        range(router.route(HttpMethod.GET, "/api/v1/admin/analytics/engagement").operationId("analyticsEngagement")
                .tag(TAG).authenticated().summary("Member engagement: comments, reactions, ratings, watchlist adds,"
                        + " follows, sign-ups, active users (DAU, MAU) and cohort retention by sign-up week, against"
                        + " the previous period (analytics.read)"), ENGAGEMENT_TABLES)
                .response(200, AnalyticsTypes.EngagementReport.class).csv().errors(403, 422)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    Params p = Params.of(req, clock, ENGAGEMENT_TABLES);
                    AnalyticsTypes.EngagementReport e = analytics.engagement(p.range(), p.interval());
                    return p.csv() ? Response.bytes(engagementCsv(e, p.table()), Csv.MEDIA_TYPE) : Response.ok(e);
                });
        range(router.route(HttpMethod.GET, "/api/v1/admin/analytics/subscriptions")
                .operationId("analyticsSubscriptions").tag(TAG).authenticated()
                .summary("Subscriptions by plan and status, and revenue from paid invoices by period and currency,"
                        + " against the previous period (analytics.read)"), SUBSCRIPTION_TABLES)
                .response(200, AnalyticsTypes.SubscriptionReport.class).csv().errors(403, 422)
                .handler(req -> {
                    access.require(req, Permissions.ANALYTICS_READ);
                    Params p = Params.of(req, clock, SUBSCRIPTION_TABLES);
                    AnalyticsTypes.SubscriptionReport r = analytics.subscriptions(p.range(), p.interval());
                    return p.csv() ? Response.bytes(subscriptionCsv(r, p.table()), Csv.MEDIA_TYPE) : Response.ok(r);
                });
    }

    /** Documents the common query parameters of a report. */
    private static Router.RouteBuilder range(Router.RouteBuilder b, List<String> tables) {
        return b.query("from", "string", "first day, ISO 8601 date (UTC); default 29 days before to")
                .query("to", "string", "last day, included, ISO 8601 date (UTC); default today")
                .query("interval", "string", "day, week or month (default day)")
                .query("table", "string", "with Accept: text/csv, the table: " + Csv.names(tables)
                        + " (default " + tables.get(0) + ")");
    }

    private static final String[] QOE_HEADER = {"sessions", "startup_ms_p50", "startup_ms_p95", "rebuffering_ratio",
            "stalls_per_hour", "average_bitrate_kbps", "switches", "switches_per_hour", "error_rate", "watch_seconds",
            "stall_seconds"};

    private static Object[] qoeCells(Object key, Object label, AnalyticsTypes.Qoe q) {
        return new Object[] {key, label, q.sessions(), q.startupMsP50(), q.startupMsP95(), q.rebufferingRatio(),
                q.stallsPerHour(), q.averageBitrateKbps(), q.switches(), q.switchesPerHour(), q.errorRate(),
                q.watchSeconds(), q.stallSeconds()};
    }

    static byte[] qoeCsv(AnalyticsTypes.QoeReport q, String table) {
        String first = switch (table) {
            case "titles" -> "title_id";
            case "renditions" -> "rendition";
            case "devices" -> "device_class";
            case "totals" -> "row";
            default -> "period";
        };
        String[] header = new String[QOE_HEADER.length + 2];
        header[0] = first;
        header[1] = "label";
        System.arraycopy(QOE_HEADER, 0, header, 2, QOE_HEADER.length);
        Csv c = new Csv(header);
        List<AnalyticsTypes.QoeRow> rows = switch (table) {
            case "titles" -> q.titles();
            case "renditions" -> q.renditions();
            case "devices" -> q.devices();
            case "totals" -> List.of(new AnalyticsTypes.QoeRow("current " + q.from() + "/" + q.to(), null, q.totals()),
                    new AnalyticsTypes.QoeRow("previous", null, q.previous()));
            default -> q.series();
        };
        rows.forEach(r -> c.row(qoeCells(r.key(), r.label(), r.qoe())));
        return c.bytes();
    }

    private static final String[] ENGAGEMENT_HEADER = {"comments", "reactions", "ratings", "watchlist_adds",
            "follows", "sign_ups", "active_users", "average_daily_active_users"};

    private static Object[] engagementCells(Object key, AnalyticsTypes.Engagement e) {
        return new Object[] {key, e.comments(), e.reactions(), e.ratings(), e.watchlistAdds(), e.follows(),
                e.signUps(), e.activeUsers(), e.averageDailyActiveUsers()};
    }

    static byte[] engagementCsv(AnalyticsTypes.EngagementReport e, String table) {
        if (table.equals("cohorts")) {
            Csv c = new Csv("week", "size", "weeks_after", "active_share");
            for (AnalyticsTypes.Cohort k : e.cohorts()) {
                for (int i = 0; i < k.retention().size(); i++) {
                    c.row(k.week(), k.size(), i, k.retention().get(i));
                }
            }
            return c.bytes();
        }
        String[] header = new String[ENGAGEMENT_HEADER.length + 1];
        header[0] = table.equals("totals") ? "row" : "period";
        System.arraycopy(ENGAGEMENT_HEADER, 0, header, 1, ENGAGEMENT_HEADER.length);
        Csv c = new Csv(header);
        if (table.equals("totals")) {
            c.row(engagementCells("current " + e.from() + "/" + e.to(), e.totals()));
            c.row(engagementCells("previous", e.previous()));
        } else {
            e.series().forEach(p -> c.row(engagementCells(p.period(), p.figures())));
        }
        return c.bytes();
    }

    static byte[] subscriptionCsv(AnalyticsTypes.SubscriptionReport r, String table) {
        return switch (table) {
            case "revenue" -> {
                Csv c = new Csv("period", "currency", "paid_minor", "invoices");
                r.series().forEach(v -> c.row(v.period(), v.currency(), v.paidMinor(), v.invoices()));
                yield c.bytes();
            }
            case "totals" -> {
                Csv c = new Csv("row", "currency", "paid_minor", "invoices");
                r.revenue().forEach(v -> c.row("current " + r.from() + "/" + r.to(), v.currency(), v.paidMinor(),
                        v.invoices()));
                r.previousRevenue().forEach(v -> c.row("previous", v.currency(), v.paidMinor(), v.invoices()));
                yield c.bytes();
            }
            default -> {
                Csv c = new Csv("plan_id", "name", "active", "past_due", "cancelled", "expired", "started");
                r.plans().forEach(p -> c.row(p.planId(), p.name(), p.active(), p.pastDue(), p.cancelled(),
                        p.expired(), p.started()));
                yield c.bytes();
            }
        };
    }

    /** The reports' query parameters, validated together (422 naming each bad one). */
    record Params(Reports.Range range, Reports.Interval interval, boolean csv, String table) {
        static Params of(Request req, Clock clock, List<String> tables) {
            Validation v = new Validation();
            LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            LocalDate to = date(v, "to", req.query("to"), today);
            LocalDate from = date(v, "from", req.query("from"), to == null ? null : to.minusDays(29));
            Reports.Interval interval = null;
            String iv = req.query("interval");
            try {
                interval = iv == null ? Reports.Interval.DAY : Reports.Interval.valueOf(iv.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.add("interval", "must be day, week or month");
            }
            if (from != null && to != null) {
                v.check("from", !from.isAfter(to), "must not be after to");
                v.check("to", to.toEpochDay() - from.toEpochDay() < MAX_DAYS, "a range spans at most " + MAX_DAYS + " days");
            }
            boolean csv = Csv.wanted(req.header("Accept"));
            String table = req.query("table") == null ? tables.get(0) : req.query("table");
            v.check("table", tables.contains(table), "must be one of " + Csv.names(tables));
            v.throwIfInvalid();
            return new Params(new Reports.Range(from, to), interval, csv, table);
        }

        private static LocalDate date(Validation v, String field, String text, LocalDate fallback) {
            if (text == null) {
                return fallback;
            }
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                v.add(field, "must be an ISO 8601 date (YYYY-MM-DD)");
                return null;
            }
        }
    }

    private static final String[] FIGURE_HEADER = {"views", "plays", "unique_viewers", "watch_seconds", "completion_rate"};

    static byte[] overviewCsv(Overview o, String table) {
        return switch (table) {
            case "titles" -> {
                Csv c = new Csv("title_id", "title", "views", "plays", "unique_viewers", "watch_seconds", "completion_rate");
                for (TitleFigures t : o.titles()) {
                    c.row(t.titleId(), t.title(), t.views(), t.plays(), t.uniqueViewers(), t.watchSeconds(),
                            t.completionRate());
                }
                yield c.bytes();
            }
            case "totals" -> totals(o.from(), o.to(), o.totals(), o.previous(), o.change());
            default -> series(o.series());
        };
    }

    static byte[] titleCsv(TitleReport t, String table) {
        return switch (table) {
            case "media" -> {
                Csv c = new Csv("media_id", "name", "season", "episode", "duration_seconds", "views", "plays",
                        "watch_seconds", "completion_rate");
                for (MediaFigures m : t.media()) {
                    c.row(m.mediaId(), m.name(), m.seasonNumber(), m.episodeNumber(), m.durationSeconds(), m.views(),
                            m.plays(), m.watchSeconds(), m.completionRate());
                }
                yield c.bytes();
            }
            case "retention" -> {
                // long form: one row per scope (the title, then each item) and 1 % bucket
                Csv c = new Csv("scope", "bucket_percent", "share");
                for (int i = 0; i < t.retention().size(); i++) {
                    c.row("title", i, t.retention().get(i));
                }
                for (MediaFigures m : t.media()) {
                    for (int i = 0; i < m.retention().size(); i++) {
                        c.row(m.mediaId(), i, m.retention().get(i));
                    }
                }
                yield c.bytes();
            }
            case "totals" -> totals(t.from(), t.to(), t.totals(), t.previous(), t.change());
            default -> series(t.series());
        };
    }

    private static byte[] series(List<Period> series) {
        Csv c = new Csv("period", "views", "plays", "unique_viewers", "watch_seconds", "completion_rate");
        for (Period p : series) {
            c.row(p.period(), p.views(), p.plays(), p.uniqueViewers(), p.watchSeconds(), p.completionRate());
        }
        return c.bytes();
    }

    private static byte[] totals(LocalDate from, LocalDate to, Figures now, Figures before,
                                 AnalyticsTypes.Change change) {
        String[] header = new String[FIGURE_HEADER.length + 1];
        header[0] = "row";
        System.arraycopy(FIGURE_HEADER, 0, header, 1, FIGURE_HEADER.length);
        Csv c = new Csv(header);
        c.row("current " + from + "/" + to, now.views(), now.plays(), now.uniqueViewers(), now.watchSeconds(),
                now.completionRate());
        c.row("previous", before.views(), before.plays(), before.uniqueViewers(), before.watchSeconds(),
                before.completionRate());
        c.row("change", change.views(), change.plays(), change.uniqueViewers(), change.watchSeconds(),
                change.completionRate());
        return c.bytes();
    }
}
