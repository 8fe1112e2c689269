package dev.kino.protocol.hls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Media Segment of a {@link MediaPlaylist} (RFC 8216 §3, §4.3.2): its URI, {@code EXTINF} duration and
 * title, optional {@code EXT-X-BYTERANGE}, whether an {@code EXT-X-DISCONTINUITY} precedes it, and the
 * encryption keys and Media Initialization Section <em>in effect</em> for it.
 *
 * <p>Keys and the initialization section are per segment in the model, as a player sees them; the
 * {@link PlaylistWriter} emits {@code EXT-X-KEY} and {@code EXT-X-MAP} only where they change, and the
 * {@link PlaylistParser} carries them forward onto every following segment. Immutable; build one with
 * {@link #builder()}.
 */
public final class MediaSegment {

    private final String uri;
    private final Duration duration;
    private final String title;
    private final ByteRange byteRange;
    private final boolean discontinuity;
    private final List<EncryptionKey> keys;
    private final MediaInitializationSection map;

    MediaSegment(String uri, Duration duration, String title, ByteRange byteRange, boolean discontinuity,
                 List<EncryptionKey> keys, MediaInitializationSection map) {
        this.uri = uri;
        this.duration = duration;
        this.title = title;
        this.byteRange = byteRange;
        this.discontinuity = discontinuity;
        this.keys = keys;
        this.map = map;
    }

    /**
     * Starts building a segment.
     *
     * @return a new builder
     */
    public static MediaSegmentBuilder builder() {
        return new MediaSegmentBuilder();
    }

    /**
     * Shortcut for an unencrypted segment without title, byte range or initialization section.
     *
     * @param uri the segment URI
     * @param duration the segment duration, positive
     * @return the segment
     * @throws IllegalArgumentException if the URI or duration is invalid
     */
    public static MediaSegment of(String uri, Duration duration) {
        return builder().uri(uri).duration(duration).build();
    }

    /**
     * Returns the segment URI, written on its own line.
     *
     * @return the URI as written, relative to the playlist or absolute
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns the {@code EXTINF} duration: exact to the nanosecond, written in seconds as a decimal number
     * without exponent or trailing zeros (whole seconds are written as integers).
     *
     * @return the duration, positive
     */
    public Duration duration() {
        return duration;
    }

    /**
     * Returns the human-readable {@code EXTINF} title.
     *
     * @return the title, empty if none
     */
    public String title() {
        return title;
    }

    /**
     * Returns the {@code EXT-X-BYTERANGE} of the segment within the resource at {@link #uri()}.
     *
     * @return the range in bytes, or empty if the segment is the whole resource
     */
    public Optional<ByteRange> byteRange() {
        return Optional.ofNullable(byteRange);
    }

    /**
     * Returns whether an {@code EXT-X-DISCONTINUITY} tag precedes this segment (RFC 8216 §4.3.2.3).
     *
     * @return true if there is a discontinuity between the previous segment and this one
     */
    public boolean discontinuity() {
        return discontinuity;
    }

    /**
     * Returns the keys in effect for this segment, at most one per {@code KEYFORMAT}.
     *
     * @return the keys; empty if the segment is not encrypted. Never contains a {@link KeyMethod#NONE} key
     */
    public List<EncryptionKey> keys() {
        return keys;
    }

    /**
     * Returns the Media Initialization Section ({@code EXT-X-MAP}) in effect for this segment.
     *
     * @return the section, or empty if the segments need none (e.g. MPEG-2 TS)
     */
    public Optional<MediaInitializationSection> map() {
        return Optional.ofNullable(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaSegment s && s.uri.equals(uri) && s.duration.equals(duration) && s.title.equals(title)
                && Objects.equals(s.byteRange, byteRange) && s.discontinuity == discontinuity && s.keys.equals(keys)
                && Objects.equals(s.map, map);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, duration, title, byteRange, discontinuity, keys, map);
    }

    @Override
    public String toString() {
        return "MediaSegment{uri=" + uri + ", duration=" + Formats.seconds(duration)
                + (title.isEmpty() ? "" : ", title=" + title) + (byteRange == null ? "" : ", byteRange=" + byteRange)
                + (discontinuity ? ", discontinuity" : "") + (keys.isEmpty() ? "" : ", keys=" + keys)
                + (map == null ? "" : ", map=" + map) + '}';
    }
}
