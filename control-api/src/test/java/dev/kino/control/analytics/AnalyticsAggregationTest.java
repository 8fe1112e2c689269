package dev.kino.control.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.InProcessSharedState;
import dev.kino.common.state.StreamLimits;
import dev.kino.control.analytics.AnalyticsTypes.Overview;
import dev.kino.control.analytics.AnalyticsTypes.Qoe;
import dev.kino.control.analytics.AnalyticsTypes.QoeReport;
import dev.kino.control.analytics.AnalyticsTypes.TitleReport;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaInput;
import dev.kino.control.catalog.TitleInput;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Json;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestAccounts;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Viewing and QoE aggregation with generated player events and answers worked out by hand: views (threshold,
 * once per viewer and item per hour), unique viewers by day and week, watch time, completion, the retention curve,
 * rebuffering ratio, startup percentiles, bitrate; forged and replayed batches inflate nothing.
 *
 * <p>Everything happens on 4 and 5 March 2025 (a Tuesday and a Wednesday), on a clock of its own, so the figures
 * are this test's alone. Each session is granted, then its events are sent in one batch when the last one happened
 * (the server's clock follows the player's), as a player that batches would.
 */
class AnalyticsAggregationTest {
    static final Instant T0 = Instant.parse("2025-03-04T10:00:00Z");
    static final LocalDate DAY1 = LocalDate.parse("2025-03-04");
    static final LocalDate DAY2 = LocalDate.parse("2025-03-05");
    static Jdbi jdbi;
    static MutableClock clock;
    static Catalog catalog;
    static InProcessSharedState state;
    static Analytics analytics;
    static UUID movieTitle;
    static UUID movie;      // 100 s
    static UUID shortTitle;
    static UUID shortItem;  // 12 s: the view threshold is 6 s
    static UUID u1;
    static UUID u2;
    static UUID u3;
    static UUID liveSession;
    static UUID burstTitle;

    @BeforeAll
    static void generate() {
        jdbi = SharedDatabase.get().jdbi();
        clock = new MutableClock(T0.minusSeconds(60));
        catalog = new Catalog(jdbi, clock);
        state = new InProcessSharedState(clock);
        analytics = new Analytics(jdbi, new PostgresEventSink(jdbi, clock), catalog, state.blocking(Duration.ofSeconds(5)),
                Duration.ofDays(90), 10_000, clock);
        movieTitle = catalog.createTitle(new TitleInput("movie", "Aggregation " + UUID.randomUUID(), null, null, null,
                null, null, null, null, null, null));
        movie = media(movieTitle, 100);
        shortTitle = catalog.createTitle(new TitleInput("movie", "Short " + UUID.randomUUID(), null, null, null,
                null, null, null, null, null, null));
        shortItem = media(shortTitle, 12);
        u1 = TestAccounts.user(jdbi).id();
        u2 = TestAccounts.user(jdbi).id();
        u3 = TestAccounts.user(jdbi).id();
        // u1 and u2 signed up on Monday 3 March 2025, u3 the week before
        jdbi.useHandle(h -> h.createUpdate("update accounts set created_at = case when id = :u3"
                + " then timestamptz '2025-02-25T12:00:00Z' else timestamptz '2025-03-03T12:00:00Z' end"
                + " where id in (:u1, :u2, :u3)").bind("u1", u1).bind("u2", u2).bind("u3", u3).execute());

        // A: u1 plays 30 s and pauses (startup 400 ms)
        Player a = new Player(u1, movie, T0);
        a.start(400).playTo(30).then("pause", 30).send();
        // B: u1 again in the same hour, 20 s (a second view of the same viewer, item and hour: not counted)
        new Player(u1, movie, T0.plusSeconds(60)).start(600).playTo(20).then("end", 20).send();
        // C: u2 plays it all, switching to 720p at 50 s (completed); sent twice (a replay)
        Player c = new Player(u2, movie, T0.plusSeconds(180)).start(1200).playTo(50);
        c.switchTo("720p", 2_400_000).playTo(100).then("end", 100);
        c.send();
        c.send();
        // D: a guest, 5 s then a fatal error (no view)
        new Player(null, movie, T0.plusSeconds(360)).start(300).playTo(5).then("error", 5).send();
        // E: u3, 10 s, a 5 s stall, 5 s more (startup 2500 ms)
        Player e = new Player(u3, movie, T0.plusSeconds(480)).start(2500).playTo(10);
        e.stall(5).playTo(15).then("end", 15).send();
        // F: a forged batch: a guest's two minutes of heartbeats sent one second after the grant
        Player f = new Player(null, movie, T0.plusSeconds(600));
        f.startNoStartup();
        for (int i = 1; i <= 12; i++) {
            f.at(i * 10).event("heartbeat", i * 10);
        }
        f.sendAt(T0.plusSeconds(601));
        // G: u1 in the next hour, 12 s (a view again: another hour)
        new Player(u1, movie, T0.plusSeconds(3900)).start(800).playTo(12).then("end", 12).send();
        // short item: one guest past half of it (7 s of 12), one short of it (5 s)
        new Player(null, shortItem, T0.plusSeconds(4000)).start(null).playTo(7).then("end", 7).send();
        new Player(null, shortItem, T0.plusSeconds(4100)).start(null).playTo(5).then("end", 5).send();
        analytics.flush();
        analytics.rollupRound(true);
        // a replay after the rollup changes nothing either
        a.send();
        // a script opening guest session after session from one network: one viewer, one view in the hour
        burstTitle = catalog.createTitle(new TitleInput("movie", "Burst " + UUID.randomUUID(), null, null, null,
                null, null, null, null, null, null));
        UUID burst = media(burstTitle, 100);
        for (int i = 0; i < 3; i++) {
            new Player(null, burst, T0.plusSeconds(4200 + i * 60)).start(null).playTo(12).then("end", 12).send();
        }
        // day 2: u2 again, 20 s
        new Player(u2, movie, T0.plus(Duration.ofDays(1))).start(700).playTo(20).then("pause", 20).send();
        analytics.flush();
        analytics.rollupRound(true);

        // now watching: one account holding a stream lease
        liveSession = UUID.randomUUID();
        analytics.sessionStarted(liveSession, u3, catalog.media(movie).orElseThrow(), clock.instant().plusSeconds(3600));
        BlockingSharedState s = state.blocking(Duration.ofSeconds(5));
        s.acquireLease(StreamLimits.group(u3.toString()), liveSession.toString(), 2, Duration.ofHours(1));
        // and a guest (guests take no lease) whose player reported a moment ago: 5 s of the short item, no view
        new Player(null, shortItem, clock.instant().plusSeconds(5)).start(null).playTo(5).send();
        analytics.flush();
    }

    @AfterAll
    static void stop() {
        analytics.close();
        state.close();
    }

    static UUID media(UUID title, int seconds) {
        UUID id = catalog.createMedia(title, new MediaInput(null, null, "Feature", "p-" + UUID.randomUUID(),
                List.of("360p", "720p"), List.of("en"), List.of(), seconds, false, "none", "free", true)).id();
        jdbi.useHandle(h -> h.createUpdate("update media_items set state = 'published' where id = :id")
                .bind("id", id).execute());
        return id;
    }

    static void clockTo(Instant t) {
        Duration d = Duration.between(clock.instant(), t);
        if (!d.isNegative()) {
            clock.advance(d);
        }
    }

    /** A player: one playback session and the events it generates, positions advancing with time. */
    static final class Player {
        final UUID account;
        final UUID media;
        final UUID session = UUID.randomUUID();
        final Instant granted;
        final List<Map<String, Object>> events = new ArrayList<>();
        Instant now;
        double position;
        String rendition = "360p";
        long bitrate = 800_000;

        Player(UUID account, UUID media, Instant grantAt) {
            this.account = account;
            this.media = media;
            clockTo(grantAt);
            this.granted = grantAt;
            analytics.sessionStarted(session, account, catalog.media(media).orElseThrow(), grantAt.plusSeconds(6 * 3600));
            this.now = grantAt.plusSeconds(1); // the first frame a second after the grant
        }

        Player at(double secondsAfterStart) {
            now = granted.plusSeconds(1).plusMillis((long) (secondsAfterStart * 1000));
            return this;
        }

        Player event(String type, double pos) {
            Map<String, Object> e = new HashMap<>();
            e.put("id", UUID.randomUUID().toString());
            e.put("type", type);
            e.put("mediaId", media.toString());
            e.put("sessionId", session.toString());
            e.put("at", now.toEpochMilli());
            e.put("position", pos);
            e.put("rendition", rendition);
            e.put("bitrate", bitrate);
            events.add(e);
            position = pos;
            return this;
        }

        Player start(Integer startupMs) {
            event("start", 0);
            if (startupMs != null) {
                events.get(events.size() - 1).put("startupMs", startupMs);
            }
            return this;
        }

        Player startNoStartup() {
            return event("start", 0);
        }

        /** Plays on to {@code pos} at normal speed, a heartbeat every 10 s and one at {@code pos}. */
        Player playTo(double pos) {
            while (position < pos) {
                double next = Math.min(pos, Math.floor(position / 10) * 10 + 10);
                now = now.plusMillis((long) ((next - position) * 1000));
                event("heartbeat", next);
            }
            return this;
        }

        Player then(String type, double pos) {
            return event(type, pos);
        }

        Player switchTo(String r, long bps) {
            rendition = r;
            bitrate = bps;
            return event("switch", position);
        }

        Player stall(int seconds) {
            event("stall-start", position);
            now = now.plusSeconds(seconds);
            return event("stall-end", position);
        }

        void send() {
            sendAt(now.plusMillis(500));
        }

        void sendAt(Instant received) {
            clockTo(received);
            JsonNode body = Json.MAPPER.valueToTree(Map.of("events", events));
            Viewer v = account == null ? Viewer.guest() : new Viewer(account, Set.of(), 99);
            AnalyticsTypes.IngestResult r = analytics.ingest(v, body, "198.51.100.23",
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0");
            assertEquals(List.of(), r.refused(), "every generated event is well-formed");
        }
    }

    static Reports.Range day1() {
        return new Reports.Range(DAY1, DAY1);
    }

    @Test
    void viewsCountPastTheThresholdOncePerViewerItemAndHour() {
        TitleReport t = analytics.title(movieTitle, day1(), Reports.Interval.DAY);
        // A+B (u1, hour 10: one view), C (u2), E (u3), G (u1, hour 11); D (5 s) and F (forged) are no views
        assertEquals(4, t.totals().views());
        assertEquals(7, t.totals().plays(), "A B C D E F G reported playing");
        assertEquals(3, t.totals().uniqueViewers(), "u1 u2 u3");
        // 30 + 20 + 100 + 5 + 15 + 1 (F: the second the server saw pass) + 12
        assertEquals(183, t.totals().watchSeconds());
        assertEquals(0.2, t.totals().completionRate(), "C of the qualified A B C E G");

        TitleReport s = analytics.title(shortTitle, day1(), Reports.Interval.DAY);
        assertEquals(1, s.totals().views(), "7 s of a 12 s item is a view, 5 s is not");
        assertEquals(2, s.totals().plays());
    }

    @Test
    void guestSessionsFromOneNetworkAndDeviceAreOneViewer() {
        TitleReport t = analytics.title(burstTitle, day1(), Reports.Interval.DAY);
        assertEquals(3, t.totals().plays());
        assertEquals(1, t.totals().views(), "three sessions, one viewer, one hour");
        assertEquals(1, t.totals().uniqueViewers());
    }

    @Test
    void theRetentionCurveIsTheShareOfQualifiedPlaysAtEachPercent() {
        List<Double> r = analytics.title(movieTitle, day1(), Reports.Interval.DAY).retention();
        assertEquals(100, r.size());
        // qualified: A (0-30 s), B (0-20), C (0-100), E (0-15), G (0-12) of a 100 s item
        for (int i = 0; i < 100; i++) {
            double expected = i < 12 ? 1.0 : i < 15 ? 0.8 : i < 20 ? 0.6 : i < 30 ? 0.4 : 0.2;
            assertEquals(expected, r.get(i), "bucket " + i);
        }
    }

    @Test
    void uniqueViewersAreCountedOncePerPeriod() {
        Reports.Range twoDays = new Reports.Range(DAY1, DAY2);
        TitleReport byDay = analytics.title(movieTitle, twoDays, Reports.Interval.DAY);
        assertEquals(List.of(3L, 1L), byDay.series().stream().map(AnalyticsTypes.Period::uniqueViewers).toList());
        assertEquals(List.of(4L, 1L), byDay.series().stream().map(AnalyticsTypes.Period::views).toList());
        TitleReport byWeek = analytics.title(movieTitle, twoDays, Reports.Interval.WEEK);
        assertEquals(1, byWeek.series().size());
        assertEquals(LocalDate.parse("2025-03-03"), byWeek.series().get(0).period(), "ISO weeks start on Monday");
        assertEquals(3, byWeek.series().get(0).uniqueViewers(), "u2 on both days counts once");
        assertEquals(5, byWeek.series().get(0).views());
        Overview month = analytics.overview(twoDays, Reports.Interval.MONTH);
        assertEquals(4, month.totals().uniqueViewers(), "u1 u2 u3 and the guests (one network and device)");
        assertEquals(7, month.totals().views(), "5 of the movie, 1 of the short item, 1 of the burst");
    }

    @Test
    void theOverviewComparesWithThePreviousPeriod() {
        Overview o = analytics.overview(new Reports.Range(DAY2, DAY2), Reports.Interval.DAY);
        assertEquals(1, o.totals().views());
        assertEquals(6, o.previous().views(), "4 March: 4 of the movie, 1 of the short item, 1 of the burst");
        assertEquals(Math.round((1 - 6) / 6.0 * 10000) / 10000.0, o.change().views());
        assertEquals(movieTitle, o.titles().get(0).titleId());
    }

    @Test
    void qualityOfExperienceFromThePlayersEvents() {
        QoeReport q = analytics.qoe(day1(), Reports.Interval.DAY, movieTitle);
        Qoe t = q.totals();
        assertEquals(7, t.sessions(), "A B C D E F G reached a first frame");
        // startup times 300 400 600 800 1200 2500 (F sent none): the median is the 3rd, 600, in [500, 750)
        assertEquals(750, t.startupMsP50());
        assertEquals(3000, t.startupMsP95(), "2500 is in [2000, 3000)");
        assertEquals(Math.round(5.0 / (183 + 5) * 10000) / 10000.0, t.rebufferingRatio(), "E's 5 s stall");
        assertEquals(Math.round(1 / (183 / 3600.0) * 10000) / 10000.0, t.stallsPerHour());
        assertEquals(1, t.switches());
        assertEquals(Math.round(1 / 7.0 * 10000) / 10000.0, t.errorRate(), "D");
        // C played 50 s at 2400 kbit/s, everything else at 800
        assertEquals(Math.round((50 * 2400 + 133 * 800) / 183.0 * 10000) / 10000.0, t.averageBitrateKbps());
        Map<String, Long> watchByRendition = new HashMap<>();
        q.renditions().forEach(r -> watchByRendition.put(r.key(), r.qoe().watchSeconds()));
        assertEquals(Map.of("360p", 133L, "720p", 50L), watchByRendition);
        assertEquals(List.of("desktop"), q.devices().stream().map(AnalyticsTypes.QoeRow::key).toList());
        assertNull(q.previous().startupMsP50(), "nothing the day before");
    }

    @Test
    void engagementCountsActiveAccountsAndCohortsBySignUpWeek() {
        AnalyticsTypes.EngagementReport e = analytics.engagement(new Reports.Range(LocalDate.parse("2025-03-03"), DAY2),
                Reports.Interval.DAY);
        assertEquals(2, e.dailyActiveUsers(), "on 5 March: u2, and u3 watching now");
        assertEquals(3, e.monthlyActiveUsers(), "u1 u2 u3 (guests are no accounts)");
        assertEquals(Math.round(20000 / 3.0) / 10000.0, e.stickiness());
        assertEquals(3, e.totals().activeUsers());
        assertEquals(2, e.totals().signUps());
        assertEquals(Math.round((0 + 3 + 2) * 100 / 3.0) / 100.0, e.totals().averageDailyActiveUsers());
        assertEquals(1, e.cohorts().size());
        assertEquals(LocalDate.parse("2025-03-03"), e.cohorts().get(0).week());
        assertEquals(2, e.cohorts().get(0).size());
        assertEquals(List.of(1.0), e.cohorts().get(0).retention(), "both active in their sign-up week");
    }

    @Test
    void eachPeriodOfTheEngagementSeriesHasTheFiguresOfItsOwnDays() {
        // the series comes from one grouped query per table; each period must equal the figures of its days alone
        // (cut by the range), as the per-period queries it replaced computed them
        EngagementReports reports = new EngagementReports(jdbi);
        Reports.Range r = new Reports.Range(LocalDate.parse("2025-02-26"), DAY2);
        for (Reports.Interval iv : Reports.Interval.values()) {
            AnalyticsTypes.EngagementReport e = analytics.engagement(r, iv);
            for (AnalyticsTypes.EngagementPeriod p : e.series()) {
                LocalDate f = p.period().isBefore(r.from()) ? r.from() : p.period();
                LocalDate last = iv.next(p.period()).minusDays(1);
                LocalDate t = last.isAfter(r.to()) ? r.to() : last;
                assertEquals(jdbi.withHandle(h -> reports.figures(h, f, t)), p.figures(), iv + " " + p.period());
            }
            assertEquals(3, e.totals().activeUsers(), "not vacuous: the range has activity");
        }
        assertEquals(2L, analytics.engagement(r, Reports.Interval.DAY).series().stream()
                .filter(p -> p.period().equals(DAY2)).findFirst().orElseThrow().figures().activeUsers());
    }

    @Test
    void concurrentViewersAreTheSessionsHoldingAStreamLease() {
        // the guests' sessions of 4 March are long over on this clock; u3's session holds a lease now, and a guest
        // reported less than 30 s ago
        assertEquals(2, analytics.concurrentViewers());
        clock.advance(Analytics.GUEST_LIVE.plusSeconds(1));
        assertEquals(1, analytics.concurrentViewers(), "a guest silent for 30 s has left");
    }
}
