package dev.kino.media.file;

import java.time.Duration;

/**
 * Cache-Control values per kind of answer, from the configured max-ages (RFC 9111 §5.2.2).
 *
 * <ul>
 *   <li>playlists, MPDs, text tracks: {@code public, max-age=<playlistMaxAge>}</li>
 *   <li>segments and initialization sections: {@code public, max-age=<segmentMaxAge>, immutable}</li>
 *   <li>images: {@code public, max-age=<segmentMaxAge>}</li>
 *   <li>keys and licences: {@link #PRIVATE_NO_STORE}; errors: {@link #NO_STORE}</li>
 * </ul>
 *
 * <p>The values are made once, not per answer.
 */
public final class CachePolicy {
    /** For content keys, licences and token failures: only the requesting client, never stored. */
    public static final String PRIVATE_NO_STORE = "private, no-store";
    /** For every other error. */
    public static final String NO_STORE = "no-store";

    private final Duration playlistMaxAge;
    private final Duration segmentMaxAge;
    private final String[] byKind = new String[FileKind.values().length];

    /**
     * @param playlistMaxAge max-age of playlists
     * @param segmentMaxAge max-age of segments
     */
    public CachePolicy(Duration playlistMaxAge, Duration segmentMaxAge) {
        this.playlistMaxAge = playlistMaxAge;
        this.segmentMaxAge = segmentMaxAge;
        for (FileKind kind : FileKind.values()) {
            byKind[kind.ordinal()] = switch (kind) {
                case PLAYLIST, TEXT_TRACK -> "public, max-age=" + playlistMaxAge.toSeconds();
                case SEGMENT -> "public, max-age=" + segmentMaxAge.toSeconds() + ", immutable";
                case IMAGE -> "public, max-age=" + segmentMaxAge.toSeconds();
            };
        }
    }

    /** @return max-age of playlists, MPDs and text tracks */
    public Duration playlistMaxAge() {
        return playlistMaxAge;
    }

    /** @return max-age of segments, initialization sections and images */
    public Duration segmentMaxAge() {
        return segmentMaxAge;
    }

    /**
     * @param kind the file kind
     * @return the Cache-Control value
     */
    public String cacheControl(FileKind kind) {
        return byKind[kind.ordinal()];
    }
}
