package dev.kino.control.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kino.common.state.BlockingSharedState;
import dev.kino.common.state.StreamLimits;
import dev.kino.control.analytics.AnalyticsTypes.AccountExport;
import dev.kino.control.analytics.AnalyticsTypes.Figures;
import dev.kino.control.analytics.AnalyticsTypes.IngestResult;
import dev.kino.control.analytics.AnalyticsTypes.Overview;
import dev.kino.control.analytics.AnalyticsTypes.TitleReport;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.control.catalog.TitleDetail;
import dev.kino.control.catalog.Viewer;
import dev.kino.control.UnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Viewing analytics: the feature's one entry point for routes, wiring and other features.
 *
 * <ul>
 *   <li>{@link #sessionStarted} binds each playback session {@code POST /api/v1/playback} grants (the playback
 *       feature calls it);</li>
 *   <li>{@link #ingest} validates a batch of events and queues the good ones for the write-behind
 *       {@link EventWriter};</li>
 *   <li>{@link #rollupRound} is the periodic job ({@link Rollups});</li>
 *   <li>{@link #overview} and {@link #title} are the reports ({@link Reports});</li>
 *   <li>{@link #deleteAccount} and {@link #exportAccount} are the privacy hooks.</li>
 * </ul>
 *
 * Thread-safe. {@link #close()} writes what is queued and stops the writer thread.
 */
public final class Analytics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Analytics.class);
    /** Raw retention when none is configured. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    /** Events the write-behind queue holds at most; a batch that does not fit is answered 503. */
    public static final int QUEUE_CAPACITY = 100_000;
    /** A guest counts as watching now if a report came this recently (guests take no stream lease). */
    static final Duration GUEST_LIVE = Duration.ofSeconds(30);

    private final SessionStore sessions;
    private final EventSink sink;
    private final EventWriter writer;
    private final Ingest ingest;
    private final Rollups rollups;
    private final Reports reports;
    private final QoeReports qoeReports;
    private final EngagementReports engagementReports;
    private final Catalog catalog;
    private final BlockingSharedState state;
    private final Clock clock;

    /**
     * @param state where playback keeps its stream leases ({@link StreamLimits}), read for concurrent viewers
     * @param retention how long raw events and per-session rows are kept (aggregates are kept for ever)
     */
    public Analytics(Jdbi jdbi, Catalog catalog, BlockingSharedState state, Duration retention, Clock clock) {
        this(jdbi, new PostgresEventSink(jdbi, clock), catalog, state, retention, QUEUE_CAPACITY, clock);
    }

    /**
     * @param sink where raw events go
     * @param queueCapacity events the write-behind queue holds at most
     */
    public Analytics(Jdbi jdbi, EventSink sink, Catalog catalog, BlockingSharedState state, Duration retention,
                     int queueCapacity, Clock clock) {
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("analytics raw retention must be at least a day: " + retention);
        }
        this.sessions = new SessionStore(jdbi);
        this.sink = Objects.requireNonNull(sink);
        this.catalog = catalog;
        this.state = state;
        this.clock = clock;
        this.ingest = new Ingest(catalog, sessions, clock);
        this.rollups = new Rollups(sessions, sink, retention, clock);
        this.reports = new Reports(jdbi, catalog);
        this.qoeReports = new QoeReports(jdbi, catalog);
        this.engagementReports = new EngagementReports(jdbi);
        this.writer = new EventWriter(sink, sessions, queueCapacity);
    }

    /**
     * Tells {@code listener} how many events each stored batch held (on the writer's thread, after the write):
     * the control API counts them into {@code kino_control_playback_events_ingested_total}.
     */
    public void onStored(java.util.function.IntConsumer listener) {
        writer.storedListener = Objects.requireNonNull(listener);
    }

    /**
     * Binds a new playback session, so events can name it. Never fails playback: an error is logged (and the
     * session's events are then refused as {@code unknown-session}).
     *
     * @param session the session id of the grant
     * @param accountId the viewer's account, or null for a guest
     * @param media the item granted
     * @param expiresAt when the grant's URLs stop working
     */
    public void sessionStarted(UUID session, UUID accountId, MediaStore.MediaRow media, Instant expiresAt) {
        try {
            sessions.register(new SessionStore.Session(session, accountId, accountId != null ? accountId : session,
                    media.id(), media.titleId(), media.durationSeconds(), clock.instant(), expiresAt, 0, null));
        } catch (RuntimeException e) {
            LOG.warn("analytics: playback session {} not recorded: {}", session, e.toString());
        }
    }

    /**
     * Validates a batch and queues its good events.
     *
     * @param caller who posts
     * @param body the request body ({@code {"events": [...]}})
     * @param remoteIp the client's address; only its network ({@link Ingest#truncate}) is kept
     * @param userAgent the client's {@code User-Agent}; only its coarse device class is kept
     * @throws dev.kino.control.InvalidInputException without an {@code events} array (422)
     * @throws UnavailableException 503 (with {@code Retry-After}) when the write-behind queue has no room for the
     *         batch's good events, or, checked first and without reading the database, for as many events as the
     *         batch holds (up to {@link Ingest#MAX_BATCH}); none of them is taken, so sending the batch again is safe
     *         and complete
     */
    public IngestResult ingest(Viewer caller, JsonNode body, String remoteIp, String userAgent) {
        JsonNode list = body == null ? null : body.get("events");
        if (list != null && list.isArray() && writer.remaining() < Math.min(list.size(), Ingest.MAX_BATCH)) {
            // Full before the checks: they read the database (media items, sessions), and under overload players
            // resending refused batches would otherwise take the database and the CPU from the writer that drains
            // the queue; AnalyticsBenchmark saw the stored rate fall from 7,400 to 2,700 events/s that way.
            throw full();
        }
        Ingest.Checked checked = ingest.check(caller, body);
        String net = Ingest.truncate(remoteIp);
        String device = DeviceClass.of(userAgent);
        Instant received = clock.instant();
        List<EventWriter.Item> items = new ArrayList<>(checked.events().size());
        checked.events().forEach(e -> items.add(new EventWriter.Item(e, net, received, device)));
        if (!writer.offer(items)) {
            throw full();
        }
        return checked.result();
    }

    private static UnavailableException full() {
        return new UnavailableException("too many playback events are waiting to be written; send the batch"
                + " again shortly (event ids make that safe)", 2, null);
    }

    /** @return events waiting in the write-behind queue */
    int queued() {
        return writer.queued();
    }

    /** @return acknowledged events the database refused for their data, each logged */
    long dropped() {
        return writer.dropped();
    }

    /** Writes every queued event now (tests; the writer thread does it continuously). */
    public void flush() {
        writer.flush();
    }

    /**
     * One round of the rollup job (the scheduler calls it; tests too).
     *
     * @param wait wait for a round in progress on another node instead of skipping
     * @return sessions summarised
     */
    public int rollupRound(boolean wait) {
        return rollups.round(wait);
    }

    /** How often the workers run the rollup ({@link #rollupJob}). */
    public static final Duration ROLLUP_INTERVAL = Duration.ofSeconds(30);

    /**
     * The rollup as the workers run it (a periodic job, {@code jobs.PeriodicJobs#ANALYTICS_ROLLUPS}): summarises
     * the sessions with new events into the hourly and daily aggregates, and hourly creates partitions ahead and drops
     * raw partitions past {@code retention}. Safe on several workers at once (one advisory lock).
     *
     * @param retention how long raw events are kept
     * @return one round per call; throws what the database throws
     */
    public static Runnable rollupJob(Jdbi jdbi, Duration retention, Clock clock) {
        Rollups rollups = new Rollups(new SessionStore(jdbi), new PostgresEventSink(jdbi, clock), retention, clock);
        return () -> rollups.round(false);
    }

    /** Partitions ahead and retention, now (the job does it hourly). */
    public void maintain() {
        rollups.maintain();
    }

    /** @return the event sink (tests and operators' tools) */
    public EventSink sink() {
        return sink;
    }

    /**
     * @return playback sessions holding a stream lease now (accounts; the lease is what playback takes and the
     *         media servers renew), plus guest sessions that reported in the last {@link #GUEST_LIVE}
     */
    public int concurrentViewers() {
        Instant now = clock.instant();
        Map<UUID, List<UUID>> byAccount = new HashMap<>();
        int guests = 0;
        for (SessionStore.Live l : sessions.live(now)) {
            if (l.accountId() != null) {
                byAccount.computeIfAbsent(l.accountId(), k -> new ArrayList<>()).add(l.sessionId());
            } else if (l.lastReceivedAt() != null && !l.lastReceivedAt().isBefore(now.minus(GUEST_LIVE))) {
                guests++;
            }
        }
        int accounts = 0;
        for (Map.Entry<UUID, List<UUID>> e : byAccount.entrySet()) {
            Set<String> holders = state.leaseHolders(StreamLimits.group(e.getKey().toString()));
            for (UUID s : e.getValue()) {
                if (holders.contains(s.toString())) {
                    accounts++;
                }
            }
        }
        return accounts + guests;
    }

    /** {@code GET /api/v1/admin/analytics/qoe}. @param titleId a title, or null for the whole catalogue */
    AnalyticsTypes.QoeReport qoe(Reports.Range range, Reports.Interval interval, UUID titleId) {
        if (titleId != null) {
            catalog.title(titleId, true); // 404 for an unknown title
        }
        List<QoeReports.Row> rows = qoeReports.rows(range, titleId);
        List<QoeReports.Row> before = qoeReports.rows(range.previous(), titleId);
        return new AnalyticsTypes.QoeReport(range.from(), range.to(), interval.wire(), titleId,
                QoeReports.total(rows), QoeReports.total(before), QoeReports.series(rows, range, interval),
                qoeReports.titles(rows), QoeReports.grouped(rows, QoeReports.Row::rendition),
                QoeReports.grouped(rows, QoeReports.Row::device), clock.instant());
    }

    /** {@code GET /api/v1/admin/analytics/engagement}. */
    AnalyticsTypes.EngagementReport engagement(Reports.Range range, Reports.Interval interval) {
        return engagementReports.report(range, interval, clock.instant());
    }

    /** {@code GET /api/v1/admin/analytics/subscriptions}. */
    AnalyticsTypes.SubscriptionReport subscriptions(Reports.Range range, Reports.Interval interval) {
        return engagementReports.subscriptions(range, interval, clock.instant());
    }

    /** {@code GET /api/v1/admin/analytics/overview}. */
    Overview overview(Reports.Range range, Reports.Interval interval) {
        Figures now = reports.figures(range, null);
        Figures before = reports.figures(range.previous(), null);
        return new Overview(range.from(), range.to(), interval.wire(), now, before, Reports.change(now, before),
                reports.series(range, interval, null), reports.titles(range), concurrentViewers(), clock.instant());
    }

    /** {@code GET /api/v1/admin/analytics/titles/{id}}. @throws dev.kino.control.NotFoundException unknown title */
    TitleReport title(UUID id, Reports.Range range, Reports.Interval interval) {
        TitleDetail t = catalog.title(id, true);
        Figures now = reports.figures(range, id);
        Figures before = reports.figures(range.previous(), id);
        Reports.TitleParts parts = reports.titleParts(range, t);
        return new TitleReport(id, t.originalTitle(), range.from(), range.to(), interval.wire(), now, before,
                Reports.change(now, before), reports.series(range, interval, id), parts.retention(), parts.media(),
                clock.instant());
    }

    /**
     * Deletion hook: forgets the account's playback sessions, their raw events and the days it viewed titles. The
     * rollups keep their counts (they name nobody). The database does the same by itself when an account row is
     * deleted ({@code on delete cascade}); this is for a deletion that keeps the row (anonymisation).
     */
    public void deleteAccount(UUID accountId) {
        writer.flush(); // nothing of the account's may land after the deletion
        sink.delete(sessions.sessionsOf(accountId));
        sessions.deleteAccount(accountId);
    }

    /** Export hook: what analytics holds about an account (sessions and their raw events within retention). */
    public AccountExport exportAccount(UUID accountId) {
        List<PlaybackEvent> events = new ArrayList<>();
        sink.eventsOf(sessions.sessionsOf(accountId)).values().forEach(events::addAll);
        events.sort(java.util.Comparator.comparing(PlaybackEvent::at));
        return new AccountExport(sessions.exportOf(accountId), events);
    }

    private volatile java.util.concurrent.ScheduledExecutorService rounds;

    /**
     * Runs {@link #rollupRound} every {@code interval} on a thread of its own ({@code kino-analytics}, low priority):
     * a round can take seconds, and the other background work must not wait for it.
     */
    public synchronized void startRounds(Duration interval) {
        if (rounds != null) {
            throw new IllegalStateException("analytics rounds already started");
        }
        rounds = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kino-analytics");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        rounds.scheduleWithFixedDelay(() -> {
            try {
                rollupRound(false);
            } catch (RuntimeException e) {
                LOG.warn("analytics rollup round failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stops the rounds, writes what is queued and stops the writer thread. */
    @Override
    public synchronized void close() {
        if (rounds != null) {
            rounds.shutdownNow();
        }
        writer.close();
    }
}
