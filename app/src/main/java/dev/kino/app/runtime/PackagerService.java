package dev.kino.app.runtime;

import dev.kino.control.jobs.PackagingService;
import dev.kino.packager.Packager;
import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;
import dev.kino.packager.job.PackagingHandle;
import dev.kino.packager.job.PackagingListener;
import dev.kino.packager.job.PackagingProgress;
import dev.kino.packager.job.PackagingRequest;
import dev.kino.packager.job.PackagingResult;
import dev.kino.packager.job.Protection;
import dev.kino.packager.ladder.LadderSpec;
import dev.kino.packager.ladder.RungSpec;
import dev.kino.protocol.lang.LanguageTags;
import dev.kino.protocol.token.MediaPaths;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The control API's job queue driving the packager library: one {@link PackagingService#pack} call runs one
 * packaging job to its end on the calling worker thread, forwarding progress (which renews the job's lease)
 * and cancelling the packager — which then publishes nothing — when the job is cancelled or its lease lost.
 */
public final class PackagerService implements PackagingService {
    private static final Duration POLL = Duration.ofMillis(500);

    private final Packager packager;
    private final int segmentSeconds;

    /**
     * @param packager the packager (encoder settings, key-encryption key)
     * @param segmentSeconds media segment duration of new titles, seconds
     */
    public PackagerService(Packager packager, int segmentSeconds) {
        this.packager = packager;
        this.segmentSeconds = segmentSeconds;
    }

    @Override
    public Result pack(Request request, Listener listener) {
        PackagingRequest job;
        try {
            job = new PackagingRequest(List.of(request.source()), request.titleId().value(), request.output().getParent(),
                    ladder(request.ladder()), Protection.parse(request.protection()));
        } catch (IllegalArgumentException e) {
            throw new PackagingException("cannot package " + request.source().getFileName() + ": " + e.getMessage(), e);
        }
        listener.log("packaging " + request.source().getFileName() + " as " + request.titleId().value() + " ("
                + request.protection() + ")");
        PackagingHandle handle = packager.start(job, new PackagingListener() {
            @Override
            public void progress(PackagingProgress p) {
                listener.progress(p.fraction());
            }

            @Override
            public void log(String message) {
                // A few lines per job (remuxed or encoded rungs): written to the job's log in the database.
                listener.log(message);
            }
        });
        PackagingResult result;
        try {
            while (true) {
                if (listener.cancelled() || Thread.currentThread().isInterrupted()) {
                    handle.cancel();
                }
                if (handle.isDone()) {
                    result = handle.await();
                    break;
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    handle.cancel();
                    Thread.currentThread().interrupt();
                }
            }
        } catch (PackagingCancelledException e) {
            throw new Cancelled();
        }
        listener.log(String.format(Locale.ROOT, "published %s: %.1f s of video in %.1f s with %s; renditions %s",
                result.titleId(), result.durationSeconds(), result.wallSeconds(), result.videoEncoder(),
                String.join(" ", result.renditions())));
        List<String> audio = result.renditions().stream().filter(r -> r.startsWith("audio-"))
                .map(r -> LanguageTags.toBcp47(r.substring("audio-".length()))).distinct().toList();
        List<String> subtitles = result.renditions().stream().filter(r -> r.startsWith("subs-"))
                .map(r -> LanguageTags.toBcp47(r.substring("subs-".length()))).distinct().toList();
        return new Result(result.renditions().stream().filter(r -> r.startsWith("video-")).toList(), audio, subtitles,
                (int) Math.round(result.durationSeconds()),
                Files.isRegularFile(result.folder().resolve(MediaPaths.DASH_MANIFEST)));
    }

    /** The default ladder, limited to the heights named (e.g. {@code 720p}) when any are. */
    private LadderSpec ladder(List<String> wanted) {
        LadderSpec spec = LadderSpec.defaults().withSegmentSeconds(segmentSeconds);
        if (wanted == null || wanted.isEmpty()) {
            return spec;
        }
        List<RungSpec> rungs = spec.rungs().stream()
                .filter(r -> wanted.stream().anyMatch(w -> w.replaceAll("p$", "").equals(String.valueOf(r.height()))))
                .toList();
        if (rungs.isEmpty()) {
            throw new IllegalArgumentException("no rung of the ladder matches " + wanted + "; rungs are "
                    + spec.rungs().stream().map(r -> r.height() + "p").toList());
        }
        return spec.withRungs(rungs);
    }
}
