package dev.kino.packager.output;

import dev.kino.packager.PackagingException;
import dev.kino.packager.crypto.Aes128Segments;
import dev.kino.protocol.key.HlsAes128;

import java.io.IOException;
import java.io.OutputStream;
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
 * Checks each video segment as soon as it is written, while the transcode goes on producing the next ones: the
 * segment's copy's initialization section followed by the segment file (decrypted with the HLS AES-128 key when the
 * copy has one; {@code cenc} copies through the mp4 demuxer's {@code decryption_key}) is opened with FFmpeg's mp4
 * demuxer on its own and, for a track's first copy, every frame is decoded by a fresh decoder; further copies of the
 * same samples are only demuxed and decrypted. Each check records the frames decoded (or packets read) and a
 * SHA-256 over the segment's packets (sizes and bytes), which {@link OutputVerifier} compares with the samples
 * written, the frames the encoder was fed, and across copies.
 *
 * <p>Decoding each segment alone proves what a player switching renditions relies on: every segment decodes from
 * the initialization section and its own samples (it starts with an IDR picture and its GOPs are closed). Doing it
 * during the transcode puts the verification on CPU time the encoders leave idle, instead of after them.
 *
 * <p>Threads: a fixed pool of daemon threads named {@code kino-verify-<title>}, one per core by default; each check
 * decodes with one decoder thread from a temporary file in a scratch folder beside the title folder
 * ({@code <title folder>.verify}, removed by {@link #close()}), so the title folder only ever holds what is
 * published. {@link #written} is thread-safe (the encoder threads call it). {@link #close()} stops the
 * pool and waits for running checks, so a failed or cancelled job can delete the title folder without a check still
 * writing into it.
 */
public final class SegmentVerifier implements AutoCloseable {
    /**
     * The outcome of one segment's check.
     *
     * @param frames frames decoded, or packets read when the copy was only demuxed
     * @param packetDigest SHA-256 over the segment's packets (4-byte big-endian size, then bytes, for each)
     */
    public record Result(long frames, byte[] packetDigest) {
    }

    private final Path dir;
    private final Path scratch;
    private final String titleId;
    private final ExecutorService pool;
    private final List<Future<?>> pending = new ArrayList<>();
    private final Map<String, SortedMap<Integer, Result>> results = new ConcurrentHashMap<>();
    private volatile PackagingException failure;
    private volatile boolean closed;

    /**
     * @param dir the title folder being written
     * @param titleId for messages and thread names
     * @param threads verifier threads (at least 1)
     * @throws PackagingException when the scratch folder cannot be created
     */
    public SegmentVerifier(Path dir, String titleId, int threads) {
        this.dir = dir;
        this.titleId = titleId;
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

    /** @param dir the title folder being written @param titleId for messages @return a verifier, a thread per core */
    public static SegmentVerifier perCore(Path dir, String titleId) {
        return new SegmentVerifier(dir, titleId, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Queues the check of a segment that was just written (completely) to disk.
     *
     * @param track the track it belongs to (its format known)
     * @param copy index into {@link SegmentedTrack#copies()}
     * @param segment the segment as written
     */
    public void written(SegmentedTrack track, int copy, SegmentInfo segment) {
        if (closed || failure != null) {
            return;
        }
        SegmentCopy c = track.copies().get(copy);
        boolean decode = copy == 0;
        Future<?> f = pool.submit(() -> {
            if (closed || failure != null) {
                return;
            }
            try {
                Result r = check(c, segment, decode);
                results.computeIfAbsent(c.folder(), k -> new ConcurrentSkipListMap<>()).put(segment.number(), r);
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

    private Result check(SegmentCopy c, SegmentInfo s, boolean decode) {
        String what = titleId + ": " + s.file();
        Path tmp = scratch.resolve(c.folder().replace('/', '-') + "-" + s.number() + ".mp4");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(Files.readAllBytes(dir.resolve(c.folder()).resolve(SegmentedTrack.INIT)));
                byte[] b = Files.readAllBytes(dir.resolve(s.file()));
                if (c.aes128Key() != null) {
                    b = Aes128Segments.decrypt(c.aes128Key(), HlsAes128.ivForMediaSequence(s.number() - 1), b);
                }
                out.write(b);
            }
            String key = c.cenc().map(e -> e.key().toHex()).orElse(null);
            java.security.MessageDigest md = OutputVerifier.sha256();
            long frames = OutputVerifier.read(tmp, key, AVMEDIA_TYPE_VIDEO, what, 1, md, decode);
            return new Result(frames, md.digest());
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
