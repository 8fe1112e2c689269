package dev.kino.app.cli;

import dev.kino.app.runtime.Lifecycle;
import dev.kino.app.runtime.Services;
import dev.kino.common.config.KinoConfig;
import dev.kino.common.secret.SecretStore;
import dev.kino.control.jobs.JobWorkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code ./kino worker}: takes packaging jobs from the database queue ({@code FOR UPDATE SKIP LOCKED}) and
 * publishes titles under {@code media.root}. Run any number of them, on any machine that reaches the database
 * and the media root; a worker that dies mid-job leaves the job to be retried once its lease expires.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run packaging workers taking jobs from the database queue.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global;

    @Option(names = "--jobs", paramLabel = "N", description = "Jobs run at once (default: packager.workers, at least 1).")
    Integer jobs;

    @Override
    public Integer call() throws InterruptedException {
        KinoConfig config = global.load().config();
        try (Lifecycle lifecycle = new Lifecycle()) {
            var secrets = SecretStore.resolve(config);
            var db = Services.database(config, lifecycle);
            int n = jobs != null ? Math.max(1, jobs) : Math.max(1, config.packager().workers());
            lifecycle.add("packaging workers", JobWorkers.start(config, db.jdbi(), Services.packager(config, secrets), n,
                    Clock.systemUTC()));
            lifecycle.awaitShutdown();
        }
        return 0;
    }
}
