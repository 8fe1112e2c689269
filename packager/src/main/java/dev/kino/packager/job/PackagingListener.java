package dev.kino.packager.job;

/** Hears about a job's progress; called from the job's thread. Must not block. */
@FunctionalInterface
public interface PackagingListener {
    /** @param progress the new state */
    void progress(PackagingProgress progress);

    /**
     * A line for the job log, e.g. that a rung was remuxed from the source, or why it was encoded instead.
     *
     * @param message the line
     */
    default void log(String message) {
    }

    /** A listener that ignores everything. */
    PackagingListener NONE = p -> { };
}
