package dev.kino.packager.job;

/**
 * A snapshot of a job's progress.
 *
 * @param phase what the job is doing
 * @param fraction overall completion 0..1 (transcoding is 0..0.95, writing manifests and verifying the rest)
 * @param speed media seconds transcoded per wall-clock second, 0 before transcoding starts
 */
public record PackagingProgress(Phase phase, double fraction, double speed) {
    /** The phases, in order. */
    public enum Phase {
        /** Waiting to start. */
        QUEUED,
        /** Probing the source. */
        PROBING,
        /** Decoding and encoding. */
        TRANSCODING,
        /** Writing playlists, MPD and manifest. */
        WRITING,
        /** Checking the output before publishing. */
        VERIFYING,
        /** Published. */
        DONE,
        /** Failed; nothing was published. */
        FAILED,
        /** Cancelled; nothing was published. */
        CANCELLED
    }
}
