package dev.kino.control.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.kino.common.metrics.Family;
import dev.kino.common.metrics.Histogram;
import dev.kino.common.metrics.PrometheusText;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The control API's metrics, in the Prometheus text exposition format 0.0.4 on the admin port
 * ({@code control.adminPort}). Counters and histograms are updated lock-free from any thread; pool, job queue and
 * stream figures are read when scraped ({@link #render()} queries the database: call it off the event loop, as the
 * admin port does). Thread-safe.
 *
 * <pre>
 * kino_control_http_requests_total{method,route,status}        requests answered, by route template and status
 * kino_control_http_request_duration_seconds{method,route}     time from the request read to the answer written
 * kino_control_db_pool_connections{state="active|idle|max"}    HikariCP connections in use, idle, and the pool's size
 * kino_control_db_pool_pending_threads                         threads waiting for a connection
 * kino_control_jobs{state="queued|running|succeeded|failed|cancelled"}  packaging jobs by state
 * kino_control_packaging_duration_seconds{outcome}             first claim to end of each job that ended
 * kino_control_sse_connections                                 notification event streams open on this node
 * kino_control_playback_events_ingested_total                  playback events accepted by the analytics ingest
 * </pre>
 *
 * <p>{@code route} is the matched template ({@code /api/v1/titles/{id}}), never the raw path, so a scan of random
 * paths adds one series ({@code route="unmatched"}), not one per path; {@code method} of an unmatched request is one
 * of the standard methods or {@code OTHER}.
 */
public final class ApiMetrics {
    /** The {@code route} label of requests no route template matched (404/405, malformed, refused when busy). */
    public static final String UNMATCHED = "unmatched";
    /** The job states of the {@code jobs} table, each reported even at zero. */
    public static final List<String> JOB_STATES = List.of("queued", "running", "succeeded", "failed", "cancelled");
    /**
     * Bounds of packaging wall time, seconds: a short clip takes seconds, a film tens of minutes.
     */
    static final double[] PACKAGING_SECONDS = {5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final Family<LongAdder> requests = new Family<>(LongAdder::new, "method", "route", "status");
    private final Family<Histogram> durations = new Family<>(() -> new Histogram(Histogram.LATENCY_SECONDS),
            "method", "route");
    private final Family<Histogram> packaging = new Family<>(() -> new Histogram(PACKAGING_SECONDS), "outcome");
    private final LongAdder playbackEvents = new LongAdder();
    /** How far back a scrape looks for ended jobs it has not observed. */
    static final java.time.Duration JOBS_LOOKBACK = java.time.Duration.ofHours(1);
    private static final int JOBS_PER_SCRAPE = 1000;
    private final java.time.Instant startedAt = java.time.Instant.now();
    /** Jobs observed, by id, with their finished_at; scrapes are serialised by render(). */
    private final Map<UUID, java.time.Instant> seenJobs = new java.util.HashMap<>();
    private volatile DataSource pool;
    private volatile Jdbi jobs;
    private volatile IntSupplier sseConnections = () -> 0;

    /** Creates metrics with nothing attached: no pool, job or stream series until {@link #attach}. */
    public ApiMetrics() {
        for (String outcome : List.of("succeeded", "failed", "cancelled")) {
            packaging.get(outcome); // the series exist (at zero) before the first job ends
        }
    }

    /**
     * Connects the figures read at scrape time (while wiring, before the admin port starts).
     *
     * @param dataSource the database pool (a {@link HikariDataSource}; another kind reports no pool series)
     * @param jdbi where the {@code jobs} table is
     * @param sse how many notification event streams are open on this node
     * @return this
     */
    public ApiMetrics attach(DataSource dataSource, Jdbi jdbi, IntSupplier sse) {
        this.pool = dataSource;
        this.jobs = jdbi;
        this.sseConnections = sse;
        return this;
    }

    /**
     * Records one answered request.
     *
     * @param method the request method ({@code GET}, …; anything else counts as {@code OTHER})
     * @param route the matched route template, or {@link #UNMATCHED}
     * @param status the HTTP status answered
     * @param nanos time from the request read to the answer written, nanoseconds
     */
    public void request(String method, String route, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "OTHER";
        requests.get(m, route, Integer.toString(status)).increment();
        durations.get(m, route).observe(nanos / 1e9);
    }

    /**
     * Counts playback events the analytics ingest ({@code POST /api/v1/playback/events}) accepted: call it once per
     * batch with the number of events stored (not the refused ones, not duplicates of events already stored), so
     * {@code rate(kino_control_playback_events_ingested_total[5m])} is the ingest rate in events per second.
     *
     * @param n events accepted, at least 0
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public void playbackEventsIngested(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("events ingested cannot be negative: " + n);
        }
        playbackEvents.add(n);
    }

    /** @return playback events counted by {@link #playbackEventsIngested} */
    public long playbackEventsIngested() {
        return playbackEvents.sum();
    }

    /**
     * Records how long one job took.
     *
     * @param outcome {@code succeeded}, {@code failed} or {@code cancelled}
     * @param seconds from its first claim to its end
     */
    void packaging(String outcome, double seconds) {
        packaging.get(outcome).observe(seconds);
    }

    /**
     * Observes the jobs that ended since the last call, from the {@code jobs} table: packaging runs in whichever
     * process claimed them (in-process workers, {@code ./kino worker} processes, other nodes), so the table is the one
     * place that knows them all. Each job is observed once, by id: the jobs that ended within the last
     * {@link #JOBS_LOOKBACK} (by the database's clock; {@code finished_at} comes from the clock of whichever process
     * ended the job, so a watermark on it would skip jobs of a process whose clock is behind) and since this node
     * started (older jobs are not replayed) are read, less those already seen; at most {@value #JOBS_PER_SCRAPE} a
     * scrape, the rest at the next. Every node observes every job: across nodes, take {@code max}, not {@code sum}.
     */
    private void observeEndedJobs(org.jdbi.v3.core.Handle h) {
        List<EndedJob> ended = h.createQuery("""
                        select id, state, extract(epoch from finished_at - started_at) as seconds, finished_at
                          from jobs
                         where finished_at >= greatest(:since, now() - cast(:lookback as interval))
                           and started_at is not null and state in ('succeeded', 'failed', 'cancelled')
                           and not (id = any(:seen))
                         order by finished_at
                         limit :limit""")
                .bind("since", java.sql.Timestamp.from(startedAt))
                .bind("lookback", JOBS_LOOKBACK.toSeconds() + " seconds")
                .bindArray("seen", UUID.class, seenJobs.keySet()).bind("limit", JOBS_PER_SCRAPE)
                .map((rs, ctx) -> new EndedJob(rs.getObject("id", UUID.class), rs.getString("state"),
                        rs.getDouble("seconds"), rs.getTimestamp("finished_at").toInstant()))
                .list();
        // forget what the look-back no longer reaches (with a margin for the clocks)
        java.time.Instant forget = java.time.Instant.now().minus(JOBS_LOOKBACK.multipliedBy(2));
        seenJobs.values().removeIf(finished -> finished.isBefore(forget));
        for (EndedJob j : ended) {
            seenJobs.put(j.id, j.finished);
            packaging(j.state, Math.max(0, j.seconds));
        }
    }

    private record EndedJob(UUID id, String state, double seconds, java.time.Instant finished) {
    }

    /** @return the exposition text; reads the pool and the {@code jobs} table (one scrape at a time) */
    public synchronized String render() {
        PrometheusText out = new PrometheusText();
        out.counters("kino_control_http_requests_total",
                "API requests answered, by method, route template and status.", requests);
        out.histograms("kino_control_http_request_duration_seconds",
                "Time from an API request read to its answer written, seconds, by method and route template.",
                durations);
        writePool(out);
        writeJobs(out);
        out.histograms("kino_control_packaging_duration_seconds",
                "Packaging jobs that ended, first claim to end, seconds, by outcome (every node sees every job).",
                packaging);
        out.gauge("kino_control_sse_connections", "Notification event streams open on this node.",
                sseConnections.getAsInt());
        out.counter("kino_control_playback_events_ingested_total", "Playback events accepted by the analytics ingest.",
                playbackEvents.sum());
        return out.toString();
    }

    private void writePool(PrometheusText out) {
        if (!(pool instanceof HikariDataSource hikari) || hikari.isClosed()) {
            return;
        }
        HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
        if (bean == null) {
            return; // not started yet
        }
        out.family("kino_control_db_pool_connections", "gauge",
                "HikariCP connections: active (lent out), idle, and max (the pool's size).");
        out.sample("kino_control_db_pool_connections", bean.getActiveConnections(), "state", "active");
        out.sample("kino_control_db_pool_connections", bean.getIdleConnections(), "state", "idle");
        out.sample("kino_control_db_pool_connections", hikari.getMaximumPoolSize(), "state", "max");
        out.gauge("kino_control_db_pool_pending_threads", "Threads waiting for a database connection.",
                bean.getThreadsAwaitingConnection());
    }

    private void writeJobs(PrometheusText out) {
        Jdbi jdbi = jobs;
        if (jdbi == null) {
            return;
        }
        Map<String, Long> byState = new LinkedHashMap<>();
        JOB_STATES.forEach(s -> byState.put(s, 0L));
        jdbi.useHandle(h -> {
            h.createQuery("select state, count(*) as n from jobs group by state")
                    .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getLong("n")))
                    .forEach(e -> byState.put(e.getKey(), e.getValue()));
            observeEndedJobs(h);
        });
        out.family("kino_control_jobs", "gauge", "Packaging jobs by state (queued and running: the queue depth).");
        byState.forEach((state, n) -> out.sample("kino_control_jobs", n, "state", state));
    }
}
