package dev.kino.control.jobs;

import dev.kino.control.recommend.RecommendStore;
import dev.kino.control.support.SharedDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Periodic jobs: schedule, one claim among workers, leases, and the recommendations run by a worker. */
class PeriodicJobsTest {
    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now = Instant.parse("2031-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void oneWorkerRunsADueKindAndItIsDueAgainAnIntervalAfterItsEnd() {
        MovingClock clock = new MovingClock();
        PeriodicJobs periodic = new PeriodicJobs(SharedDatabase.get().jdbi(), clock);
        String kind = "test-" + UUID.randomUUID();
        Set<String> kinds = Set.of(kind);
        periodic.schedule(kind, Duration.ofMinutes(10));
        assertEquals(Optional.empty(), periodic.claim("a", Duration.ofMinutes(5), kinds), "first due a minute on");
        clock.now = clock.now.plusSeconds(61);
        assertEquals(Optional.of(kind), periodic.claim("a", Duration.ofMinutes(5), kinds));
        assertEquals(Optional.empty(), periodic.claim("b", Duration.ofMinutes(5), kinds), "held by a's lease");
        assertEquals("a", periodic.status(kind).orElseThrow().leasedBy());

        clock.now = clock.now.plusSeconds(30);
        assertTrue(periodic.finish(kind, "a", null));
        PeriodicJobs.Status s = periodic.status(kind).orElseThrow();
        assertEquals(clock.now.plus(Duration.ofMinutes(10)), s.dueAt(), "due an interval after the run's end");
        assertEquals(1, s.runs());
        assertNull(s.leasedBy());
        // scheduling again changes the interval, not the due time
        periodic.schedule(kind, Duration.ofMinutes(20));
        assertEquals(s.dueAt(), periodic.status(kind).orElseThrow().dueAt());
        assertEquals(Duration.ofMinutes(20), periodic.status(kind).orElseThrow().every());
        assertEquals(Optional.empty(), periodic.claim("b", Duration.ofMinutes(5), kinds));
        assertEquals(Optional.empty(), periodic.claim("b", Duration.ofMinutes(5), List.of()), "b runs no kind");
        assertThrows(IllegalArgumentException.class, () -> periodic.schedule(kind, Duration.ofMillis(500)));
    }

    @Test
    void aDeadWorkersRunIsTakenOverWhenItsLeasePasses() {
        MovingClock clock = new MovingClock();
        PeriodicJobs periodic = new PeriodicJobs(SharedDatabase.get().jdbi(), clock);
        String kind = "test-" + UUID.randomUUID();
        periodic.schedule(kind, Duration.ofSeconds(30));
        clock.now = clock.now.plusSeconds(30);
        assertEquals(Optional.of(kind), periodic.claim("dead", Duration.ofMinutes(5), Set.of(kind)));
        clock.now = clock.now.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertEquals(Optional.of(kind), periodic.claim("alive", Duration.ofMinutes(5), Set.of(kind)));
        assertFalse(periodic.finish(kind, "dead", null), "the dead worker's lease is gone");
        assertTrue(periodic.finish(kind, "alive", "java.lang.IllegalStateException: boom"));
        assertEquals("java.lang.IllegalStateException: boom", periodic.status(kind).orElseThrow().lastError());
    }

    @Test
    void aWorkerComputesTheRecommendations() throws Exception {
        Jdbi jdbi = SharedDatabase.get().jdbi();
        RecommendStore store = new RecommendStore(jdbi);
        Instant before = Instant.now().minusMillis(1);
        // no packaging threads: only the periodic one, every second (first due a second after start)
        try (JobWorkers workers = JobWorkers.start(SharedDatabase.config(), jdbi, null, 0, Clock.systemUTC(),
                Duration.ofSeconds(1))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (store.lastRun().map(r -> r.startedAt().isBefore(before)).orElse(true)) {
                assertTrue(System.nanoTime() < deadline, "no recommendations run within 90 s");
                Thread.sleep(200);
            }
            PeriodicJobs jobs = new PeriodicJobs(jdbi, Clock.systemUTC());
            while (jobs.status(PeriodicJobs.ANALYTICS_ROLLUPS).map(r -> r.runs() == 0).orElse(true)) {
                assertTrue(System.nanoTime() < deadline, "no analytics rollup within 90 s");
                Thread.sleep(200);
            }
        }
        PeriodicJobs.Status s = new PeriodicJobs(jdbi, Clock.systemUTC()).status(PeriodicJobs.RECOMMENDATIONS)
                .orElseThrow();
        assertTrue(s.runs() >= 1, s.toString());
        assertNull(s.lastError(), s.toString());
        assertEquals(Duration.ofSeconds(1), s.every());
        // the viewing analytics rollup runs beside it, as often when asked for more often than every 30 s
        PeriodicJobs.Status rollups = new PeriodicJobs(jdbi, Clock.systemUTC()).status(PeriodicJobs.ANALYTICS_ROLLUPS)
                .orElseThrow();
        assertTrue(rollups.runs() >= 1, rollups.toString());
        assertNull(rollups.lastError(), rollups.toString());
    }
}
