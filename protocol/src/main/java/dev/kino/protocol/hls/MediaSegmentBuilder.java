package dev.kino.protocol.hls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link MediaSegment}. Obtain one with {@link MediaSegment#builder()}; {@link #uri(String)} and
 * {@link #duration(Duration)} are required.
 */
public final class MediaSegmentBuilder {

    private String uri;
    private Duration duration;
    private String title = "";
    private ByteRange byteRange;
    private boolean discontinuity;
    private final List<EncryptionKey> keys = new ArrayList<>();
    private MediaInitializationSection map;

    MediaSegmentBuilder() {
    }

    /**
     * Sets the segment URI (required).
     *
     * @param uri relative or absolute URI; must not be blank, start with {@code #} or contain CR/LF
     * @return this builder
     */
    public MediaSegmentBuilder uri(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
        return this;
    }

    /**
     * Sets the {@code EXTINF} duration (required). Durations with a fractional part need protocol version 3
     * (RFC 8216 §7).
     *
     * @param duration positive; nanosecond precision is kept
     * @return this builder
     */
    public MediaSegmentBuilder duration(Duration duration) {
        this.duration = Objects.requireNonNull(duration, "duration");
        return this;
    }

    /**
     * Sets the {@code EXTINF} duration in seconds, e.g. {@code 5.005}; the decimal string form of the
     * double is used ({@link Double#toString}), so {@code 5.005} stays exactly 5.005 s.
     *
     * @param seconds positive, finite
     * @return this builder
     * @throws IllegalArgumentException if not finite
     */
    public MediaSegmentBuilder durationSeconds(double seconds) {
        if (!Double.isFinite(seconds)) {
            throw new IllegalArgumentException("segment duration must be finite: " + seconds);
        }
        this.duration = Formats.parseSeconds(new java.math.BigDecimal(Double.toString(seconds)).toPlainString());
        return this;
    }

    /**
     * Sets the {@code EXTINF} title (default empty).
     *
     * @param title free text without CR or LF
     * @return this builder
     */
    public MediaSegmentBuilder title(String title) {
        this.title = Objects.requireNonNull(title, "title");
        return this;
    }

    /**
     * Sets the {@code EXT-X-BYTERANGE}; needs protocol version 4 (RFC 8216 §7).
     *
     * @param byteRange the range; without offset only if the previous segment is a sub-range of the same URI
     * @return this builder
     */
    public MediaSegmentBuilder byteRange(ByteRange byteRange) {
        this.byteRange = Objects.requireNonNull(byteRange, "byteRange");
        return this;
    }

    /**
     * Sets whether an {@code EXT-X-DISCONTINUITY} precedes the segment (default false).
     *
     * @param discontinuity true to write the tag
     * @return this builder
     */
    public MediaSegmentBuilder discontinuity(boolean discontinuity) {
        this.discontinuity = discontinuity;
        return this;
    }

    /**
     * Adds a key in effect for the segment.
     *
     * @param key a key whose method is not {@link KeyMethod#NONE}
     * @return this builder
     */
    public MediaSegmentBuilder addKey(EncryptionKey key) {
        keys.add(Objects.requireNonNull(key, "key"));
        return this;
    }

    /**
     * Sets the keys in effect for the segment, replacing any added before.
     *
     * @param keys keys with distinct {@link EncryptionKey#effectiveKeyFormat() key formats}
     * @return this builder
     */
    public MediaSegmentBuilder keys(List<EncryptionKey> keys) {
        this.keys.clear();
        keys.forEach(this::addKey);
        return this;
    }

    /**
     * Sets the Media Initialization Section in effect; needs protocol version 5, or 6 outside I-frame
     * playlists (RFC 8216 §7).
     *
     * @param map the {@code EXT-X-MAP}
     * @return this builder
     */
    public MediaSegmentBuilder map(MediaInitializationSection map) {
        this.map = Objects.requireNonNull(map, "map");
        return this;
    }

    /**
     * Validates and builds the segment.
     *
     * @return the segment
     * @throws IllegalArgumentException if the URI or duration is missing or invalid, the title has CR/LF, a key
     *         has method {@code NONE}, or two keys share a {@code KEYFORMAT}
     */
    public MediaSegment build() {
        if (uri == null) {
            throw new IllegalArgumentException("segment URI is required");
        }
        PlaylistValues.uriLine("segment URI", uri);
        if (duration == null) {
            throw new IllegalArgumentException("segment duration (EXTINF) is required for " + uri);
        }
        PlaylistValues.positive("segment duration (EXTINF) of " + uri, duration);
        PlaylistValues.noLineBreak("EXTINF title", title);
        Set<String> formats = new HashSet<>();
        for (EncryptionKey k : keys) {
            if (k.method() == KeyMethod.NONE) {
                throw new IllegalArgumentException("a segment key cannot have METHOD=NONE; an unencrypted segment "
                        + "has no keys");
            }
            if (!formats.add(k.effectiveKeyFormat())) {
                throw new IllegalArgumentException("two keys with KEYFORMAT \"" + k.effectiveKeyFormat()
                        + "\" apply to segment " + uri);
            }
        }
        return new MediaSegment(uri, duration, title, byteRange, discontinuity, List.copyOf(keys), map);
    }
}
