package dev.kino.control.analytics;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The background job of viewing analytics, run by the API's scheduler on every node; a PostgreSQL advisory lock lets
 * one node at a time do it. A round:
 * <ol>
 *   <li>summarises the sessions that got events since their last summary ({@link SessionSummary}), in batches of
 *       {@value #SESSIONS_PER_BATCH}, and records the day each viewer viewed each title;</li>
 *   <li>recomputes the hourly rollup cells {@code (hour, media item)} those sessions count in, from all the
 *       sessions of the cell: views are the distinct viewers with a qualified play in the cell (once per viewer and
 *       item per hour), plus plays, watch time, completions and the retention counts;</li>
 *   <li>at most once an hour, maintenance: day partitions for the next {@value #DAYS_AHEAD} days, and retention (raw
 *       event partitions and per-session rows older than the configured raw retention go; rollups stay).</li>
 * </ol>
 * Recomputing cells from the sessions (rather than adding deltas) makes a round idempotent: a round that dies half
 * way is simply done again.
 */
final class Rollups {
    private static final Logger LOG = LoggerFactory.getLogger(Rollups.class);
    static final int SESSIONS_PER_BATCH = 500;
    static final int DAYS_AHEAD = 3;
    /** Advisory lock key of the job ({@code hashtext('kino.analytics.rollups')} would do too; a constant is plainer). */
    private static final long LOCK = 0x6b696e6f_616e616cL;

    private final SessionStore store;
    private final EventSink sink;
    private final Duration retention;
    private final Clock clock;
    private volatile Instant lastMaintenance;

    Rollups(SessionStore store, EventSink sink, Duration retention, Clock clock) {
        this.store = store;
        this.sink = sink;
        this.retention = retention;
        this.clock = clock;
    }

    /** A cell of the hourly rollup. */
    private record Cell(Instant hour, UUID media) {
    }

    /**
     * Runs one round.
     *
     * @param wait wait for another node's round to end (tests) rather than skip this one
     * @return sessions summarised
     */
    int round(boolean wait) {
        int total = 0;
        while (true) {
            int n = store.jdbi().inTransaction(h -> {
                boolean locked = wait
                        ? h.createQuery("select pg_advisory_xact_lock(:k) is not null").bind("k", LOCK).mapTo(Boolean.class).one()
                        : h.createQuery("select pg_try_advisory_xact_lock(:k)").bind("k", LOCK).mapTo(Boolean.class).one();
                return locked ? batch(h) : -1;
            });
            if (n <= 0) {
                break;
            }
            total += n;
            if (n < SESSIONS_PER_BATCH) {
                break;
            }
        }
        Instant last = lastMaintenance;
        if (last == null || Duration.between(last, clock.instant()).compareTo(Duration.ofHours(1)) >= 0) {
            maintain();
        }
        return total;
    }

    private int batch(Handle h) {
        List<SessionStore.Session> dirty = store.dirty(h, SESSIONS_PER_BATCH);
        if (dirty.isEmpty()) {
            return 0;
        }
        Map<UUID, List<PlaybackEvent>> events = sink.eventsOf(dirty.stream().map(SessionStore.Session::sessionId).toList());
        Set<Cell> cells = new LinkedHashSet<>();
        for (SessionStore.Session s : dirty) {
            Instant before = store.rollupHour(h, s.sessionId());
            if (before != null) {
                cells.add(new Cell(before, s.mediaId()));
            }
            SessionSummary sum = SessionSummary.of(events.getOrDefault(s.sessionId(), List.of()), s.durationSeconds(),
                    s.maxWatchMs());
            store.saveSummary(h, s, sum);
            if (sum.rollupHour() != null) {
                cells.add(new Cell(sum.rollupHour(), s.mediaId()));
            }
        }
        for (Cell c : cells) {
            recompute(h, c);
        }
        return dirty.size();
    }

    private void recompute(Handle h, Cell c) {
        List<SessionStore.Summarised> rows = store.summarised(h, c.hour(), c.media());
        int qualified = 0;
        int completions = 0;
        long watch = 0;
        int[] retention = new int[SessionSummary.BUCKETS];
        Set<UUID> viewers = new HashSet<>();
        UUID title = null;
        for (SessionStore.Summarised r : rows) {
            title = r.titleId();
            watch += r.watchMs();
            if (r.qualified()) {
                qualified++;
                viewers.add(r.viewerKey());
                if (r.completed()) {
                    completions++;
                }
                for (int b = r.covered().nextSetBit(0); b >= 0 && b < retention.length; b = r.covered().nextSetBit(b + 1)) {
                    retention[b]++;
                }
            }
        }
        store.saveHourly(h, c.hour(), c.media(), title, rows.size(), viewers.size(), qualified, completions, watch,
                retention);
        recomputeQoe(h, c);
    }

    /** Key of a QoE rollup row within a cell. */
    private record QoeKey(String device, String rendition) {
    }

    /** Mutable sums of a QoE rollup row. */
    private static final class QoeSums {
        int sessions;
        int errors;
        int switches;
        final int[] hist = new int[QoeFigures.STARTUP_BOUNDS_MS.length + 1];
        long watchMs;
        long stallMs;
        int stalls;
        double kbpsMs;
        long kbpsKnownMs;
    }

    private void recomputeQoe(Handle h, Cell c) {
        Map<QoeKey, QoeSums> rows = new java.util.LinkedHashMap<>();
        UUID title = null;
        for (SessionStore.SummarisedQoe s : store.summarisedQoe(h, c.hour(), c.media())) {
            title = s.titleId();
            if (s.started()) {
                QoeSums first = rows.computeIfAbsent(new QoeKey(s.deviceClass(), s.firstRendition()), k -> new QoeSums());
                first.sessions++;
                first.errors += s.errored() ? 1 : 0;
                first.switches += s.switches();
                if (s.startupMs() != null) {
                    first.hist[QoeFigures.startupBucket(s.startupMs())]++;
                }
            }
            s.renditions().forEach((r, t) -> {
                QoeSums q = rows.computeIfAbsent(new QoeKey(s.deviceClass(), r), k -> new QoeSums());
                q.watchMs += t.watchMs();
                q.stallMs += t.stallMs();
                q.stalls += t.stalls();
                q.kbpsMs += t.bitrateKbpsMs();
                q.kbpsKnownMs += t.bitrateMs();
            });
        }
        List<SessionStore.QoeCell> cells = new java.util.ArrayList<>();
        rows.forEach((k, q) -> cells.add(new SessionStore.QoeCell(k.device(), k.rendition(), q.sessions, q.errors,
                q.switches, q.hist, q.watchMs, q.stallMs, q.stalls, q.kbpsMs, q.kbpsKnownMs)));
        store.saveQoe(h, c.hour(), c.media(), title, title == null ? List.of() : cells);
    }

    /** Partitions ahead and retention; safe on every node at once (idempotent DDL). */
    void maintain() {
        Instant now = clock.instant();
        lastMaintenance = now;
        try {
            sink.prepare(now.minus(Ingest.MAX_AGE), now.plus(Duration.ofDays(DAYS_AHEAD)));
            Instant cutoff = now.minus(retention);
            int partitions = sink.dropBefore(cutoff);
            int sessions = store.expire(cutoff);
            if (partitions > 0 || sessions > 0) {
                LOG.info("analytics retention ({} days): {} raw event partitions and {} sessions removed",
                        retention.toDays(), partitions, sessions);
            }
        } catch (RuntimeException e) {
            LOG.warn("analytics maintenance failed: {}", e.toString());
        }
    }
}
