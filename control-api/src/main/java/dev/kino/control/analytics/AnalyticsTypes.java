package dev.kino.control.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** JSON shapes of viewing analytics. */
public final class AnalyticsTypes {
    private AnalyticsTypes() {
    }

    /**
     * A batch of playback events (the shape of each is {@link EventInput}; the route reads them one by one so a
     * malformed event refuses only itself).
     *
     * @param events at most {@value Ingest#MAX_BATCH} events; more are refused ({@code batch-too-large})
     */
    public record EventBatch(List<EventInput> events) {
    }

    /**
     * One playback event as the player sends it. Other fields (up to {@value Ingest#MAX_EXTRA}, strings of at most
     * {@value Ingest#MAX_EXTRA_TEXT} characters, numbers or booleans; e.g. an error's {@code message}) are kept
     * as the event's detail.
     *
     * @param id the event's id, chosen by the player; a replay with the same id and {@code at} is counted once
     * @param type {@code start|heartbeat|pause|seek|stall-start|stall-end|switch|error|end}
     * @param mediaId the media item playing
     * @param sessionId {@code sessionId} of the caller's {@code POST /api/v1/playback} grant for that item
     * @param at when it happened, milliseconds since the Unix epoch
     * @param position playback position in seconds from the start, 0 to 604800
     * @param rendition the rendition playing, e.g. {@code 720p} (1 to 32 of {@code A-Za-z0-9._-})
     */
    public record EventInput(UUID id, String type, UUID mediaId, UUID sessionId, Long at, Double position,
                             String rendition) {
    }

    /**
     * @param index position of the event in the batch, from 0
     * @param reason {@code malformed}, {@code batch-too-large}, {@code in-the-future}, {@code too-old},
     *               {@code unknown-media}, {@code unknown-session}, {@code not-your-session},
     *               {@code session-media-mismatch} or {@code outside-session}
     * @param detail what was wrong, for people
     */
    public record Refused(int index, String reason, String detail) {
    }

    /**
     * @param accepted events taken (queued for writing; replays of stored events included, they count once)
     * @param refused the events not taken, in batch order
     */
    public record IngestResult(int accepted, List<Refused> refused) {
    }

    /**
     * Viewing figures over a time range.
     *
     * @param views plays past the view threshold (10 s, or half of shorter items), once per viewer and item per hour
     * @param plays playback sessions that reported playing
     * @param uniqueViewers distinct viewers with a view (accounts; a guest counts per playback session)
     * @param watchSeconds time spent playing (not paused or stalled), seconds
     * @param completionRate share of qualified plays that played through 90 % of the item, 0 to 1; absent without any
     */
    public record Figures(long views, long plays, long uniqueViewers, long watchSeconds, Double completionRate) {
    }

    /**
     * The current period against the previous one of the same length.
     *
     * @param views relative change ({@code (current - previous) / previous}), absent when the previous was 0
     * @param plays relative change, as {@code views}
     * @param uniqueViewers relative change, as {@code views}
     * @param watchSeconds relative change, as {@code views}
     * @param completionRate difference of the rates (current - previous), absent when either is
     */
    public record Change(Double views, Double plays, Double uniqueViewers, Double watchSeconds, Double completionRate) {
    }

    /**
     * One period of a series.
     *
     * @param period first day of the period (ISO 8601 date; weeks start on Monday)
     */
    public record Period(LocalDate period, long views, long plays, long uniqueViewers, long watchSeconds,
                         Double completionRate) {
    }

    /** A title's figures in a list. @param title the title's original name */
    public record TitleFigures(UUID titleId, String title, long views, long plays, long uniqueViewers,
                               long watchSeconds, Double completionRate) {
    }

    /**
     * {@code GET /api/v1/admin/analytics/overview}.
     *
     * @param from first day of the range (UTC)
     * @param to last day of the range, included (UTC)
     * @param interval {@code day}, {@code week} or {@code month}
     * @param totals the range's figures
     * @param previous the figures of the as many days before {@code from}
     * @param change totals against previous
     * @param series the figures per interval
     * @param titles the most viewed titles of the range (at most 50)
     * @param concurrentViewers playback sessions holding a stream lease now, plus guests who reported in the last 30 s
     * @param generatedAt when this was computed; the rollups it reads lag the events by up to a minute
     */
    public record Overview(LocalDate from, LocalDate to, String interval, Figures totals, Figures previous,
                           Change change, List<Period> series, List<TitleFigures> titles, int concurrentViewers,
                           Instant generatedAt) {
    }

    /**
     * One media item (a film's feature or an episode) of a title report.
     *
     * @param retention share of qualified plays that played each 1 % of the duration (100 numbers, 0 to 1); empty
     *                  without qualified plays
     */
    public record MediaFigures(UUID mediaId, String name, Integer seasonNumber, Integer episodeNumber,
                               Integer durationSeconds, long views, long plays, long watchSeconds, Double completionRate,
                               List<Double> retention) {
    }

    /**
     * {@code GET /api/v1/admin/analytics/titles/{id}}.
     *
     * @param retention the title's retention curve: share of qualified plays of any of its items still playing at
     *                  each 1 % of the item's duration (100 numbers; empty without qualified plays)
     * @param media each item's figures, in catalogue order
     */
    public record TitleReport(UUID titleId, String title, LocalDate from, LocalDate to, String interval, Figures totals,
                              Figures previous, Change change, List<Period> series, List<Double> retention,
                              List<MediaFigures> media, Instant generatedAt) {
    }

    /**
     * What analytics holds about an account, for a data export.
     *
     * @param sessions the account's playback sessions (their summary figures)
     * @param events the raw events of those sessions still within retention
     */
    public record AccountExport(List<ViewingSession> sessions, List<PlaybackEvent> events) {
    }

    /**
     * One playback session of an account, as its data export shows it.
     *
     * @param clientNet the network the player reported from (IPv4 /24 or IPv6 /48), never the address
     * @param deviceClass coarse, from the player's User-Agent
     * @param watchSeconds time spent playing, as of the last rollup
     * @param viewedAt when playback passed the view threshold, or absent
     * @param completed whether 90 % of the item was played
     */
    public record ViewingSession(UUID sessionId, UUID mediaId, UUID titleId, Instant startedAt, String clientNet,
                                 String deviceClass, long watchSeconds, Instant viewedAt, boolean completed) {
    }

    /**
     * Quality-of-experience figures of a set of playback sessions (from the players' events).
     *
     * @param sessions sessions that reached a first frame
     * @param startupMsP50 median time to first frame, ms: the upper bound of the histogram bucket holding it (the
     *                     buckets are about 1.5× apart); absent without any startup time reported
     * @param startupMsP95 95th percentile of the time to first frame, ms, as {@code startupMsP50}
     * @param rebufferingRatio stall time / (watch time + stall time), 0 to 1; absent without either
     * @param stallsPerHour stalls per hour of watch time; absent without watch time
     * @param averageBitrateKbps time-weighted average bitrate while playing, kbit/s; absent when no player reported one
     * @param switches rendition switches
     * @param switchesPerHour rendition switches per hour of watch time; absent without watch time
     * @param errorRate share of sessions with a fatal player error, 0 to 1; absent without sessions
     * @param watchSeconds playing time
     * @param stallSeconds rebuffering time
     */
    public record Qoe(long sessions, Integer startupMsP50, Integer startupMsP95, Double rebufferingRatio,
                      Double stallsPerHour, Double averageBitrateKbps, long switches, Double switchesPerHour,
                      Double errorRate, long watchSeconds, long stallSeconds) {
    }

    /**
     * QoE of one group of a breakdown.
     *
     * @param key what the group is: a period's first day, a title id, a rendition name ({@code ""}: none named) or a
     *            device class ({@code desktop}, {@code mobile}, {@code tablet}, {@code tv}, {@code other})
     * @param label for titles, the title's original name; otherwise absent
     */
    public record QoeRow(String key, String label, Qoe qoe) {
    }

    /**
     * {@code GET /api/v1/admin/analytics/qoe}.
     *
     * @param titleId the title the figures are limited to, or absent for the whole catalogue
     * @param totals the range's figures
     * @param previous the figures of as many days just before {@code from}
     * @param series by interval
     * @param titles by title, most watched first (at most 50)
     * @param renditions by rendition; time figures by the rendition playing, session figures (startup, errors,
     *                   switches) by the rendition each session started with
     * @param devices by device class (coarse, from the player's User-Agent)
     */
    public record QoeReport(LocalDate from, LocalDate to, String interval, UUID titleId, Qoe totals, Qoe previous,
                            List<QoeRow> series, List<QoeRow> titles, List<QoeRow> renditions, List<QoeRow> devices,
                            Instant generatedAt) {
    }

    /**
     * What members did over a period. An account is <em>active</em> on a day when it started a playback session,
     * commented, reacted, rated, added to its watchlist or followed something that day.
     *
     * @param signUps accounts created
     * @param activeUsers distinct active accounts over the whole period
     * @param averageDailyActiveUsers active accounts per day, averaged over the period's days (DAU)
     */
    public record Engagement(long comments, long reactions, long ratings, long watchlistAdds, long follows,
                             long signUps, long activeUsers, double averageDailyActiveUsers) {
    }

    /** @param period first day of the period (weeks start on Monday) */
    public record EngagementPeriod(LocalDate period, Engagement figures) {
    }

    /**
     * Accounts that signed up in one ISO week, and how many of them were active in each week since.
     *
     * @param week the Monday of the sign-up week
     * @param size accounts created that week
     * @param retention share of them active in week 0 (the sign-up week), 1, 2, ... up to the range's end (at most
     *                  12 weeks); 0 to 1
     */
    public record Cohort(LocalDate week, long size, List<Double> retention) {
    }

    /**
     * {@code GET /api/v1/admin/analytics/engagement}.
     *
     * @param monthlyActiveUsers distinct active accounts in the 30 days ending on {@code to} (MAU)
     * @param dailyActiveUsers active accounts on {@code to} (DAU)
     * @param stickiness DAU / MAU, absent when MAU is 0
     * @param cohorts sign-up weeks that start within the range, oldest first
     */
    public record EngagementReport(LocalDate from, LocalDate to, String interval, Engagement totals,
                                   Engagement previous, List<EngagementPeriod> series, long dailyActiveUsers,
                                   long monthlyActiveUsers, Double stickiness, List<Cohort> cohorts,
                                   Instant generatedAt) {
    }

    /**
     * Subscriptions of one plan now.
     *
     * @param active subscriptions {@code active} (and within their period)
     * @param pastDue {@code past_due}
     * @param cancelled {@code cancelled}
     * @param expired {@code expired}
     * @param started subscriptions created within the range
     */
    public record PlanCount(UUID planId, String name, long active, long pastDue, long cancelled, long expired,
                            long started) {
    }

    /**
     * Money collected: paid invoices by the day they were paid.
     *
     * @param period first day of the period; absent in totals
     * @param currency ISO 4217 code
     * @param paidMinor sum of the invoices' amounts paid, in the currency's minor unit (cents)
     * @param invoices paid invoices
     */
    public record Revenue(LocalDate period, String currency, long paidMinor, long invoices) {
    }

    /**
     * {@code GET /api/v1/admin/analytics/subscriptions}.
     *
     * @param plans every plan with its subscription counts
     * @param revenue the range's revenue per currency
     * @param previousRevenue the previous period's, per currency
     * @param series revenue per period and currency (periods without any are absent)
     */
    public record SubscriptionReport(LocalDate from, LocalDate to, String interval, List<PlanCount> plans,
                                     List<Revenue> revenue, List<Revenue> previousRevenue, List<Revenue> series,
                                     Instant generatedAt) {
    }
}
