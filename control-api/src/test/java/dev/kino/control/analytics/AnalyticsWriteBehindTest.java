package dev.kino.control.analytics;

import dev.kino.common.state.InProcessSharedState;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.support.FeatureServer;
import dev.kino.control.support.Http;
import dev.kino.control.support.MutableClock;
import dev.kino.control.support.SharedDatabase;
import dev.kino.control.support.TestCatalog;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write-behind queue on a real server and database, with a sink that can be held up or fail: a full queue is
 * a 503 problem with {@code Retry-After} and takes nothing; what was acknowledged is written once the sink is back.
 */
class AnalyticsWriteBehindTest {
    final Jdbi jdbi = SharedDatabase.get().jdbi();
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final Catalog catalog = new Catalog(jdbi, clock);
    final InProcessSharedState state = new InProcessSharedState(clock);
    Analytics analytics;
    FeatureServer server;

    /** The real sink, behind a gate the test opens, and failing transiently a given number of times first. */
    static final class GatedSink implements EventSink {
        final EventSink real;
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger failures = new AtomicInteger();

        GatedSink(EventSink real) {
            this.real = real;
        }

        @Override
        public void write(List<PlaybackEvent> events) {
            try {
                assertTrue(open.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("pool", new SQLTransientConnectionException("connection is not available"));
            }
            real.write(events);
        }

        @Override
        public Map<UUID, List<PlaybackEvent>> eventsOf(Collection<UUID> sessions) {
            return real.eventsOf(sessions);
        }

        @Override
        public void prepare(Instant from, Instant to) {
            real.prepare(from, to);
        }

        @Override
        public int dropBefore(Instant cutoff) {
            return real.dropBefore(cutoff);
        }

        @Override
        public void delete(Collection<UUID> sessions) {
            real.delete(sessions);
        }
    }

    GatedSink start(int capacity) {
        GatedSink sink = new GatedSink(new PostgresEventSink(jdbi, clock));
        analytics = new Analytics(jdbi, sink, catalog, state.blocking(Duration.ofSeconds(5)), Duration.ofDays(90),
                capacity, clock);
        server = FeatureServer.start(SharedDatabase.config(),
                r -> AnalyticsRoutes.register(r, analytics, FeatureServer.access(jdbi), clock));
        return sink;
    }

    @AfterEach
    void stop() {
        server.close();
        analytics.close();
    }

    UUID session(UUID media) {
        UUID s = UUID.randomUUID();
        analytics.sessionStarted(s, null, catalog.media(media).orElseThrow(), clock.instant().plus(Duration.ofHours(6)));
        return s;
    }

    List<Object> batch(UUID media, UUID session, int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Map.of("id", UUID.randomUUID().toString(), "type", "heartbeat", "mediaId", media.toString(),
                    "sessionId", session.toString(), "at", clock.instant().toEpochMilli() + i, "position", i));
        }
        return out;
    }

    long stored(UUID session) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from playback_events where session_id = :s")
                .bind("s", session).mapTo(Long.class).one());
    }

    @Test
    void aFullQueueAnswers503AndTakesNothingAndWhatWasAcknowledgedIsWrittenLater() throws Exception {
        GatedSink sink = start(5);
        UUID media = TestCatalog.published("Queue").mediaId();
        UUID session = session(media);
        Http http = server.http();
        assertEquals(200, http.post("/api/v1/playback/events", null, Map.of("events", batch(media, session, 1))).status());
        // the writer thread has taken that one and waits at the gate; the queue is empty again
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (analytics.queued() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Http.Resp five = http.post("/api/v1/playback/events", null, Map.of("events", batch(media, session, 5)));
        assertEquals(200, five.status(), five.text() + " queued " + analytics.queued());
        Http.Resp full = http.post("/api/v1/playback/events", null, Map.of("events", batch(media, session, 1)));
        assertEquals(503, full.status(), full.text());
        assertTrue(full.header("Content-Type").startsWith("application/problem+json"), full.header("Content-Type"));
        assertTrue(Integer.parseInt(full.header("Retry-After")) >= 1);
        assertEquals(5, analytics.queued(), "the refused batch took no room");
        // a full queue answers before the per-event checks (they read the database): even a batch whose events
        // would all be refused is told to come back later
        Http.Resp early = http.post("/api/v1/playback/events", null,
                Map.of("events", batch(media, UUID.randomUUID(), 1)));
        assertEquals(503, early.status(), early.text());

        sink.failures.set(2); // and the database is away twice before it answers
        sink.open.countDown();
        analytics.flush();
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stored(session) < 6 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(6, stored(session), "everything acknowledged is stored");
        assertEquals(0, analytics.dropped());
    }

    @Test
    void anEventTheDatabaseRefusesLosesOnlyItself() throws Exception {
        GatedSink sink = start(100);
        UUID media = TestCatalog.published("Refused").mediaId();
        UUID kept = session(media);
        UUID gone = session(media);
        List<Object> events = new ArrayList<>(batch(media, kept, 3));
        events.addAll(batch(media, gone, 2));
        assertEquals(200, server.http().post("/api/v1/playback/events", null, Map.of("events", events)).status());
        // nothing is written yet (the gate is shut): the session disappears between the answer and the write (its account erased meanwhile): its events can no
        // longer be stored (foreign key), the other session's in the same batch must be
        jdbi.useHandle(h -> h.createUpdate("delete from analytics_sessions where session_id = :s").bind("s", gone)
                .execute());
        sink.open.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (analytics.dropped() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(3, stored(kept));
        assertEquals(2, analytics.dropped());
    }
}
