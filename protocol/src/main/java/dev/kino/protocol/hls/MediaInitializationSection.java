package dev.kino.protocol.hls;

import java.util.Objects;
import java.util.Optional;

/**
 * A Media Initialization Section (e.g. a CMAF/fMP4 init segment), written as {@code EXT-X-MAP}
 * (RFC 8216 §4.3.2.5). Immutable.
 */
public final class MediaInitializationSection {

    private final String uri;
    private final ByteRange byteRange;
    private final boolean encrypted;

    private MediaInitializationSection(String uri, ByteRange byteRange, boolean encrypted) {
        this.uri = PlaylistValues.nonEmptyQuotedString("EXT-X-MAP URI", uri);
        this.byteRange = byteRange;
        this.encrypted = encrypted;
    }

    /**
     * The whole resource at {@code uri}.
     *
     * @param uri the URI, relative to the playlist or absolute
     * @return the section
     * @throws IllegalArgumentException if the URI is empty or contains {@code "}, CR or LF
     */
    public static MediaInitializationSection of(String uri) {
        return new MediaInitializationSection(uri, null, false);
    }

    /**
     * A byte range of the resource at {@code uri}.
     *
     * @param uri the URI, relative to the playlist or absolute
     * @param byteRange the bytes holding the section; must have an offset
     * @return the section
     * @throws IllegalArgumentException if the URI is invalid or the range has no offset
     */
    public static MediaInitializationSection of(String uri, ByteRange byteRange) {
        Objects.requireNonNull(byteRange, "byteRange");
        if (byteRange.offset().isEmpty()) {
            throw new IllegalArgumentException("EXT-X-MAP BYTERANGE needs an offset (length@offset): there is no "
                    + "previous sub-range to continue");
        }
        return new MediaInitializationSection(uri, byteRange, false);
    }

    /**
     * Returns the URI of the resource holding the section.
     *
     * @return the URI as written
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns the byte range of the section within its resource.
     *
     * @return the range, or empty if the section is the whole resource
     */
    public Optional<ByteRange> byteRange() {
        return Optional.ofNullable(byteRange);
    }

    /**
     * Whether the section itself is encrypted with the {@code METHOD=AES-128} key in effect where it is
     * declared. RFC 8216 §4.3.2.4 applies an {@code EXT-X-KEY} to every {@code EXT-X-MAP} that follows it, so
     * the writer declares a clear section (the default, as CMAF packagers write it) before any AES-128 key —
     * after an {@code EXT-X-KEY:METHOD=NONE} if one is in effect — and an encrypted one after its key, which
     * then needs an explicit IV (§4.3.2.5). Sample encryption (SAMPLE-AES, SAMPLE-AES-CTR) never makes the
     * section itself encrypted.
     *
     * @return true when the section's bytes are AES-128-CBC encrypted
     */
    public boolean encrypted() {
        return encrypted;
    }

    /**
     * @param encrypted whether the section's bytes are encrypted with the AES-128 key in effect
     * @return a copy of this section with that flag
     */
    public MediaInitializationSection withEncrypted(boolean encrypted) {
        return new MediaInitializationSection(uri, byteRange, encrypted);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaInitializationSection m && m.uri.equals(uri) && Objects.equals(m.byteRange, byteRange)
                && m.encrypted == encrypted;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, byteRange, encrypted);
    }

    @Override
    public String toString() {
        return "MediaInitializationSection{uri=" + uri + (byteRange == null ? "" : ", byteRange=" + byteRange)
                + (encrypted ? ", encrypted" : "") + '}';
    }
}
