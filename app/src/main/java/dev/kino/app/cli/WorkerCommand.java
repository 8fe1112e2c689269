package dev.kino.app.cli;

import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.OutOfMemoryGuard;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.jobs.JobWorkers;
import dev.kino.control.recommend.RecommendJob;
import dev.kino.packager.job.PackagingRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code ./kino worker}: takes packaging jobs from the database queue ({@code FOR UPDATE SKIP LOCKED}) and
 * publishes titles under {@code media.root}, and runs the periodic recommendations job when it is due (one worker of
 * the deployment at a time, {@link dev.kino.control.jobs.PeriodicJobs}). Run any number of them, on any machine that reaches the database
 * and the media root; a worker that dies mid-job leaves the job to be retried once its lease expires.
 *
 * <p>{@code serve} and {@code demo} run one as their child ({@code --supervised},
 * {@link dev.kino.app.runtime.WorkerProcess}): it then exits when its stdin closes (its parent is gone), and a run
 * that exhausts its memory ceiling ends it with a line the supervisor reads ({@link OutOfMemoryGuard}).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run packaging workers taking jobs from the database queue.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--jobs", paramLabel = "N", description = "Jobs run at once (default: packager.workers, at least 1).")
    Integer jobs;

    @Option(names = "--supervised", hidden = true,
            description = "Run as the worker process of serve or demo: stop when stdin closes; exit when out of memory.")
    boolean supervised;

    @Override
    public Integer call() throws InterruptedException {
        KinoConfig config = global.load().config();
        if (supervised) {
            watchParent(System.in);
        }
        try (Lifecycle lifecycle = new Lifecycle()) {
            var secrets = SecretStore.resolve(config);
            var db = Services.database(config, lifecycle);
            int n = jobs != null ? Math.max(1, jobs) : Math.max(1, config.packager().workers());
            PackagingRunner packager = Services.packager(config, secrets);
            if (supervised) {
                packager = OutOfMemoryGuard.forThisProcess(packager);
            }
            // the workers also run the periodic recommendations job (the API only reads its results)
            lifecycle.add("packaging workers", JobWorkers.start(config, db.jdbi(), packager, n, Clock.systemUTC(),
                    RecommendJob.INTERVAL));
            lifecycle.awaitShutdown();
        }
        return 0;
    }

    /** Stops this process (through its shutdown hook) once its parent, the only writer of its stdin, is gone. */
    private static void watchParent(InputStream stdin) {
        Thread t = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // the parent never writes: only the end of the stream matters
                }
            } catch (IOException e) {
                // a broken pipe is the same news
            }
            System.exit(0);
        }, "kino-worker-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
