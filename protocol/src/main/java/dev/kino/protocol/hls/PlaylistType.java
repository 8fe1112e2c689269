package dev.kino.protocol.hls;

/** The value of {@code EXT-X-PLAYLIST-TYPE} (RFC 8216 §4.3.3.5). */
public enum PlaylistType {
    /** Segments are only ever appended; none is removed or changed. */
    EVENT,
    /** The playlist never changes. */
    VOD;

    /**
     * Looks up a playlist type by its enumerated-string.
     *
     * @param value {@code EVENT} or {@code VOD}, case-sensitive
     * @return the type
     * @throws IllegalArgumentException for any other value
     */
    public static PlaylistType of(String value) {
        for (PlaylistType t : values()) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown EXT-X-PLAYLIST-TYPE value '" + value + "' (expected EVENT or VOD)");
    }
}
