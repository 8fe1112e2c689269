package dev.kino.packager.output;

import dev.kino.packager.PackagingException;
import dev.kino.packager.cmaf.CmafSegment;
import dev.kino.packager.cmaf.CmafTrackWriter;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.packager.media.EncodedSample;
import dev.kino.packager.media.TrackFormat;
import dev.kino.packager.media.TrackKind;
import dev.kino.packager.transcode.TrackSink;
import dev.kino.protocol.key.HlsAes128;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TrackSink} that cuts a track into CMAF segments and writes them as they complete:
 * {@code <copy folder>/init.mp4} and {@code seg-00001.m4s}, {@code seg-00002.m4s}, …
 *
 * <p>A segment ends before the first sync sample whose presentation time reaches the next multiple of the segment
 * duration; the transcoder forces IDRs exactly there, so every rung's segments start at the same presentation
 * times, and audio (all sync samples) is cut at the first frame at or after each boundary.
 *
 * <p>A segment's duration ({@link SegmentInfo#duration()}, the HLS {@code EXTINF} and the DASH timeline) is its
 * presentation span: up to the next segment's first presentation time, or for the last segment to the end of its
 * latest frame. It is not the sum of the sample (decode) durations: with B-frames and a variable frame rate the
 * decode times lag the presentation times by a varying amount, and that sum would move the segment boundaries
 * away from the IDRs.
 */
public final class SegmentedTrack implements TrackSink {
    /** Segment file name pattern; {@code %05d} is the 1-based segment number. */
    public static final String SEGMENT_PATTERN = "seg-%05d.m4s";
    /** Initialization segment file name. */
    public static final String INIT = "init.mp4";
    /**
     * I-frame file name pattern of an HLS AES-128 copy ({@code %05d}: the segment number): the segment's first IDR
     * picture alone in a fragment, encrypted on its own, since a byte range of a CBC-encrypted segment cannot be.
     */
    public static final String IFRAME_PATTERN = "iframe-%05d.m4s";
    /** Offset of the I-frame files' IVs from the segments' (media sequence number) IVs, so no IV is used twice. */
    private static final long IFRAME_IV_BASE = 1L << 32;

    private final String name;
    private final Path root;
    private final int segmentSeconds;
    private final List<SegmentCopy> copies;
    private final SegmentVerifier verifier;
    private final List<CmafTrackWriter> writers = new ArrayList<>();
    private final List<List<SegmentInfo>> segments = new ArrayList<>();
    private final List<List<SegmentInfo>> iFrameFiles = new ArrayList<>();
    private final List<EncodedSample> pending = new ArrayList<>();
    private final java.util.Map<String, String> digests = new java.util.concurrent.ConcurrentHashMap<>();
    private TrackFormat format;
    private long segmentTicks;
    private long nextBoundary;
    private int number;
    private boolean ended;
    private volatile boolean copiedFromSource;

    /**
     * @param name the rendition name ({@code video-720p}, {@code audio-eng})
     * @param root the title folder being written
     * @param segmentSeconds target segment duration, seconds
     * @param copies the copies to write, at least one
     */
    public SegmentedTrack(String name, Path root, int segmentSeconds, List<SegmentCopy> copies) {
        this(name, root, segmentSeconds, copies, null);
    }

    /**
     * @param name the rendition name ({@code video-720p}, {@code audio-eng})
     * @param root the title folder being written
     * @param segmentSeconds target segment duration, seconds
     * @param copies the copies to write, at least one
     * @param verifier checks each video segment as soon as it is written (while the transcode goes on), or null
     */
    public SegmentedTrack(String name, Path root, int segmentSeconds, List<SegmentCopy> copies,
                          SegmentVerifier verifier) {
        this.name = name;
        this.verifier = verifier;
        this.root = root;
        this.segmentSeconds = segmentSeconds;
        this.copies = List.copyOf(copies);
        for (int i = 0; i < copies.size(); i++) {
            segments.add(new ArrayList<>());
            iFrameFiles.add(new ArrayList<>());
        }
    }

    /** @return the rendition name */
    public String name() {
        return name;
    }

    /** @return the track format (after the transcoder opened the encoder) */
    public TrackFormat format() {
        return format;
    }

    /** @return the copies */
    public List<SegmentCopy> copies() {
        return copies;
    }

    /** @param copy index into {@link #copies()} @return that copy's segments, in order */
    public List<SegmentInfo> segments(int copy) {
        return List.copyOf(segments.get(copy));
    }

    /**
     * @param copy index into {@link #copies()}
     * @return the I-frame files of an HLS AES-128 video copy, one per segment, in order ({@link #IFRAME_PATTERN};
     *         each with the duration of its segment and one sample); empty for other copies and for audio
     */
    public List<SegmentInfo> iFrameFiles(int copy) {
        return List.copyOf(iFrameFiles.get(copy));
    }

    /**
     * @param number the segment number, 1-based
     * @return the AES-128-CBC IV of that segment's I-frame file: the big-endian 128-bit number
     *         {@code 2^32 + number - 1} (RFC 8216 §5.2 form; the playlist states it explicitly)
     */
    public static byte[] iFrameIv(int number) {
        return HlsAes128.ivForMediaSequence(IFRAME_IV_BASE + number - 1);
    }

    /**
     * @return the SHA-256 (lowercase hex) of every file this track wrote, by path relative to the title folder,
     *         computed from the bytes as they were written (so the manifest need not read them back)
     */
    public java.util.Map<String, String> digests() {
        return java.util.Map.copyOf(digests);
    }

    /** @return true once the last segment is written */
    public boolean ended() {
        return ended;
    }

    @Override
    public void copiedFromSource() {
        copiedFromSource = true;
    }

    /** @return true when the samples are the source's own packets (remuxed), not an encoder's output */
    public boolean samplesCopiedFromSource() {
        return copiedFromSource;
    }

    @Override
    public void format(TrackFormat f) {
        this.format = f;
        this.segmentTicks = (long) segmentSeconds * f.timescale();
        this.nextBoundary = segmentTicks;
        for (SegmentCopy c : copies) {
            CmafTrackWriter w = new CmafTrackWriter(f, c.cenc());
            writers.add(w);
            Path dir = root.resolve(c.folder());
            try {
                Files.createDirectories(dir);
                byte[] init = w.initSegment();
                Files.write(dir.resolve(INIT), init);
                digests.put(c.folder() + "/" + INIT, TitleWriter.sha256(init));
            } catch (IOException e) {
                throw new PackagingException(name + ": cannot write " + dir.resolve(INIT), e);
            }
        }
    }

    @Override
    public void sample(EncodedSample s) {
        if (!pending.isEmpty() && s.sync() && s.pts() >= nextBoundary) {
            flush(s.pts());
            nextBoundary = (s.pts() / segmentTicks + 1) * segmentTicks;
        }
        pending.add(s);
    }

    @Override
    public void end() {
        if (!pending.isEmpty()) {
            long last = Long.MIN_VALUE;
            for (EncodedSample s : pending) {
                last = Math.max(last, s.pts());
            }
            flush(last + pending.get(pending.size() - 1).duration());
        }
        ended = true;
    }

    /** Writes the segment's first sample (its IDR picture) alone as the segment's I-frame file, encrypted. */
    private void writeIFrame(int copy, SegmentCopy c, int number, SegmentInfo segment) {
        List<EncodedSample> idr = List.of(pending.get(0));
        CmafSegment one = writers.get(copy).segment(number, idr);
        byte[] bytes = Aes128Segments.encrypt(c.aes128Key(), iFrameIv(number), one.bytes());
        String rel = c.folder() + "/" + String.format(IFRAME_PATTERN, number);
        try {
            Files.write(root.resolve(rel), bytes);
            digests.put(rel, TitleWriter.sha256(bytes));
        } catch (IOException e) {
            throw new PackagingException(name + ": cannot write " + root.resolve(rel), e);
        }
        SegmentInfo info = new SegmentInfo(rel, number, one.earliestPresentationTime(), segment.duration(),
                bytes.length, Optional.empty(), 1);
        iFrameFiles.get(copy).add(info);
        if (verifier != null) {
            verifier.writtenIFrame(this, copy, info, idr);
        }
    }

    /** @param endPts the presentation time where this segment ends: the next one's first, or the track's end */
    private void flush(long endPts) {
        number++;
        boolean verified = verifier != null && format.kind() == TrackKind.VIDEO;
        List<EncodedSample> samples = verified ? List.copyOf(pending) : null;
        for (int i = 0; i < copies.size(); i++) {
            SegmentCopy c = copies.get(i);
            CmafSegment seg = writers.get(i).segment(number, pending);
            byte[] bytes = seg.bytes();
            if (c.aes128Key() != null) {
                bytes = Aes128Segments.encrypt(c.aes128Key(), HlsAes128.ivForMediaSequence(number - 1), bytes);
            }
            String rel = c.folder() + "/" + String.format(SEGMENT_PATTERN, number);
            try {
                Files.write(root.resolve(rel), bytes);
                digests.put(rel, TitleWriter.sha256(bytes));
            } catch (IOException e) {
                throw new PackagingException(name + ": cannot write " + root.resolve(rel), e);
            }
            SegmentInfo info = new SegmentInfo(rel, number, seg.earliestPresentationTime(),
                    endPts - seg.earliestPresentationTime(), bytes.length, seg.iFrameRange(), seg.sampleCount());
            segments.get(i).add(info);
            if (verified) {
                verifier.written(this, i, info, samples);
            }
            if (c.aes128Key() != null && format.kind() == TrackKind.VIDEO) {
                writeIFrame(i, c, number, info);
            }
        }
        pending.clear();
    }
}
