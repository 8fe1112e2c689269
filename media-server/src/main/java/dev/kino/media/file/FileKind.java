package dev.kino.media.file;

/** What a published file is for; decides its caching, compression and metrics label. */
public enum FileKind {
    /** HLS playlists and DASH MPDs: short max-age, gzip when the client accepts it. */
    PLAYLIST("playlist"),
    /** Initialization sections and media segments: long max-age, {@code immutable}, never compressed. */
    SEGMENT("segment"),
    /** WebVTT subtitle and thumbnail tracks: playlist max-age. */
    TEXT_TRACK("text-track"),
    /** Thumbnail sprites and posters: segment max-age, without {@code immutable} (a poster may change). */
    IMAGE("image");

    private final String label;

    FileKind(String label) {
        this.label = label;
    }

    /** @return the metrics label */
    public String label() {
        return label;
    }
}
