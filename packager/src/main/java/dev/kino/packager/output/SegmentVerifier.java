package dev.kino.packager.output;

import dev.kino.common.packaging.VerificationDepth;
import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.packager.media.EncodedSample;
import dev.kino.protocol.key.HlsAes128;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * Checks each video segment as soon as it is written, while the transcode goes on producing the next ones. The
 * segment's copy's initialization section followed by the segment file (decrypted with the HLS AES-128 key when the
 * copy has one; {@code cenc} copies through the mp4 demuxer's {@code decryption_key}) is opened with FFmpeg's mp4
 * demuxer on its own, and:
 * <ul>
 *   <li>it must give exactly the samples written, byte for byte: as many packets, the first a sync sample, each
 *       equal to the sample the writer wrote (so the container, the sample tables and the decryption are
 *       exact);</li>
 *   <li>its pictures are decoded by a fresh decoder, from the initialization section alone: at depth
 *       {@link VerificationDepth#KEYFRAMES} every sync sample (IDR picture), each of which must give a key frame of
 *       the rendition's size; at {@link VerificationDepth#EVERY_FRAME} every sample, one frame each. A track whose
 *       samples were copied from the source (the remux path) is always decoded frame by frame: its bitstream is not our encoder's. A
 *       track's further copies (a title protected twice) are only demuxed and decrypted: they must give the same
 *       bytes as the first.</li>
 * </ul>
 *
 * <p>An HLS AES-128 copy's I-frame files ({@link #writtenIFrame}) are checked the same way: one sample, one key frame.
 *
 * <p>Why sync samples suffice by default: an encoded rendition's samples are then proven identical to what the
 * encoder produced (x264's bitstream, NAL units re-framed with lengths, a conversion its tests compare with an
 * independent split), which x264 encodes from its own reconstruction, and every segment is proven to start decoding from the initialization
 * section (parameter sets, IDR, closed GOP: what a player switching renditions relies on). Decoding every frame
 * again would re-check x264 against FFmpeg's decoder at the cost of a second decode of the whole ladder (about 11 %
 * of the benchmark's CPU time); {@link VerificationDepth#EVERY_FRAME} does it for those who want it.
 *
 * <p>Threads: a fixed pool of daemon threads named {@code kino-verify-<title>}, one per core by default, so the
 * checks use the CPU time the encoders leave idle instead of running after them; each check decodes with one
 * decoder thread from a temporary file in a scratch folder beside the title folder ({@code <title folder>.verify},
 * removed by {@link #close()}), so the title folder only ever holds what is published. {@link #written} is
 * thread-safe (the encoder threads call it). {@link #close()} stops the pool and waits for running checks, so a
 * failed or cancelled job can delete its folders without a check still writing into them.
 */
public final class SegmentVerifier implements AutoCloseable {
    /**
     * The outcome of one segment's check.
     *
     * @param packets packets demuxed (one per sample)
     * @param frames pictures decoded
     * @param everyFrame whether every packet was decoded (else sync samples only, or none for a further copy)
     * @param packetDigest SHA-256 over the segment's packets (4-byte big-endian size, then bytes, for each) when
     *                     the samples written were not known (the copies are then compared by digest), else null
     */
    public record Result(long packets, long frames, boolean everyFrame, byte[] packetDigest) {
    }

    private final Path dir;
    private final Path scratch;
    private final String titleId;
    private final VerificationDepth depth;
    private final ExecutorService pool;
    private final List<Future<?>> pending = new ArrayList<>();
    private final Map<String, SortedMap<Integer, Result>> results = new ConcurrentHashMap<>();
    private volatile PackagingException failure;
    private volatile boolean closed;

    /**
     * @param dir the title folder being written
     * @param titleId for messages and thread names
     * @param threads verifier threads (at least 1)
     * @param depth how many pictures of an encoded rendition to decode
     * @throws PackagingException when the scratch folder cannot be created
     */
    public SegmentVerifier(Path dir, String titleId, int threads, VerificationDepth depth) {
        this.dir = dir;
        this.titleId = titleId;
        this.depth = depth;
        this.scratch = dir.resolveSibling(dir.getFileName() + ".verify");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new PackagingException(titleId + ": cannot create " + scratch + ": " + e, e);
        }
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "kino-verify-" + titleId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param dir the title folder being written
     * @param titleId for messages
     * @param depth how many pictures of an encoded rendition to decode
     * @return a verifier with a thread per core
     */
    public static SegmentVerifier perCore(Path dir, String titleId, VerificationDepth depth) {
        return new SegmentVerifier(dir, titleId, Runtime.getRuntime().availableProcessors(), depth);
    }

    /**
     * Queues the check of a segment that was just written (completely) to disk.
     *
     * @param track the track it belongs to (its format known)
     * @param copy index into {@link SegmentedTrack#copies()}
     * @param segment the segment as written
     * @param samples the segment's samples as written (clear), or null when unknown (the copies are then compared
     *                with each other by {@link OutputVerifier}, and the first is decoded frame by frame)
     */
    public void written(SegmentedTrack track, int copy, SegmentInfo segment, List<EncodedSample> samples) {
        OutputVerifier.Decode decode = copy > 0 ? OutputVerifier.Decode.NONE
                : depth == VerificationDepth.EVERY_FRAME || samples == null || track.samplesCopiedFromSource()
                ? OutputVerifier.Decode.ALL : OutputVerifier.Decode.KEYFRAMES;
        SegmentCopy c = track.copies().get(copy);
        queue(c, c.folder(), segment, HlsAes128.ivForMediaSequence(segment.number() - 1), decode, samples);
    }

    /**
     * Queues the check of an HLS AES-128 copy's I-frame file ({@link SegmentedTrack#iFrameFiles}): it must decrypt
     * with its own IV, demux to the one sample written and decode to one key frame. Its result is filed under the
     * copy folder followed by {@code /iframes}.
     *
     * @param track the track it belongs to
     * @param copy index into {@link SegmentedTrack#copies()}
     * @param iFrame the I-frame file as written
     * @param sample its sample (the segment's first IDR picture), or null when unknown
     */
    public void writtenIFrame(SegmentedTrack track, int copy, SegmentInfo iFrame, List<EncodedSample> sample) {
        SegmentCopy c = track.copies().get(copy);
        queue(c, c.folder() + "/iframes", iFrame, SegmentedTrack.iFrameIv(iFrame.number()),
                OutputVerifier.Decode.ALL, sample);
    }

    private void queue(SegmentCopy c, String resultKey, SegmentInfo segment, byte[] aesIv,
                       OutputVerifier.Decode decode, List<EncodedSample> samples) {
        if (closed || failure != null) {
            return;
        }
        Future<?> f = pool.submit(() -> {
            if (closed || failure != null) {
                return;
            }
            try {
                Result r = check(c, segment, aesIv, decode, samples);
                results.computeIfAbsent(resultKey, k -> new ConcurrentSkipListMap<>()).put(segment.number(), r);
            } catch (PackagingException e) {
                if (failure == null) {
                    failure = e;
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new PackagingException(titleId + ": " + segment.file() + ": cannot verify: " + e, e);
                }
            }
        });
        synchronized (pending) {
            pending.add(f);
        }
    }

    /** @return the first check that failed so far, or null */
    public PackagingException failure() {
        return failure;
    }

    /**
     * Waits for every queued check.
     *
     * @return each copy's results (by copy folder, e.g. {@code cenc/video-720p}) by segment number
     * @throws PackagingException the first check that failed, or when interrupted
     */
    public Map<String, SortedMap<Integer, Result>> await() {
        List<Future<?>> all;
        synchronized (pending) {
            all = List.copyOf(pending);
        }
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PackagingException(titleId + ": verification interrupted", e);
            } catch (ExecutionException e) {
                throw new PackagingException(titleId + ": verification failed: " + e.getCause(), e.getCause());
            }
        }
        if (failure != null) {
            throw new PackagingException(failure.getMessage(), failure);
        }
        return Map.copyOf(results);
    }

    /**
     * Stops the pool: queued checks are dropped, running ones finish (at most a segment each), then the scratch
     * folder is removed.
     */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
                throw new PackagingException(titleId + ": segment verification did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(scratch)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException ignored) {
            // a leftover scratch file is never published: it is outside the title folder
        }
    }

    private Result check(SegmentCopy c, SegmentInfo s, byte[] aesIv, OutputVerifier.Decode decode,
                         List<EncodedSample> written) {
        String what = titleId + ": " + s.file();
        Path tmp = scratch.resolve(s.file().replace('/', '-') + ".mp4");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(Files.readAllBytes(dir.resolve(c.folder()).resolve(SegmentedTrack.INIT)));
                byte[] b = Files.readAllBytes(dir.resolve(s.file()));
                if (c.aes128Key() != null) {
                    b = Aes128Segments.decrypt(c.aes128Key(), aesIv, b);
                }
                out.write(b);
            }
            String key = c.cenc().map(e -> e.key().toHex()).orElse(null);
            boolean encrypted = c.aes128Key() != null || key != null;
            java.security.MessageDigest md = written == null ? OutputVerifier.sha256() : null;
            OutputVerifier.PacketCheck check = written == null ? OutputVerifier.PacketCheck.digesting(md)
                    : (i, pkt) -> {
                        String differs = what + " does not " + (encrypted ? "demux and decrypt" : "demux")
                                + " to the samples written: sample " + (i + 1);
                        if (i >= written.size()) {
                            throw new PackagingException(differs + " is one too many");
                        }
                        byte[] want = written.get((int) i).data();
                        int n = pkt.size();
                        if (n != want.length) {
                            throw new PackagingException(differs + " has " + n + " bytes, " + want.length
                                    + " were written");
                        }
                        int at = ByteBuffer.wrap(want).mismatch(pkt.data().capacity(n).asByteBuffer());
                        if (at >= 0) {
                            throw new PackagingException(differs + " differs at byte " + at);
                        }
                    };
            OutputVerifier.Read r = OutputVerifier.read(tmp, key, AVMEDIA_TYPE_VIDEO, what, 1, check, decode);
            if (r.packets() != s.samples()) {
                throw new PackagingException(what + " gives " + r.packets() + " samples, " + s.samples()
                        + " were written");
            }
            if (!r.firstIsKey()) {
                throw new PackagingException(what + " does not start with a sync sample");
            }
            if (decode == OutputVerifier.Decode.ALL && r.frames() != r.packets()) {
                throw new PackagingException(what + " decoded " + r.frames() + " frames from " + r.packets()
                        + " samples");
            }
            if (decode == OutputVerifier.Decode.KEYFRAMES && r.frames() != r.keyPackets()) {
                throw new PackagingException(what + " decoded " + r.frames() + " of its " + r.keyPackets()
                        + " IDR pictures");
            }
            return new Result(r.packets(), r.frames(), decode == OutputVerifier.Decode.ALL,
                    md == null ? null : md.digest());
        } catch (IOException | IllegalArgumentException e) {
            throw new PackagingException(what + ": cannot verify: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // close() removes the scratch folder
            }
        }
    }
}
