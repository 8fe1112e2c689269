package dev.kino.packager.job;

import dev.kino.packager.PackagingCancelledException;
import dev.kino.packager.PackagingException;

/**
 * Runs one packaging job to its end on the calling thread: what {@link dev.kino.packager.Packager} does, and what
 * the control API's job worker calls. Tests of the job queue give the worker a stand-in.
 */
@FunctionalInterface
public interface PackagingRunner {
    /**
     * @param request what to package, and where to publish it
     * @param listener progress and log lines, called from the run's threads; must not block for long
     * @param cancel stops the run when cancelled
     * @return the published title
     * @throws PackagingCancelledException when {@code cancel} stopped it (nothing was published)
     * @throws PackagingException when it failed (nothing was published); the message names the file and the reason
     */
    PackagingResult run(PackagingRequest request, PackagingListener listener, CancellationSignal cancel);
}
