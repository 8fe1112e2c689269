package dev.kino.packager.cmaf;

import java.util.List;
import java.util.Optional;

/**
 * One CMAF media segment as written by {@link CmafTrackWriter#segment(int, List)}, with what the HLS and DASH
 * playlist writers need to know about it. Time values are in the track's timescale ticks
 * ({@link dev.kino.packager.media.TrackFormat#timescale()}); offsets and lengths are in bytes from the first byte of
 * this segment.
 *
 * @param bytes the segment file: {@code styp}, optional {@code sidx}, one {@code moof} and one {@code mdat}
 * @param sequenceNumber the {@code mfhd} sequence number
 * @param baseMediaDecodeTime the {@code tfdt} decode time of the first sample (ticks)
 * @param earliestPresentationTime the smallest presentation time of the segment's samples (ticks); the DASH
 *                                 {@code SegmentTimeline} {@code t} / HLS program time anchor
 * @param duration the sum of the sample durations (ticks); the HLS {@code EXTINF} is {@code duration / timescale}
 * @param sampleCount number of samples
 * @param moofOffset offset of the {@code moof} box (after {@code styp} and {@code sidx})
 * @param syncSamples the sync samples (IDR pictures; every sample for audio), in decode order
 */
public record CmafSegment(byte[] bytes, int sequenceNumber, long baseMediaDecodeTime, long earliestPresentationTime,
                          long duration, int sampleCount, int moofOffset, List<SyncSample> syncSamples) {

    /** Canonical constructor; the lists are copied, the byte array is not (it is the writer's fresh output). */
    public CmafSegment {
        syncSamples = List.copyOf(syncSamples);
    }

    /** @return the segment size in bytes */
    public int size() {
        return bytes.length;
    }

    /**
     * The byte range an HLS I-frame playlist ({@code EXT-X-I-FRAME-STREAM-INF}, RFC 8216 §4.3.4.3) lists for this
     * segment with {@code EXT-X-BYTERANGE}: from the start of the {@code moof} to the last byte of the first sync
     * sample in the {@code mdat}. The player parses the {@code moof} (whose {@code trun} data offset is relative to
     * it) and reads the I-frame's bytes, nothing more; the playlist also needs {@code EXT-X-MAP} for the init
     * section. When the segment starts with its sync sample (the pipeline's segments always start with an IDR),
     * the range is {@code moof} + {@code mdat} header + the I-frame.
     *
     * @return the range, empty when the segment has no sync sample
     */
    public Optional<ByteRange> iFrameRange() {
        if (syncSamples.isEmpty()) {
            return Optional.empty();
        }
        SyncSample s = syncSamples.get(0);
        return Optional.of(new ByteRange(moofOffset, s.offset() + s.size() - moofOffset));
    }

    /**
     * A byte range within a segment, as in {@code EXT-X-BYTERANGE:<length>@<offset>} or an HTTP {@code Range:
     * bytes=offset-(offset+length-1)}.
     *
     * @param offset first byte
     * @param length number of bytes
     */
    public record ByteRange(long offset, long length) {
    }

    /**
     * One sync sample of the segment.
     *
     * @param presentationTime its presentation time (ticks)
     * @param offset offset of its first byte in the segment (inside the {@code mdat})
     * @param size its size in bytes
     */
    public record SyncSample(long presentationTime, int offset, int size) {
    }
}
