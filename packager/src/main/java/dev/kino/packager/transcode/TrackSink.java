package dev.kino.packager.transcode;

import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;

/**
 * Receives one encoded track. The transcoder calls {@link #format} once, then {@link #sample} for every sample in
 * decode order, then {@link #end}; all three from the same thread (one thread per video rung, the demuxing
 * thread for audio), so an implementation needs no locking of its own state. An exception thrown here aborts the
 * transcode and is rethrown from {@link Transcoder#run} (wrapped in a {@link dev.kino.packager.PackagingException}
 * unless it is one).
 */
public interface TrackSink {
    /**
     * Called before {@link #format} by a track whose samples are the source's own packets (the remux path), not
     * this transcoder's encoder output; the output verification then decodes every one of them. Does nothing by
     * default.
     */
    default void copiedFromSource() {
    }

    /** @param format the track's format, known once the encoder is open */
    void format(TrackFormat format);

    /** @param sample the next sample in decode order; timestamps in the format's timescale, title starting at 0 */
    void sample(EncodedSample sample);

    /** Called after the last sample (not called when the transcode fails or is cancelled). */
    void end();
}
