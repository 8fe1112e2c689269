package dev.kino.control.jobs;

import dev.kino.control.catalog.CatalogStore;
import dev.kino.protocol.token.TitleId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs packaging jobs one at a time: claim, package through the {@link PackagingService} while renewing
 * the lease at each progress report (at most every {@code heartbeatEvery}), record the outcome. A
 * worker that dies simply stops renewing: once its lease has expired another worker claims the job
 * again (a new attempt). Call {@link #runOnce()} from a loop or a scheduler thread (never an event loop).
 *
 * <pre>{@code
 * JobWorker w = new JobWorker("node-1/1", queue, store, packaging, mediaRoot, Duration.ofMinutes(2),
 *         Duration.ofSeconds(20), Clock.systemUTC());
 * while (running) { if (!w.runOnce()) Thread.sleep(1000); }
 * }</pre>
 */
public final class JobWorker {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final String id;
    private final JobQueue queue;
    private final CatalogStore store;
    private final PackagingService packaging;
    private final Path mediaRoot;
    private final Duration lease;
    private final Duration heartbeatEvery;
    private final Clock clock;

    /**
     * @param id unique worker name (shown on the job)
     * @param mediaRoot {@code media.root}: jobs write {@code <mediaRoot>/<packaged title id>}
     * @param lease how long a claim lasts without a heartbeat
     * @param heartbeatEvery least time between two lease renewals (zero: at every progress report)
     */
    public JobWorker(String id, JobQueue queue, CatalogStore store, PackagingService packaging, Path mediaRoot,
                     Duration lease, Duration heartbeatEvery, Clock clock) {
        this.id = Objects.requireNonNull(id);
        this.queue = queue;
        this.store = store;
        this.packaging = packaging;
        this.mediaRoot = mediaRoot;
        this.lease = lease;
        this.heartbeatEvery = heartbeatEvery;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    /**
     * Claims and runs one job to its end.
     *
     * @return false when there was nothing to do
     */
    public boolean runOnce() {
        JobQueue.Claimed job = queue.claim(id, lease).orElse(null);
        if (job == null) {
            return false;
        }
        CatalogStore.MediaRow media = store.media(job.mediaId()).orElse(null);
        if (media == null || media.sourcePath() == null) {
            queue.fail(job, id, "the media item or its source is gone");
            return true;
        }
        TitleId title = TitleId.of(media.packagedTitleId());
        AtomicBoolean stop = new AtomicBoolean();
        PackagingService.Listener listener = new PackagingService.Listener() {
            private Instant lastBeat = Instant.MIN;

            @Override
            public synchronized void progress(double fraction) {
                Instant now = clock.instant();
                if (lastBeat.equals(Instant.MIN) || !now.isBefore(lastBeat.plus(heartbeatEvery))) {
                    lastBeat = now;
                    if (queue.heartbeat(job.id(), id, fraction, lease).stop()) {
                        stop.set(true);
                    }
                }
            }

            @Override
            public void log(String line) {
                queue.log(job.id(), line);
            }

            @Override
            public boolean cancelled() {
                return stop.get();
            }
        };
        try {
            PackagingService.Result result = packaging.pack(new PackagingService.Request(job.id(), Path.of(media.sourcePath()),
                    mediaRoot.resolve(title.value()), title, job.ladder(), job.protection()), listener);
            if (stop.get()) {
                queue.cancelled(job, id);
            } else if (!queue.succeed(job, id, result)) {
                LOG.warn("job {} finished on {} after its lease was lost; result dropped", job.id(), id);
            }
        } catch (PackagingService.Cancelled e) {
            queue.cancelled(job, id);
        } catch (RuntimeException e) {
            LOG.warn("job {} attempt {} failed on {}: {}", job.id(), job.attempt(), id, e.toString());
            queue.fail(job, id, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return true;
    }
}
