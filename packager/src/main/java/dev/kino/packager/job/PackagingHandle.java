package dev.kino.packager.job;

import dev.kino.packager.PackagingException;

import java.time.Duration;

/** A running job. Thread-safe. */
public interface PackagingHandle {
    /** @return the title id */
    String titleId();

    /** @return the latest progress */
    PackagingProgress progress();

    /**
     * Asks the job to stop; it stops before its next packet, removes its temporary folder and publishes nothing.
     * No effect on a finished job.
     */
    void cancel();

    /** @return true when the job has finished (published, failed or cancelled) */
    boolean isDone();

    /**
     * Waits for the job.
     *
     * @return the published title
     * @throws PackagingException when the job failed ({@link dev.kino.packager.PackagingCancelledException} when
     *                            cancelled)
     */
    PackagingResult await();

    /**
     * @param timeout how long to wait at most
     * @return the published title
     * @throws PackagingException when the job failed or did not finish in time
     */
    PackagingResult await(Duration timeout);
}
