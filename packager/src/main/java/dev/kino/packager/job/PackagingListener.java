package dev.kino.packager.job;

/** Hears about a job's progress; called from the job's thread. Must not block. */
@FunctionalInterface
public interface PackagingListener {
    /** @param progress the new state */
    void progress(PackagingProgress progress);

    /** A listener that ignores everything. */
    PackagingListener NONE = p -> { };
}
