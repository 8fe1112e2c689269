package dev.kino.media.file;

import dev.kino.http.ContentCoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides what representation answers a request for a published file ({@link Representation}), apart from
 * routing (which file) and writing (status, range, bytes on the wire):
 *
 * <ul>
 *   <li>content coding: gzip for playlists and MPDs when the client accepts it ({@link AcceptEncoding}) and
 *       asked for no range (a range of a compressed body would be a range of other bytes); never for segments;</li>
 *   <li>body: the open file (zero-copy), the cached gzip bytes, or an MPD with this viewer's licence URL
 *       ({@link MpdLicenceUrl});</li>
 *   <li>validators: the file's strong entity tag, or one derived from it for every other byte sequence
 *       ({@code -gz} for gzip, {@code -ck<hash of the URL>} for an MPD with a licence URL), so every
 *       (file version, coding, viewer) has its own strong tag.</li>
 * </ul>
 *
 * File system work (open, stat, read, compress) runs on the blocking executor, never on an event loop.
 */
public final class Representations {
    private static final Logger LOG = LoggerFactory.getLogger(Representations.class);

    private final MediaFiles files;
    private final Executor blocking;

    /**
     * @param files the published files
     * @param blocking the bounded executor for file system work
     */
    public Representations(MediaFiles files, Executor blocking) {
        this.files = files;
        this.blocking = blocking;
    }

    /**
     * @param path the file
     * @param type its type
     * @param acceptEncoding the request's {@code Accept-Encoding}, or null
     * @param ranged true when the request has a {@code Range} field
     * @param licenceUrl for an MPD, this viewer's absolute ClearKey licence URL (or null): it replaces the
     *     packager's relative one
     * @return the representation, completed off the event loop; failed with a 404 {@code MediaException} when
     *     nothing is servable there, or {@link RejectedExecutionException} when the executor is saturated
     */
    public CompletableFuture<Representation> select(MediaPath path, FileType type, String acceptEncoding, boolean ranged,
                                                    String licenceUrl) {
        return select(path, type, acceptEncoding, ranged, licenceUrl, 0, false);
    }

    /**
     * {@link #select(MediaPath, FileType, String, boolean, String)} for a viewer whose grant caps the renditions:
     * the multivariant playlist and the MPD list only those within {@code maxHeight} ({@link RenditionCap}), with an
     * entity tag of their own ({@code -h<cap>}).
     *
     * @param maxHeight the grant's rendition cap in pixels, 0 for none
     * @param zeroCopy true when the answer goes out with sendfile (plain TCP): a media segment is then kept open and
     *                 shared ({@link SharedFile}); false under TLS or HTTP/2
     */
    public CompletableFuture<Representation> select(MediaPath path, FileType type, String acceptEncoding, boolean ranged,
                                                    String licenceUrl, int maxHeight, boolean zeroCopy) {
        String coding = type.kind() == FileKind.PLAYLIST && !ranged
                ? (ContentCoding.prefersGzip(acceptEncoding) ? ContentCoding.GZIP : ContentCoding.IDENTITY) : ContentCoding.IDENTITY;
        try {
            return CompletableFuture.supplyAsync(() -> selectBlocking(path, type, coding, licenceUrl, maxHeight, zeroCopy),
                    blocking);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The representation of a file already in memory, chosen on the calling thread (an event loop) with no file system
     * call: what most playlist, initialization section and audio segment requests get.
     *
     * @return the representation, or null when the file is not in memory or this viewer needs a body of their own
     *     (an MPD with a licence URL, a capped multivariant playlist): then {@link #select} is the way
     */
    public Representation selectInMemory(MediaPath path, FileType type, String acceptEncoding, boolean ranged,
                                         String licenceUrl, int maxHeight, boolean zeroCopy) {
        boolean isMpd = type.contentType().equals(FileType.MPD_CONTENT_TYPE);
        if ((isMpd && (licenceUrl != null || maxHeight > 0))
                || (maxHeight > 0 && path.fileName().equals(dev.kino.protocol.token.MediaPaths.MASTER_PLAYLIST))) {
            return null;
        }
        MediaFiles.HotFile h = files.hot(path);
        if (h != null) {
            return inMemory(h, type, acceptEncoding, ranged);
        }
        if (type.kind() == FileKind.SEGMENT && zeroCopy) {
            SharedFile f = files.sharedNow(path);
            if (f != null) {
                return new Representation(type, f.meta(), f.meta().etag(), ContentCoding.IDENTITY, null, null, f);
            }
        }
        return null;
    }

    /**
     * Playlists, MPDs, text tracks and initialization sections are held in memory; media segments are sent from the
     * file with zero copy (sendfile), which costs no heap and no copying however many there are.
     */
    private static boolean hotKind(MediaPath path, FileType type) {
        return type.kind() == FileKind.PLAYLIST || type.kind() == FileKind.TEXT_TRACK
                || (type.kind() == FileKind.SEGMENT && path.fileName().startsWith("init"));
    }

    private static Representation inMemory(MediaFiles.HotFile h, FileType type, String acceptEncoding, boolean ranged) {
        boolean gzip = type.kind() == FileKind.PLAYLIST && !ranged && h.gzip() != null
                && ContentCoding.prefersGzip(acceptEncoding);
        return gzip ? new Representation(type, h.meta(), Representation.suffixed(h.meta().etag(), "-gz"),
                ContentCoding.GZIP, null, h.gzip())
                : new Representation(type, h.meta(), h.meta().etag(), ContentCoding.IDENTITY, null, h.bytes());
    }

    /** Blocking: opens the file and chooses its body. */
    Representation selectBlocking(MediaPath path, FileType type, String coding, String licenceUrl, int maxHeight,
                                  boolean zeroCopy) {
        MediaFiles.OpenFile of = files.openBlocking(path);
        Representation file = Representation.ofFile(of, type);
        try {
            boolean isMpd = type.contentType().equals(FileType.MPD_CONTENT_TYPE);
            if (maxHeight > 0 && (isMpd || path.fileName().equals(dev.kino.protocol.token.MediaPaths.MASTER_PLAYLIST))) {
                Representation capped = capped(path, of, type, coding, isMpd ? licenceUrl : null, maxHeight);
                file.close();
                return capped;
            }
            if (licenceUrl != null && type.contentType().equals(FileType.MPD_CONTENT_TYPE)) {
                Representation mpd = withLicenceUrl(path, of, type, coding, licenceUrl);
                if (mpd != null) {
                    file.close();
                    return mpd;
                }
            }
            if ((!isMpd || licenceUrl == null) && hotKind(path, type)) {
                // small and the same for every viewer: keep it in memory for the next requests
                MediaFiles.HotFile h = files.makeHotBlocking(path, of, type.kind() == FileKind.PLAYLIST);
                if (h != null) {
                    file.close();
                    return inMemory(h, type, ContentCoding.GZIP.equals(coding) ? "gzip" : null, false);
                }
            }
            if (type.kind() == FileKind.SEGMENT && zeroCopy) {
                // a media segment: keep it open for the next requests (they then never leave the event loop)
                SharedFile f = files.share(path, of);
                return new Representation(type, of.meta(), of.meta().etag(), ContentCoding.IDENTITY, null, null, f);
            }
            if (ContentCoding.GZIP.equals(coding)) {
                byte[] gz = files.gzipBlocking(path, of.meta());
                if (gz != null) {
                    file.close();
                    return new Representation(type, of.meta(), Representation.suffixed(of.meta().etag(), "-gz"), coding, null, gz);
                }
            }
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        return file;
    }

    /** The multivariant playlist or MPD (with this viewer's licence URL) listing only the renditions in the cap. */
    private Representation capped(MediaPath path, MediaFiles.OpenFile of, FileType type, String coding, String licenceUrl,
                                  int maxHeight) {
        byte[] body = null;
        String etag = of.meta().etag();
        if (licenceUrl != null) {
            MpdLicenceUrl plan = files.licenceUrlMpdBlocking(path, of);
            if (plan.changes()) {
                body = plan.render(licenceUrl);
                etag = Representation.suffixed(etag, "-ck" + urlHash(licenceUrl));
            }
        }
        if (body == null) {
            body = files.bytesBlocking(of);
        }
        body = type.contentType().equals(FileType.MPD_CONTENT_TYPE) ? RenditionCap.mpd(body, maxHeight)
                : RenditionCap.multivariant(body, maxHeight);
        etag = Representation.suffixed(etag, "-h" + maxHeight);
        return ContentCoding.GZIP.equals(coding)
                ? new Representation(type, of.meta(), Representation.suffixed(etag, "-gz"), coding, null, ContentCoding.gzip(body))
                : new Representation(type, of.meta(), etag, ContentCoding.IDENTITY, null, body);
    }

    /** The MPD with the licence URL, or null to serve the file as it is (no placeholder, or too big). */
    private Representation withLicenceUrl(MediaPath path, MediaFiles.OpenFile of, FileType type, String coding,
                                          String licenceUrl) {
        byte[] body;
        try {
            MpdLicenceUrl plan = files.licenceUrlMpdBlocking(path, of);
            if (!plan.changes()) {
                return null;
            }
            body = plan.render(licenceUrl);
        } catch (RuntimeException e) {
            LOG.warn("{}: served without the per-viewer ClearKey licence URL", path.relative(), e);
            return null;
        }
        String etag = Representation.suffixed(of.meta().etag(), "-ck" + urlHash(licenceUrl));
        return ContentCoding.GZIP.equals(coding)
                ? new Representation(type, of.meta(), Representation.suffixed(etag, "-gz"), coding, null, ContentCoding.gzip(body))
                : new Representation(type, of.meta(), etag, ContentCoding.IDENTITY, null, body);
    }

    /** 64 bits of SHA-256 of the URL, hex: tells tokens apart in an entity tag without revealing them. */
    private static String urlHash(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
