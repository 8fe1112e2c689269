package dev.kino.packager.job;

/**
 * Asks a running {@link dev.kino.packager.Packager#run packaging run} to stop. The run checks it before each packet it
 * reads and between its phases, so it stops within one packet's work: it then deletes its temporary folder, publishes
 * nothing and throws {@link dev.kino.packager.PackagingCancelledException}. Thread-safe; once cancelled it stays
 * cancelled. Whoever starts a run owns its signal: the job worker cancels it when the job is cancelled through the
 * API, when its lease is lost and at shutdown; {@code ./kino package} cancels it on Ctrl-C.
 */
public final class CancellationSignal {
    private volatile boolean cancelled;

    /** Asks the run to stop; no effect on a run that has already finished. */
    public void cancel() {
        cancelled = true;
    }

    /** @return true once {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }
}
