package dev.kino.control.analytics;

import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.http.Json;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw events live in day partitions created ahead; past the raw retention whole partitions are dropped, and the
 * aggregates stay. On a clock of its own in January 2024, so the partitions it drops are its own.
 */
class AnalyticsRetentionTest {
    final Jdbi jdbi = SharedDatabase.get().jdbi();
    final MutableClock clock = new MutableClock(Instant.parse("2024-01-05T10:00:00Z"));
    final Catalog catalog = new Catalog(jdbi, clock);

    boolean exists(LocalDate day) {
        return jdbi.withHandle(h -> h.createQuery("select to_regclass(:t) is not null")
                .bind("t", PostgresEventSink.partitionName(day)).mapTo(Boolean.class).one());
    }

    void play(Analytics analytics, UUID media) {
        UUID session = UUID.randomUUID();
        analytics.sessionStarted(session, null, catalog.media(media).orElseThrow(), clock.instant().plusSeconds(3600));
        Instant t = clock.instant();
        List<Object> events = new ArrayList<>();
        for (int s = 0; s <= 20; s += 10) {
            events.add(Map.of("id", UUID.randomUUID().toString(), "type", s == 0 ? "start" : "heartbeat",
                    "mediaId", media.toString(), "sessionId", session.toString(),
                    "at", t.plusSeconds(s).toEpochMilli(), "position", s));
        }
        clock.advance(Duration.ofSeconds(21));
        analytics.ingest(Viewer.guest(), Json.MAPPER.valueToTree(Map.of("events", events)), null, null);
        analytics.flush();
        analytics.rollupRound(true);
    }

    @Test
    void oldPartitionsAreDroppedWholeAndTheAggregatesKept() {
        InProcessSharedState state = new InProcessSharedState(clock);
        TestCatalog.Item movie = TestCatalog.published("Retained");
        try (Analytics analytics = new Analytics(jdbi, new PostgresEventSink(jdbi, clock), catalog,
                state.blocking(Duration.ofSeconds(5)), Duration.ofDays(2), 1000, clock)) {
            play(analytics, movie.mediaId());
            assertTrue(exists(LocalDate.parse("2024-01-05")));
            assertTrue(exists(LocalDate.parse("2024-01-08")), "created ahead (3 days)");

            clock.advance(Duration.ofDays(5)); // 10 January
            play(analytics, movie.mediaId());
            analytics.maintain();
            assertFalse(exists(LocalDate.parse("2024-01-05")), "older than the 2 days of raw retention");
            assertFalse(exists(LocalDate.parse("2024-01-07")));
            assertTrue(exists(LocalDate.parse("2024-01-08")), "8 January ends after the cutoff of 8 January 10:00");
            assertTrue(exists(LocalDate.parse("2024-01-10")));
            assertTrue(exists(LocalDate.parse("2024-01-13")), "and ahead again");
            long sessions = jdbi.withHandle(h -> h.createQuery("select count(*) from analytics_sessions"
                    + " where media_id = :m").bind("m", movie.mediaId()).mapTo(Long.class).one());
            assertEquals(1, sessions, "the old session's row is gone with its events");

            Reports.Range first = new Reports.Range(LocalDate.parse("2024-01-05"), LocalDate.parse("2024-01-05"));
            assertEquals(1, analytics.title(movie.titleId(), first, Reports.Interval.DAY).totals().views(),
                    "the rollup of 5 January outlives its raw events");
        } finally {
            state.close();
        }
    }
}
