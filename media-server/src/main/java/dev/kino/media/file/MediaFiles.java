package dev.kino.media.file;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kino.http.ContentCoding;
import dev.kino.media.MediaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * Opens published files under the media root. Every method here blocks: callers run them on the
 * server's bounded blocking executor, never on an event loop ({@code toRealPath()}, the containment check,
 * {@code stat}, {@code open} and reads all happen there).
 *
 * <p>A {@link MediaPath} is already safe by construction; the real-path check is the second wall: a
 * symbolic link leading outside the real media root answers 404, as does anything that is not a regular
 * file. Metadata is cached for {@value #META_TTL_MILLIS} ms (Caffeine), so a republished title is seen
 * within that time; a file replaced between the cached stat and the open is detected by its size and
 * stat-ed again.
 */
public final class MediaFiles {
    static final long META_TTL_MILLIS = 2_000;
    /** Largest playlist compressed in memory; bigger ones are sent as they are. */
    static final int MAX_COMPRESSIBLE_BYTES = 8 << 20;

    private final Path realRoot;
    private final Cache<String, FileMeta> meta = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(META_TTL_MILLIS)).maximumSize(50_000).build();
    private final Cache<String, byte[]> gzipped = Caffeine.newBuilder()
            .maximumWeight(64L << 20).weigher((String k, byte[] v) -> v.length + k.length()).build();
    /** Largest file kept in memory whole (playlists, MPDs, initialization sections, audio segments). */
    static final int MAX_HOT_BYTES = 512 << 10;
    /**
     * Small published files in memory, whole and (for playlists) gzip-compressed, by path: answered on the event loop
     * with no file system call. Kept as long as metadata ({@value #META_TTL_MILLIS} ms), so a re-published file is
     * served within that time; a take-down is refused before any lookup. Its upkeep (read buffers, expiry: no
     * listener, no I/O) runs on the thread that reads, an event loop: Caffeine's default hands it to the common
     * fork-join pool, and waking a pool thread every few reads showed as ~2 % of the playlist profile.
     */
    private final Cache<String, HotFile> hot = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(Duration.ofMillis(META_TTL_MILLIS)).maximumWeight(128L << 20)
            .weigher((String k, HotFile v) -> v.weight()).build();
    /**
     * Open media segments shared by every request (see {@link SharedFile}), by path, kept as long as metadata so a
     * re-published file is opened again within {@value #META_TTL_MILLIS} ms.
     */
    private final Cache<String, SharedFile> shared = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(META_TTL_MILLIS)).maximumSize(4_096)
            .removalListener((String k, SharedFile v, com.github.benmanes.caffeine.cache.RemovalCause c) -> {
                if (v != null) {
                    v.release();
                }
            }).build();
    /** Licence URL substitution plans of MPDs by path and entity tag: scanned once per file version. */
    private final Cache<String, MpdLicenceUrl> licenceUrlMpds = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(2_000).build();

    /**
     * @param realRoot the media root, already {@code toRealPath()}-ed
     */
    public MediaFiles(Path realRoot) {
        this.realRoot = realRoot;
    }

    /** @return the real media root */
    public Path realRoot() {
        return realRoot;
    }

    /**
     * A small published file held in memory.
     *
     * @param meta its metadata and validators when read
     * @param bytes its content
     * @param gzip its gzip coding (playlists and MPDs), or null
     */
    public record HotFile(FileMeta meta, byte[] bytes, byte[] gzip) {
        int weight() {
            return bytes.length + (gzip == null ? 0 : gzip.length) + 256;
        }
    }

    /**
     * Non-blocking: event loops may call it.
     *
     * @return the file in memory, or null when it is not (yet) there
     */
    public HotFile hot(MediaPath path) {
        return hot.getIfPresent(path.relative());
    }

    /**
     * Non-blocking: event loops may call it.
     *
     * @return the open file with a reference for the caller, or null when it is not open (yet)
     */
    public SharedFile sharedNow(MediaPath path) {
        SharedFile f = shared.getIfPresent(path.relative());
        return f != null && f.retain() ? f : null;
    }

    /**
     * Keeps a file opened by {@link #openBlocking} open for the next requests.
     *
     * @return it as a shared file, with a reference for the caller
     */
    public SharedFile share(MediaPath path, OpenFile file) {
        SharedFile f = new SharedFile(file.meta(), file.channel());
        f.retain();
        shared.put(path.relative(), f);
        return f;
    }

    /**
     * Reads a small file into memory (and compresses it when asked) from the file as opened. Blocking.
     *
     * @param compress true for playlists and MPDs (they have a gzip coding)
     * @return the file in memory, or null when it is too big to hold
     * @throws UncheckedIOException when it cannot be read
     */
    public HotFile makeHotBlocking(MediaPath path, OpenFile file, boolean compress) {
        if (file.meta().size() > MAX_HOT_BYTES) {
            return null;
        }
        byte[] bytes = bytesBlocking(file);
        HotFile h = new HotFile(file.meta(), bytes, compress ? ContentCoding.gzip(bytes) : null);
        hot.put(path.relative(), h);
        return h;
    }

    /**
     * An open published file. The receiver owns {@code channel} and must close it (a
     * {@code DefaultFileRegion} or {@code ChunkedNioFile} does when released).
     *
     * @param meta the file's metadata and validators
     * @param channel the open file
     */
    public record OpenFile(FileMeta meta, FileChannel channel) {
    }

    /**
     * Blocking: call only on the blocking executor.
     *
     * @param path a validated path
     * @return the open file; the caller owns its channel
     * @throws MediaException 404 when nothing servable is there
     */
    public OpenFile openBlocking(MediaPath path) {
        return openNow(path);
    }

    /**
     * Blocking: call only on the blocking executor.
     *
     * @param path a validated path (a playlist)
     * @param m the metadata of the file as opened
     * @return the gzip-compressed bytes (cached by entity tag), or null when the file is too big to
     *     compress in memory
     * @throws UncheckedIOException when the file cannot be read
     */
    public byte[] gzipBlocking(MediaPath path, FileMeta m) {
        if (m.size() > MAX_COMPRESSIBLE_BYTES) {
            return null;
        }
        return gzipped.get(path.relative() + "|" + m.etag(), k -> {
            try {
                return ContentCoding.gzip(Files.readAllBytes(m.path()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * @param raw bytes
     * @return them gzip-compressed
     */
    public static byte[] gzip(byte[] raw) {
        return ContentCoding.gzip(raw);
    }

    /**
     * The licence URL substitution plan of an MPD ({@link MpdLicenceUrl}), cached by path and entity tag. The
     * bytes are read from the open file itself (positional reads: the channel can still be sent afterwards), so
     * the plan belongs to exactly the version {@code file.meta()} describes. Blocking: call only on the blocking
     * executor.
     *
     * @param path a validated path (an MPD)
     * @param file the file as opened by {@link #openBlocking}
     * @return the plan; {@link MpdLicenceUrl#UNCHANGED} for a file too big to rewrite in memory
     * @throws UncheckedIOException when the file cannot be read
     */
    public MpdLicenceUrl licenceUrlMpdBlocking(MediaPath path, OpenFile file) {
        FileMeta m = file.meta();
        if (m.size() > MAX_COMPRESSIBLE_BYTES) {
            return MpdLicenceUrl.UNCHANGED;
        }
        return licenceUrlMpds.get(path.relative() + "|" + m.etag(), k -> {
            ByteBuffer buf = ByteBuffer.allocate((int) m.size());
            try {
                while (buf.hasRemaining()) {
                    if (file.channel().read(buf, buf.position()) < 0) {
                        throw new IOException("the file shrank while being read");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return MpdLicenceUrl.of(buf.array());
        });
    }

    /**
     * Reads a published file as opened (positional reads: the channel can still be sent afterwards). Blocking.
     *
     * @param file the file as opened by {@link #openBlocking}
     * @return its bytes
     * @throws MediaException 500 {@code too-large} for a file over the in-memory limit (playlists and MPDs never are)
     * @throws UncheckedIOException when it cannot be read
     */
    public byte[] bytesBlocking(OpenFile file) {
        FileMeta m = file.meta();
        if (m.size() > MAX_COMPRESSIBLE_BYTES) {
            throw new MediaException(500, "too-large", "File too large", "a playlist or MPD over "
                    + MAX_COMPRESSIBLE_BYTES + " bytes cannot be rewritten for this viewer");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) m.size());
        try {
            while (buf.hasRemaining()) {
                if (file.channel().read(buf, buf.position()) < 0) {
                    throw new IOException("the file shrank while being read");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.array();
    }

    /**
     * Reads a small file of a title that is not served publicly (for example the wrapped-key file),
     * with the same containment rules. Blocking: call only on the blocking executor.
     *
     * @param title the title id (validated)
     * @param fileName a plain file name
     * @return the bytes, or null when the file does not exist
     * @throws IOException when it cannot be read
     */
    public byte[] readInternal(String title, String fileName) throws IOException {
        Path p = realRoot.resolve(title).resolve(fileName);
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!real.startsWith(realRoot) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readAllBytes(real);
    }

    private OpenFile openNow(MediaPath path) {
        String key = path.relative();
        for (int attempt = 0; attempt < 2; attempt++) {
            FileMeta m = meta.get(key, k -> stat(path));
            if (m == null) {
                throw MediaException.notFound("no such file");
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(m.path(), StandardOpenOption.READ);
            } catch (IOException e) {
                meta.invalidate(key);
                continue;
            }
            try {
                if (ch.size() == m.size()) {
                    return new OpenFile(m, ch);
                }
            } catch (IOException e) {
                // fall through: stat again
            }
            closeQuietly(ch);
            meta.invalidate(key);
        }
        throw MediaException.notFound("the file changed while being opened");
    }

    private FileMeta stat(MediaPath path) {
        Path p = realRoot;
        p = p.resolve(path.title().value());
        for (String s : path.segments()) {
            p = p.resolve(s);
        }
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(realRoot)) {
                return null; // a symbolic link out of the media root
            }
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return null;
            }
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return FileMeta.of(real, a.size(), nanos, a.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    /** Forgets cached metadata (tests, take-downs). */
    public void invalidateAll() {
        meta.invalidateAll();
        hot.invalidateAll();
        shared.invalidateAll();
        gzipped.invalidateAll();
        licenceUrlMpds.invalidateAll();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
