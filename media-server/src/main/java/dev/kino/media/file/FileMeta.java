package dev.kino.media.file;

import io.netty.handler.codec.DateFormatter;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

/**
 * What the server knows about a published file without reading it, and the validators derived from it
 * (RFC 9110 §8.8).
 *
 * @param path real path of the file, inside the media root
 * @param size length, bytes
 * @param lastModified modification time, truncated to whole seconds (HTTP dates have no fractions)
 * @param etag strong entity tag with its quotes, e.g. {@code "1f4-18c2a…-3e1a"}: size, modification time
 *     in nanoseconds and a hash of the file key (inode), so a republished file (atomic rename) gets a new tag
 */
public record FileMeta(Path path, long size, Instant lastModified, String etag) {

    /**
     * @param path real path
     * @param size bytes
     * @param modifiedNanos modification time, nanoseconds since the epoch
     * @param fileKey the file system's file key (inode and device), or null
     * @return the metadata with its validators
     */
    public static FileMeta of(Path path, long size, long modifiedNanos, Object fileKey) {
        int keyHash = fileKey == null ? path.hashCode() : fileKey.hashCode();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedNanos) + "-"
                + Integer.toHexString(keyHash) + "\"";
        return new FileMeta(path, size, Instant.ofEpochSecond(Math.floorDiv(modifiedNanos, 1_000_000_000L)), etag);
    }

    /** @return the Last-Modified value (IMF-fixdate) */
    public String lastModifiedHttp() {
        return DateFormatter.format(Date.from(lastModified));
    }
}
