package dev.kino.packager.media;

/**
 * One encoded access unit of a track (a video frame or an AAC frame), in the track's timescale.
 *
 * @param dts decode timestamp, in {@link TrackFormat#timescale()} ticks, starting at 0 for the title
 * @param pts presentation timestamp, same units ({@code pts - dts} becomes the composition offset)
 * @param duration sample duration, same units, positive
 * @param sync true for a sync sample (an IDR picture for H.264; every AAC frame)
 * @param data the sample bytes as stored in {@code mdat}: for H.264, NAL units each prefixed by a 4-byte
 *             big-endian length (AVCC, no start codes, no parameter sets needed in-band); for AAC, one raw
 *             access unit without an ADTS header
 */
public record EncodedSample(long dts, long pts, long duration, boolean sync, byte[] data) {
    /** @throws IllegalArgumentException for a non-positive duration or negative dts */
    public EncodedSample {
        if (duration <= 0) {
            throw new IllegalArgumentException("sample duration must be positive, got " + duration);
        }
        if (dts < 0) {
            throw new IllegalArgumentException("dts must not be negative, got " + dts);
        }
    }
}
