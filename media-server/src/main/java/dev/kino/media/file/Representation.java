package dev.kino.media.file;

import dev.kino.http.ContentCoding;
import dev.kino.http.Conditional;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The representation (RFC 9110 §3.2) that answers one request for a published file: either the open file itself
 * (identity coding, sent zero-copy) or a body in memory (the gzip coding of a playlist, or an MPD with this
 * viewer's licence URL), with the validators that belong to exactly these bytes. Chosen by
 * {@link Representations}; the receiver owns {@link #channel()} and must {@link #close()} it unless a file region
 * takes it over.
 *
 * @param type the file's type (Content-Type, kind)
 * @param file the file as opened
 * @param etag the strong entity tag of these bytes: the file's, or derived from it ({@code -gz}, {@code -ck…})
 * @param coding the content coding of the body
 * @param channel the open file when the body is the file, else null
 * @param body the body in memory, else null
 * @param shared the shared open file the body is, with a reference this representation releases (then
 *               {@code channel} is its channel and must not be closed), else null
 */
public record Representation(FileType type, FileMeta file, String etag, String coding, FileChannel channel,
                             byte[] body, SharedFile shared) {

    /** A representation of its own open file, or of bytes in memory. */
    public Representation(FileType type, FileMeta file, String etag, String coding, FileChannel channel, byte[] body) {
        this(type, file, etag, coding, channel, body, null);
    }

    /**
     * @param of a file opened by {@link MediaFiles#openBlocking}
     * @param type its type
     * @return the file itself as the representation
     */
    static Representation ofFile(MediaFiles.OpenFile of, FileType type) {
        return new Representation(type, of.meta(), of.meta().etag(), ContentCoding.IDENTITY, of.channel(), null);
    }

    /**
     * @param etag a strong entity tag, quoted
     * @param suffix text to add inside the quotes ({@code -gz}, {@code -ck…})
     * @return the tag of a representation derived from the one {@code etag} names
     */
    static String suffixed(String etag, String suffix) {
        return etag.substring(0, etag.length() - 1) + suffix + "\"";
    }

    /** @return the body length, bytes */
    public long length() {
        return body != null ? body.length : file.size();
    }

    /**
     * Adds the headers every answer about this representation carries, 304 included (RFC 9110 §15.4.5):
     * {@code Cache-Control}, {@code ETag}, {@code Last-Modified} and, for playlists (which have a gzip coding),
     * {@code Vary: Accept-Encoding}.
     *
     * @param cache the Cache-Control policy
     * @param out the response headers
     */
    public void validators(CachePolicy cache, HttpHeaders out) {
        out.set(HttpHeaderNames.CACHE_CONTROL, cache.cacheControl(type.kind()));
        out.set(HttpHeaderNames.ETAG, etag);
        out.set(HttpHeaderNames.LAST_MODIFIED, file.lastModifiedHttp());
        if (type.kind() == FileKind.PLAYLIST) {
            out.set(HttpHeaderNames.VARY, "Accept-Encoding");
        }
    }

    /**
     * Adds the headers that describe the body: {@code Content-Type}, {@code Content-Encoding} when coded.
     *
     * @param out the response headers
     */
    public void content(HttpHeaders out) {
        out.set(HttpHeaderNames.CONTENT_TYPE, type.contentType());
        if (!ContentCoding.IDENTITY.equals(coding)) {
            out.set(HttpHeaderNames.CONTENT_ENCODING, coding);
        }
    }

    /** Closes the open file, or releases the shared one, if any (once). */
    public void close() {
        if (shared != null) {
            shared.release();
        } else if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
