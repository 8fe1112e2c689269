package dev.kino.protocol.hls;

/**
 * An HLS playlist: either a {@link MultivariantPlaylist} (RFC 8216 "Master Playlist", §4.3.4) or a
 * {@link MediaPlaylist} (§4.3.3). Use {@link PlaylistWriter#write(Playlist)} to produce its text and
 * {@link PlaylistParser#parse(String)} to read one.
 */
public sealed interface Playlist permits MultivariantPlaylist, MediaPlaylist {

    /** The highest {@code EXT-X-VERSION} a playlist may declare (draft-pantos-hls-rfc8216bis describes 12). */
    int MAX_VERSION = 12;

    /**
     * Returns the {@code EXT-X-VERSION} written for this playlist: the larger of {@link #requiredVersion()} and
     * the minimum version asked for when building (or declared in parsed text).
     *
     * @return the protocol version, 1 to {@value #MAX_VERSION}
     */
    int version();

    /**
     * Returns the lowest protocol version the features of this playlist need, per the list in RFC 8216 §7
     * "Protocol Version Compatibility" (draft-pantos-hls-rfc8216bis §8).
     *
     * @return the required version, at least 1
     */
    int requiredVersion();

    /**
     * Returns whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present (RFC 8216 §4.3.5.1): every segment can be
     * decoded without information from other segments.
     *
     * @return true if the tag is written
     */
    boolean independentSegments();
}
