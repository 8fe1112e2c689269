package dev.kino.control.jobs;

import dev.kino.control.catalog.Catalog;
import dev.kino.control.catalog.MediaStore;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.SourceRefusedException;
import dev.kino.packager.job.CancellationSignal;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.job.PackagingRunner;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.protocol.token.TitleId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs packaging jobs one at a time: claim, call the packager on this thread, record the outcome. The worker is the
 * packager's {@link PackagingListener}: each progress report renews the job's lease (at most every
 * {@code heartbeatEvery}) and, when the heartbeat says the job was cancelled or the lease lost, cancels the run's
 * {@link CancellationSignal}, so the packager stops within a packet, removes its temporary folder and publishes
 * nothing. A worker that dies simply stops renewing: once its lease has expired another worker claims the job again
 * (a new attempt). Call {@link #runOnce()} from a loop or a scheduler thread (never an event loop);
 * {@link JobWorkers} does.
 *
 * <pre>{@code
 * JobWorker w = new JobWorker("node-1/1", queue, catalog, packager, mediaRoot, LadderSpec.defaults(),
 *         Duration.ofMinutes(2), Duration.ofSeconds(10), Clock.systemUTC());
 * while (running) { if (!w.runOnce()) Thread.sleep(1000); }
 * }</pre>
 */
public final class JobWorker {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final String id;
    private final JobQueue queue;
    private final Catalog catalog;
    private final PackagingRunner packager;
    private final Path mediaRoot;
    private final LadderSpec ladder;
    private final Duration lease;
    private final Duration heartbeatEvery;
    private final Clock clock;
    private volatile boolean stopping;
    private volatile CancellationSignal running;

    /**
     * @param id unique worker name (shown on the job)
     * @param packager the packager, called on the worker's thread
     * @param mediaRoot {@code media.root}, the packager's output root: jobs publish
     *                  {@link PackagingRequest#titleFolder()}, {@code <mediaRoot>/<packaged title id>}
     * @param ladder the ladder of every job ({@code packager.segmentSeconds}), narrowed to the renditions a job names
     * @param lease how long a claim lasts without a heartbeat
     * @param heartbeatEvery least time between two lease renewals (zero: at every progress report)
     */
    public JobWorker(String id, JobQueue queue, Catalog catalog, PackagingRunner packager, Path mediaRoot,
                     LadderSpec ladder, Duration lease, Duration heartbeatEvery, Clock clock) {
        this.id = Objects.requireNonNull(id);
        this.queue = queue;
        this.catalog = catalog;
        this.packager = packager;
        this.mediaRoot = mediaRoot;
        this.ladder = ladder;
        this.lease = lease;
        this.heartbeatEvery = heartbeatEvery;
        this.clock = clock;
    }

    public String id() {
        return id;
    }

    /**
     * Stops the job in progress, if any, for a shutdown: the packaging run is cancelled (nothing is published) and
     * the job is left to its lease, so another worker (or this node after a restart) runs it again.
     */
    public void stop() {
        stopping = true;
        CancellationSignal r = running;
        if (r != null) {
            r.cancel();
        }
    }

    /**
     * Claims and runs one job to its end.
     *
     * @return false when there was nothing to do (or the worker is stopping)
     */
    public boolean runOnce() {
        if (stopping) {
            return false;
        }
        JobQueue.Claimed job = queue.claim(id, lease).orElse(null);
        if (job == null) {
            return false;
        }
        MediaStore.MediaRow media = catalog.media(job.mediaId()).orElse(null);
        if (media == null || media.sourcePath() == null) {
            queue.fail(job, id, "the media item or its source is gone");
            return true;
        }
        CancellationSignal cancel = new CancellationSignal();
        running = cancel;
        try {
            if (stopping) {
                cancel.cancel();
            }
            Path source = Path.of(media.sourcePath());
            PackagingRequest request = new PackagingRequest(List.of(source),
                    TitleId.of(media.packagedTitleId()).value(), mediaRoot, ladder(job.ladder()), job.protection());
            queue.log(job.id(), "packaging " + source.getFileName() + " as " + request.titleId() + " ("
                    + job.protection().wire() + ")");
            PackagingResult result = packager.run(request, new Listener(job, cancel), cancel);
            queue.log(job.id(), String.format(Locale.ROOT, "published %s: %.1f s of video in %.1f s with %s; tracks %s",
                    result.titleId(), result.durationSeconds(), result.wallSeconds(), result.videoEncoder(),
                    String.join(" ", result.renditions())));
            if (!queue.succeed(job, id, result)) {
                LOG.warn("job {} finished on {} after its lease was lost; result dropped", job.id(), id);
            }
        } catch (PackagingCancelledException e) {
            if (stopping) {
                LOG.info("job {} stopped by the shutdown of {}; left to its lease", job.id(), id);
            } else {
                queue.cancelled(job, id);
            }
        } catch (SourceRefusedException e) {
            // decided before anything was decoded: the same file is refused again, so no retry
            LOG.warn("job {} refused on {}: {}", job.id(), id, e.getMessage());
            queue.fail(job, id, e.getMessage(), true);
        } catch (RuntimeException e) {
            // the full detail (paths, stack) for the operator; the job gets a line without the server's folders
            LOG.warn("job {} attempt {} failed on {}: {}", job.id(), job.attempt(), id, e.toString(), e);
            queue.fail(job, id, editorMessage(e, Path.of(media.sourcePath()), mediaRoot));
        } catch (OutOfMemoryError e) {
            // in-process workers only (a worker process exits instead): the run's buffers are garbage now, and the
            // same source would exhaust memory again
            LOG.error("job {} ran out of memory on {}: {}", job.id(), id, e.toString(), e);
            queue.fail(job, id, Path.of(media.sourcePath()).getFileName() + ": packaging ran out of memory ("
                    + e.getMessage() + ")", true);
        } finally {
            running = null;
        }
        return true;
    }

    /**
     * An absolute path (two or more components) standing on its own, not the path of a URL or of a relative path;
     * group 1 is its last component.
     */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w.~:/-])/(?:[^\\s/:'\"(),;\\[\\]]+/)+([^\\s/:'\"(),;\\[\\]]*)");
    /** A qualified exception class name ({@code java.nio.file.NoSuchFileException}); group 1 is its simple name. */
    private static final Pattern QUALIFIED_THROWABLE = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z]\\w*(?:Exception|Error))\\b");

    /**
     * The failure as editors read it on the job ({@code error}): one line that names the source by its file name and
     * the title by its id, never a folder of the server. The packager's messages already do; an I/O error's message
     * is a path ({@code packaging failed: java.nio.file.AccessDeniedException: /srv/kino/media/.tmp-…}), so the
     * source becomes its file name, paths under {@code media.root} become relative to it, and any other absolute
     * path becomes its last component. The full message goes to the server log.
     *
     * @param e the failure of one attempt
     * @param source the job's source file
     * @param mediaRoot {@code media.root}
     * @return the message for the job
     */
    static String editorMessage(Throwable e, Path source, Path mediaRoot) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replace(source.toString(), String.valueOf(source.getFileName()));
        String root = mediaRoot.toString();
        m = m.replace(root.endsWith("/") ? root : root + "/", "").replace(root, "media root");
        m = ABSOLUTE_PATH.matcher(m).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        m = QUALIFIED_THROWABLE.matcher(m).replaceAll("$1");
        m = m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return m.length() > 1000 ? m.substring(0, 1000) + "…" : m;
    }

    /** The worker's side of one run: heartbeats with progress, log lines to the job log, cancellation. */
    private final class Listener implements PackagingListener {
        private final JobQueue.Claimed job;
        private final CancellationSignal cancel;
        private Instant lastBeat = Instant.MIN;

        Listener(JobQueue.Claimed job, CancellationSignal cancel) {
            this.job = job;
            this.cancel = cancel;
        }

        @Override
        public synchronized void progress(PackagingProgress progress) {
            Instant now = clock.instant();
            if (lastBeat.equals(Instant.MIN) || !now.isBefore(lastBeat.plus(heartbeatEvery))) {
                lastBeat = now;
                if (queue.heartbeat(job.id(), id, progress.fraction(), lease).stop()) {
                    cancel.cancel();
                }
            }
        }

        @Override
        public void log(String message) {
            // A few lines per job (remuxed or encoded rungs): written to the job's log in the database.
            queue.log(job.id(), message);
        }
    }

    /**
     * @param wanted renditions the job names ({@code 720p}), or empty for the whole ladder
     * @return the ladder limited to those heights
     * @throws IllegalArgumentException when none of them is a rung of the ladder (the job fails with this message)
     */
    private LadderSpec ladder(List<String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            return ladder;
        }
        List<RungSpec> rungs = ladder.rungs().stream()
                .filter(r -> wanted.stream().anyMatch(w -> w.replaceAll("p$", "").equals(String.valueOf(r.height()))))
                .toList();
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("no rung of the ladder matches " + wanted + "; rungs are "
                    + ladder.rungs().stream().map(r -> r.height() + "p").toList());
        }
        return ladder.withRungs(rungs);
    }
}
