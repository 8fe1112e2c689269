package dev.kino.protocol.hls;

import dev.kino.protocol.internal.Require;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A sub-range of a resource, in bytes, as written by {@code EXT-X-BYTERANGE:<n>[@<o>]} (RFC 8216 §4.3.2.2)
 * and the {@code BYTERANGE} attribute of {@code EXT-X-MAP} (§4.3.2.5).
 *
 * <p>Immutable; equal when length and offset are equal.
 */
public final class ByteRange {

    private final long length;
    private final long offset; // -1 when absent

    private ByteRange(long length, long offset) {
        this.length = Require.positive("byte range length", length);
        this.offset = offset;
    }

    /**
     * A range of {@code length} bytes starting at byte {@code offset} (0-based) of the resource.
     *
     * @param length number of bytes, positive
     * @param offset first byte, zero or positive
     * @return the range, written {@code length@offset}
     * @throws IllegalArgumentException if length is not positive or offset is negative
     */
    public static ByteRange of(long length, long offset) {
        return new ByteRange(length, Require.nonNegative("byte range offset", offset));
    }

    /**
     * A range of {@code length} bytes that starts right after the range of the previous Media Segment
     * (RFC 8216 §4.3.2.2: only valid for {@code EXT-X-BYTERANGE} when the previous segment is a sub-range
     * of the same resource).
     *
     * @param length number of bytes, positive
     * @return the range, written {@code length}
     * @throws IllegalArgumentException if length is not positive
     */
    public static ByteRange ofLength(long length) {
        return new ByteRange(length, -1);
    }

    /**
     * Returns the number of bytes in the range.
     *
     * @return the length in bytes, positive
     */
    public long length() {
        return length;
    }

    /**
     * Returns the 0-based offset of the first byte, if written.
     *
     * @return the offset in bytes, or empty when the range continues the previous segment's range
     */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * Formats the range as in RFC 8216 §4.3.2.2.
     *
     * @return {@code <length>[@<offset>]}, e.g. {@code 1024@512}
     */
    @Override
    public String toString() {
        return offset < 0 ? Long.toString(length) : length + "@" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRange r && r.length == length && r.offset == offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(length, offset);
    }
}
