package dev.kino.packager.output;

import dev.kino.packager.cmaf.CmafSegment;

import java.util.Optional;

/**
 * One written media segment.
 *
 * @param file path relative to the title root, e.g. {@code video-720p/seg-00001.m4s}
 * @param number 1-based segment number (also the {@code mfhd} sequence number)
 * @param earliestPts earliest presentation time, track timescale ticks
 * @param duration duration, track timescale ticks
 * @param size file size, bytes
 * @param iFrame the byte range of the first IDR picture in the (clear) file, for I-frame playlists
 * @param samples number of samples (frames) in the segment
 */
public record SegmentInfo(String file, int number, long earliestPts, long duration, long size,
                          Optional<CmafSegment.ByteRange> iFrame, int samples) {
    /** A segment whose sample count is not recorded (0). */
    public SegmentInfo(String file, int number, long earliestPts, long duration, long size,
                       Optional<CmafSegment.ByteRange> iFrame) {
        this(file, number, earliestPts, duration, size, iFrame, 0);
    }
}
