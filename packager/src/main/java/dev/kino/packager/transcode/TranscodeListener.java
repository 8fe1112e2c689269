package dev.kino.packager.transcode;

/** Progress of a running transcode, called from the demuxing thread at most a few times a second. */
@FunctionalInterface
public interface TranscodeListener {
    /**
     * @param fraction how much of the source's duration has been decoded, 0..1
     * @param speed media seconds decoded per wall-clock second (2.0 = twice real time)
     */
    void progress(double fraction, double speed);

    /** @param message a line for the job log (e.g. a rung remuxed, or why it was encoded instead) */
    default void note(String message) {
    }

    /** A listener that ignores progress. */
    TranscodeListener NONE = (f, s) -> { };
}
