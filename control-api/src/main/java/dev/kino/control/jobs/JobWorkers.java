package dev.kino.control.jobs;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.catalog.Catalog;
import dev.kino.control.analytics.Analytics;
import dev.kino.control.recommend.RecommendJob;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.packager.ladder.LadderSpec;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@link JobWorker}s on their own threads: each claims a job, runs it to its end, and polls the queue
 * again after {@link #POLL} when there was nothing to do. Beside them one thread runs the due {@link PeriodicJobs}
 * (the recommendations computation, {@link RecommendJob}) when started with an interval for them. {@link #start} is
 * the one place workers are made, for {@code serve}/{@code demo} (inside the control API) and for
 * {@code ./kino worker} alike. {@link #close()} stops claiming and cancels the packaging runs in progress: nothing is
 * half-published, and each such job is left to its lease, so another worker retries it (a periodic run in progress
 * ends on its own; its thread is a daemon).
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);

    /** How long a worker's claim on a job lasts without a heartbeat; a dead worker's job is retried after it. */
    public static final Duration LEASE = Duration.ofMinutes(2);
    /** Least time between two lease renewals of a running job (a cancellation is seen within about this long). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(10);
    /** Wait between polls of an empty job queue. */
    public static final Duration POLL = Duration.ofSeconds(2);
    /**
     * How long a worker's claim on a periodic job lasts: longer than a run takes (a recommendations run over millions
     * of signals takes minutes), so a slow run is not started twice; a dead worker's run is taken over after it.
     */
    public static final Duration PERIODIC_LEASE = Duration.ofMinutes(30);

    private final List<JobWorker> workers;
    private final List<Thread> threads = new ArrayList<>();
    private Thread periodicThread;
    private volatile boolean running = true;

    private JobWorkers(List<JobWorker> workers) {
        this.workers = List.copyOf(workers);
    }

    /**
     * Starts {@code count} workers over the job queue in {@code jdbi}'s database, publishing titles under
     * {@code media.root} with segments of {@code packager.segmentSeconds}.
     *
     * @param config the configuration ({@code media.root}, {@code packager.segmentSeconds})
     * @param jdbi the control API's database
     * @param packager the packager the workers call
     * @param count workers, 0 for none
     * @param clock time of leases and heartbeats (tests move it)
     * @return the running workers
     */
    public static JobWorkers start(KinoConfig config, Jdbi jdbi, PackagingRunner packager, int count, Clock clock) {
        return start(config, jdbi, packager, count, clock, Duration.ZERO);
    }

    /**
     * As {@link #start(KinoConfig, Jdbi, PackagingRunner, int, Clock)}, and one more thread that schedules the
     * recommendations every {@code recommendEvery} and the viewing analytics rollup every
     * {@link Analytics#ROLLUP_INTERVAL}, and runs each when due, whichever worker of the deployment claims it first.
     *
     * @param packager the packager the workers call; may be null when {@code count} is 0
     * @param recommendEvery interval of the recommendations job ({@link RecommendJob#INTERVAL} by default); zero: this
     *                       worker runs no periodic job
     */
    public static JobWorkers start(KinoConfig config, Jdbi jdbi, PackagingRunner packager, int count, Clock clock,
                                   Duration recommendEvery) {
        Catalog catalog = new Catalog(jdbi, clock);
        JobQueue queue = new JobQueue(catalog.lifecycle());
        LadderSpec ladder = LadderSpec.defaults().withSegmentSeconds(config.packager().segmentSeconds());
        String prefix = workerIdPrefix(ProcessHandle.current().pid());
        List<JobWorker> workers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            workers.add(new JobWorker(prefix + i, queue, catalog, packager, config.media().root(), ladder, LEASE,
                    HEARTBEAT, clock));
        }
        JobWorkers pool = new JobWorkers(workers);
        for (JobWorker w : workers) {
            Thread t = new Thread(() -> pool.loop(w), "kino-worker-" + w.id());
            t.setDaemon(true);
            pool.threads.add(t);
            t.start();
        }
        if (!workers.isEmpty()) {
            LOG.info("{} packaging worker(s) started", workers.size());
        }
        if (!recommendEvery.isZero()) {
            PeriodicJobs periodic = new PeriodicJobs(jdbi, clock);
            periodic.schedule(PeriodicJobs.RECOMMENDATIONS, recommendEvery);
            // the analytics rollup is short and frequent; it is due every Analytics.ROLLUP_INTERVAL, or as often as
            // the recommendations when those are asked for more often (tests)
            periodic.schedule(PeriodicJobs.ANALYTICS_ROLLUPS,
                    recommendEvery.compareTo(Analytics.ROLLUP_INTERVAL) < 0 ? recommendEvery : Analytics.ROLLUP_INTERVAL);
            RecommendJob recommendations = RecommendJob.forWorker(jdbi, clock);
            Runnable rollups = Analytics.rollupJob(jdbi, config.control().analyticsRetention(), clock);
            Map<String, Runnable> kinds = Map.of(PeriodicJobs.RECOMMENDATIONS, recommendations::run,
                    PeriodicJobs.ANALYTICS_ROLLUPS, rollups);
            String id = prefix + "periodic";
            Thread t = new Thread(() -> pool.periodicLoop(periodic, id, kinds), "kino-worker-" + id);
            t.setDaemon(true);
            // the packaging runs are what people wait for; a recommendations run yields to them
            t.setPriority(Thread.MIN_PRIORITY);
            pool.periodicThread = t;
            t.start();
        }
        return pool;
    }

    /**
     * The ids of the workers {@link #start} makes are {@code <pid>@<host>#<n>}: a supervisor that saw the process
     * {@code pid} die finds the jobs it held with {@link JobQueue#heldBy} and this prefix.
     *
     * @param pid a process on this machine
     * @return {@code <pid>@<host>#}
     */
    public static String workerIdPrefix(long pid) {
        return pid + "@" + hostName() + "#";
    }

    /** @return this machine's name, for worker ids */
    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private void periodicLoop(PeriodicJobs periodic, String id, Map<String, Runnable> kinds) {
        while (running) {
            Optional<String> kind;
            try {
                kind = periodic.claim(id, PERIODIC_LEASE, kinds.keySet());
            } catch (RuntimeException e) {
                LOG.warn("worker {} could not reach the periodic jobs: {}", id, e.toString());
                kind = Optional.empty();
            }
            if (kind.isPresent()) {
                String error = null;
                long started = System.nanoTime();
                try {
                    kinds.get(kind.get()).run();
                } catch (RuntimeException e) {
                    error = e.toString();
                    LOG.warn("periodic job {} failed: {}", kind.get(), error, e);
                }
                try {
                    if (!periodic.finish(kind.get(), id, error)) {
                        LOG.warn("periodic job {} outlived its lease ({} ms)", kind.get(),
                                (System.nanoTime() - started) / 1_000_000);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("worker {} could not record the end of {}: {}", id, kind.get(), e.toString());
                }
                continue;
            }
            if (!idle()) {
                return;
            }
        }
    }

    private void loop(JobWorker worker) {
        while (running) {
            boolean worked;
            try {
                worked = worker.runOnce();
            } catch (RuntimeException e) {
                // The database may be restarting: back off and try again rather than die.
                LOG.warn("worker {} could not reach the job queue: {}", worker.id(), e.toString());
                worked = false;
            }
            if (!worked && !idle()) {
                return;
            }
        }
    }

    /**
     * Waits {@link #POLL} (or until {@link #close} wakes it).
     *
     * @return false when the pool is closing: the caller's thread ends
     */
    private synchronized boolean idle() {
        if (!running) {
            return false;
        }
        try {
            // NOTE: not Thread.sleep + interrupt: an interrupt reaching a packaging run could fail its file I/O;
            // close() wakes idle workers with notifyAll and cancels busy ones.
            wait(POLL.toMillis());
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops claiming jobs, cancels the packaging runs in progress and waits for the workers (a cancelled run
     * stops within a packet and removes its temporary folder).
     */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        workers.forEach(JobWorker::stop);
        if (periodicThread != null) {
            try {
                periodicThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
