package dev.kino.control.jobs;

import dev.kino.common.config.KinoConfig;
import dev.kino.control.catalog.CatalogStore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link JobWorker}s on their own threads: each claims a job, runs it to its end, and polls the queue
 * again after {@code idlePoll} when there was nothing to do. {@link #close()} stops claiming; a job in
 * progress is abandoned to its lease (another worker retries it), never half-published.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private JobWorkers() {
    }

    /**
     * Starts {@code count} workers over the job queue in {@code jdbi}'s database, writing titles under
     * {@code media.root}: what {@code ./kino worker} runs on a packaging machine.
     *
     * @param config the configuration ({@code media.root})
     * @param jdbi the control API's database
     * @param packaging the packager
     * @param count workers, at least 1
     * @param lease how long a claim lasts without a heartbeat
     * @param heartbeat least time between two lease renewals
     * @param idlePoll wait between polls of an empty queue
     * @return the running workers
     */
    public static JobWorkers start(KinoConfig config, Jdbi jdbi, PackagingService packaging, int count,
                                   Duration lease, Duration heartbeat, Duration idlePoll) {
        CatalogStore store = new CatalogStore(jdbi, Clock.systemUTC());
        JobQueue queue = new JobQueue(store);
        String host = ProcessHandle.current().pid() + "@" + hostName();
        List<JobWorker> workers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            workers.add(new JobWorker(host + "#" + i, queue, store, packaging, config.media().root(), lease, heartbeat,
                    Clock.systemUTC()));
        }
        return start(workers, idlePoll);
    }

    /** @return this machine's name, for worker ids */
    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * @param workers the workers, one thread each
     * @param idlePoll wait between polls of an empty queue
     * @return the running workers
     */
    public static JobWorkers start(List<JobWorker> workers, Duration idlePoll) {
        JobWorkers pool = new JobWorkers();
        for (JobWorker w : workers) {
            Thread t = new Thread(() -> pool.loop(w, idlePoll), "kino-worker-" + w.id());
            t.setDaemon(true);
            pool.threads.add(t);
            t.start();
        }
        if (!workers.isEmpty()) {
            LOG.info("{} packaging worker(s) started", workers.size());
        }
        return pool;
    }

    private void loop(JobWorker worker, Duration idlePoll) {
        while (running) {
            boolean worked;
            try {
                worked = worker.runOnce();
            } catch (RuntimeException e) {
                // The database may be restarting: back off and try again rather than die.
                LOG.warn("worker {} could not reach the job queue: {}", worker.id(), e.toString());
                worked = false;
            }
            if (!worked) {
                try {
                    TimeUnit.MILLISECONDS.sleep(idlePoll.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops claiming jobs and interrupts idle workers; waits briefly for them. */
    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
