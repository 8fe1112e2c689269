package dev.kino.protocol.hls;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Media Playlist (RFC 8216 §4.3.3): the list of Media Segments of one rendition, or of its I-frames.
 * Immutable; build one with {@link #builder()}, which computes or validates {@code EXT-X-TARGETDURATION} and
 * computes {@code EXT-X-VERSION}.
 *
 * <p>Units: segment durations are {@link java.time.Duration}s (exact to the nanosecond, written in seconds);
 * the target duration is whole seconds; sequence numbers are counts; byte ranges are bytes.
 */
public final class MediaPlaylist implements Playlist {

    private final int version;
    private final int requiredVersion;
    private final int targetDuration;
    private final long mediaSequence;
    private final long discontinuitySequence;
    private final PlaylistType playlistType;
    private final boolean iFramesOnly;
    private final boolean independentSegments;
    private final boolean endList;
    private final List<MediaSegment> segments;

    MediaPlaylist(int version, int requiredVersion, int targetDuration, long mediaSequence,
                  long discontinuitySequence, PlaylistType playlistType, boolean iFramesOnly,
                  boolean independentSegments, boolean endList, List<MediaSegment> segments) {
        this.version = version;
        this.requiredVersion = requiredVersion;
        this.targetDuration = targetDuration;
        this.mediaSequence = mediaSequence;
        this.discontinuitySequence = discontinuitySequence;
        this.playlistType = playlistType;
        this.iFramesOnly = iFramesOnly;
        this.independentSegments = independentSegments;
        this.endList = endList;
        this.segments = segments;
    }

    /**
     * Starts building a media playlist.
     *
     * @return a new builder
     */
    public static MediaPlaylistBuilder builder() {
        return new MediaPlaylistBuilder();
    }

    /**
     * Computes the lowest protocol version needed by the given content, per RFC 8216 §7:
     * <ul>
     *   <li>2: the {@code IV} attribute of {@code EXT-X-KEY};</li>
     *   <li>3: floating-point {@code EXTINF} durations (a duration that is not whole seconds);</li>
     *   <li>4: {@code EXT-X-BYTERANGE}, or {@code EXT-X-I-FRAMES-ONLY};</li>
     *   <li>5: an {@code EXT-X-KEY} with {@code METHOD=SAMPLE-AES}; the {@code KEYFORMAT} or
     *       {@code KEYFORMATVERSIONS} attributes; {@code EXT-X-MAP};</li>
     *   <li>6: {@code EXT-X-MAP} in a playlist without {@code EXT-X-I-FRAMES-ONLY}.</li>
     * </ul>
     * {@code SAMPLE-AES-CTR} (rfc8216bis) is not in the §7 list and needs no version by itself (in practice it
     * comes with {@code KEYFORMAT}, which needs 5). Versions 7 and up concern tags this model does not have.
     */
    static VersionRequirement requiredVersion(List<MediaSegment> segments, boolean iFramesOnly) {
        VersionRequirement r = VersionRequirement.BASELINE;
        if (iFramesOnly) {
            r = r.max(4, "EXT-X-I-FRAMES-ONLY needs version 4 (RFC 8216 §7)");
        }
        for (MediaSegment s : segments) {
            for (EncryptionKey k : s.keys()) {
                if (k.iv().isPresent()) {
                    r = r.max(2, "the IV attribute of EXT-X-KEY needs version 2 (RFC 8216 §7)");
                }
                if (k.method() == KeyMethod.SAMPLE_AES) {
                    r = r.max(5, "EXT-X-KEY with METHOD=SAMPLE-AES needs version 5 (RFC 8216 §7)");
                }
                if (k.keyFormat().isPresent() || !k.keyFormatVersions().isEmpty()) {
                    r = r.max(5, "the KEYFORMAT and KEYFORMATVERSIONS attributes of EXT-X-KEY need version 5 "
                            + "(RFC 8216 §7)");
                }
            }
            if (s.duration().getNano() != 0) {
                r = r.max(3, "floating-point EXTINF durations need version 3 (RFC 8216 §7)");
            }
            if (s.byteRange().isPresent()) {
                r = r.max(4, "EXT-X-BYTERANGE needs version 4 (RFC 8216 §7)");
            }
            if (s.map().isPresent()) {
                r = iFramesOnly ? r.max(5, "EXT-X-MAP needs version 5 (RFC 8216 §7)")
                        : r.max(6, "EXT-X-MAP in a Media Playlist without EXT-X-I-FRAMES-ONLY needs version 6 "
                        + "(RFC 8216 §7)");
            }
        }
        return r;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public int requiredVersion() {
        return requiredVersion;
    }

    /**
     * Returns {@code EXT-X-TARGETDURATION}: an upper bound, in whole seconds, of every segment duration rounded
     * to the nearest integer (RFC 8216 §4.3.3.1).
     *
     * @return the target duration in seconds, positive
     */
    public int targetDuration() {
        return targetDuration;
    }

    /**
     * Returns {@code EXT-X-MEDIA-SEQUENCE}, the Media Sequence Number of the first segment (§4.3.3.2).
     *
     * @return the sequence number, 0 by default
     */
    public long mediaSequence() {
        return mediaSequence;
    }

    /**
     * Returns {@code EXT-X-DISCONTINUITY-SEQUENCE} (§4.3.3.3); written only when not 0.
     *
     * @return the discontinuity sequence number, 0 by default
     */
    public long discontinuitySequence() {
        return discontinuitySequence;
    }

    /**
     * Returns {@code EXT-X-PLAYLIST-TYPE} (§4.3.3.5).
     *
     * @return the type, or empty for a live playlist that may change in any allowed way
     */
    public Optional<PlaylistType> playlistType() {
        return Optional.ofNullable(playlistType);
    }

    /**
     * Returns whether {@code EXT-X-I-FRAMES-ONLY} is present (§4.3.3.6): each segment is one I-frame.
     *
     * @return true for an I-frame playlist
     */
    public boolean iFramesOnly() {
        return iFramesOnly;
    }

    @Override
    public boolean independentSegments() {
        return independentSegments;
    }

    /**
     * Returns whether {@code EXT-X-ENDLIST} is present (§4.3.3.4): no more segments will be added.
     *
     * @return true if the playlist is complete
     */
    public boolean endList() {
        return endList;
    }

    /**
     * Returns the segments in playlist order.
     *
     * @return an unmodifiable list, possibly empty
     */
    public List<MediaSegment> segments() {
        return segments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaPlaylist p && p.version == version && p.targetDuration == targetDuration
                && p.mediaSequence == mediaSequence && p.discontinuitySequence == discontinuitySequence
                && p.playlistType == playlistType && p.iFramesOnly == iFramesOnly
                && p.independentSegments == independentSegments && p.endList == endList
                && p.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, targetDuration, mediaSequence, discontinuitySequence, playlistType, iFramesOnly,
                independentSegments, endList, segments);
    }

    @Override
    public String toString() {
        return "MediaPlaylist{version=" + version + ", targetDuration=" + targetDuration + ", mediaSequence="
                + mediaSequence + (discontinuitySequence == 0 ? "" : ", discontinuitySequence=" + discontinuitySequence)
                + (playlistType == null ? "" : ", playlistType=" + playlistType) + (iFramesOnly ? ", iFramesOnly" : "")
                + (independentSegments ? ", independentSegments" : "") + (endList ? ", endList" : "")
                + ", segments=" + segments + '}';
    }
}
