package dev.kino.control.jobs;

import dev.kino.protocol.token.TitleId;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Packages one source video into a title folder the media server serves. Implementations block until
 * done, report progress often (each report also renews the job's lease), and stop early with
 * {@link Cancelled} once {@link Listener#cancelled()} turns true.
 *
 * <p>NOTE: the adapter over the packager library ({@code dev.kino.packager}) is not written yet: that
 * library has no job API on its branch so far.
 */
@FunctionalInterface
public interface PackagingService {

    /**
     * @param request what to package, where
     * @param listener progress, log lines and cancellation
     * @return what was produced
     * @throws Cancelled when stopped through {@link Listener#cancelled()}
     * @throws RuntimeException for any failure (the message is shown on the job)
     */
    Result pack(Request request, Listener listener);

    /**
     * @param jobId the job
     * @param source source video file
     * @param output the title folder to write, {@code <media.root>/<title id>}
     * @param titleId the packaged title id
     * @param ladder renditions wanted (e.g. {@code 1080p}); empty for the packager's default ladder
     * @param protection {@code none}, {@code aes-128}, {@code cenc} or {@code aes-128+cenc}
     */
    record Request(UUID jobId, Path source, Path output, TitleId titleId, List<String> ladder, String protection) {
    }

    /**
     * @param renditions renditions produced
     * @param audioLanguages audio languages found
     * @param subtitleLanguages subtitle languages found
     * @param durationSeconds duration
     * @param dash a DASH MPD was written too
     */
    record Result(List<String> renditions, List<String> audioLanguages, List<String> subtitleLanguages,
                  int durationSeconds, boolean dash) {
    }

    /** Callbacks of a running job; thread-safe. */
    interface Listener {
        /** @param fraction done so far, 0 to 1 */
        void progress(double fraction);

        /** Appends a line to the job's log. */
        void log(String line);

        /** @return true once the job was cancelled or its lease lost: stop and throw {@link Cancelled} */
        boolean cancelled();
    }

    /** Thrown by {@link #pack} when it stopped because {@link Listener#cancelled()} became true. */
    final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Cancelled() {
            super("cancelled");
        }
    }
}
