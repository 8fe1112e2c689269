package dev.kino.packager.transcode;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Sees every decoded (and, when the source is rotated, already rotated) source video frame once, on the demuxing
 * thread, before the rungs encode it: the hook for thumbnails and the poster, so that nothing decodes the source a
 * second time. Keep the work per frame small; the demuxing thread feeds every rung.
 */
public interface FrameTap {
    /**
     * @param frame the decoded frame, any pixel format and size; valid only during the call (take a reference with
     *              {@code av_frame_clone} to keep it, and free that reference)
     * @param pts the frame's presentation time on the title timeline, 90 kHz ticks from 0
     */
    void frame(AVFrame frame, long pts);

    /**
     * Called once after the last frame (not when the transcode fails or is cancelled; {@link #close()} is called
     * in every case).
     *
     * @param endPts the end of the video (last frame's time plus its duration), 90 kHz ticks
     */
    void end(long endPts);

    /** Frees native resources; called once by the transcoder whatever happened. */
    default void close() {
    }

    /** A tap that does nothing. */
    FrameTap NONE = new FrameTap() {
        @Override
        public void frame(AVFrame frame, long pts) {
        }

        @Override
        public void end(long endPts) {
        }
    };
}
