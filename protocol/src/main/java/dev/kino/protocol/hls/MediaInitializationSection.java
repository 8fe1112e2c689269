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

    private MediaInitializationSection(String uri, ByteRange byteRange) {
        this.uri = Checks.nonEmptyQuotedString("EXT-X-MAP URI", uri);
        this.byteRange = byteRange;
    }

    /**
     * The whole resource at {@code uri}.
     *
     * @param uri the URI, relative to the playlist or absolute
     * @return the section
     * @throws IllegalArgumentException if the URI is empty or contains {@code "}, CR or LF
     */
    public static MediaInitializationSection of(String uri) {
        return new MediaInitializationSection(uri, null);
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
        return new MediaInitializationSection(uri, byteRange);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaInitializationSection m && m.uri.equals(uri) && Objects.equals(m.byteRange, byteRange);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, byteRange);
    }

    @Override
    public String toString() {
        return "MediaInitializationSection{uri=" + uri + (byteRange == null ? "" : ", byteRange=" + byteRange) + '}';
    }
}
